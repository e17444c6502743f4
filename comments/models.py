import math
from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import connections, models, transaction
from django.db.models import Count, Exists, F, Func, OuterRef, Q, Subquery
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce, Upper
from django.dispatch import Signal
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from articles.models import COMMENT_COUNTS, Article, article_page
from comments.html import FragmentRenderer, fragment_version, render_comment_body, render_comment_card
from comments.text import normalised
from newsroom.clients import address_key, network_keys, parse_network
from newsroom.querysets import ShownQuerySet
from pagecache.signals import pages_changed

WEB_SCHEMES = ("http", "https")
# The fields a comment's stored fragments are made of; changing one of them renders the fragments again.
RENDERED_FROM = frozenset({"author", "url", "body", "created_at", "edited_at"})
RENDERED_FIELDS = ["rendered_html", "rendered_reply", "rendered_version"]
# The statuses of a commenter's other comments that the moderation queue counts beside each comment.
HISTORY_STATUSES = ["approved", "spam", "trash"]


def starts_a_thread():
    """Of approved comments, those that start a thread: they reply to no comment, or to one not approved."""
    return Q(parent=None) | ~Q(parent__status=Comment.Status.APPROVED)


# Sent by CommentQuerySet.approve() with the ids of the comments it published (``comment_ids``) and, among them,
# those published for the first time (``first_approval_ids``; see comments.notifications).
comments_approved = Signal()


class CommentQuerySet(ShownQuerySet):
    # update() tells the page cache itself when these change (see render_html()).
    reported_fields = RENDERED_FROM

    def bulk_create(self, objs, *args, **kwargs):
        """Create the comments, then store their fragments, as ``save()`` does (they hold each comment's id).

        Where the database gives no ids back from a bulk insert, the rows are left without fragments: the page
        renders them (``page_fragments()``) and ``manage.py renderhtml`` stores them.
        """
        objs = list(objs)
        for comment in objs:
            comment.note_first_approval()
        created = super().bulk_create(objs, *args, **kwargs)
        renderer = FragmentRenderer()
        for comment in created:
            if comment.pk is not None:
                comment.render_html(renderer)
                # One plain UPDATE a comment: cheaper than bulk_update()'s CASE per field for the few comments of
                # a post that an import creates at a time.
                Comment.objects.filter(pk=comment.pk).update(
                    **{field: getattr(comment, field) for field in RENDERED_FIELDS}
                )
        return created

    def update(self, **kwargs):
        """Update the rows, then render again the fragments of those whose shown fields changed.

        ``update()`` skips ``save()``: erasing personal data, ``bulk_update()`` and imports go through here.
        """
        if RENDERED_FROM.isdisjoint(kwargs):
            return super().update(**kwargs)
        pks = list(self.values_list("pk", flat=True))
        changed = super().update(**kwargs)
        Comment.objects.filter(pk__in=pks).render_html()
        return changed

    def render_html(self, batch_size=500):
        """Render and store the fragments of these comments (``manage.py renderhtml``); return how many.

        The pages that show them are made stale (``pages_changed``).
        """
        rendered = 0
        batch = []
        renderer = FragmentRenderer()
        for comment in self.order_by("pk").iterator(chunk_size=batch_size):
            comment.render_html(renderer)
            batch.append(comment)
            if len(batch) == batch_size:
                rendered += self._store_html(batch)
                batch = []
        return rendered + self._store_html(batch)

    def _store_html(self, comments):
        Comment.objects.bulk_update(comments, RENDERED_FIELDS)
        if comments:
            pages_changed.send(sender=Comment, instances=comments)
        return len(comments)

    def stale_html(self):
        """Comments whose stored fragments were rendered for other templates or settings than today's."""
        return self.exclude(rendered_version=fragment_version())

    def approved(self):
        """What the public sees."""
        return self.filter(status=Comment.Status.APPROVED)

    def pending(self):
        return self.filter(status=Comment.Status.PENDING)

    def reported(self):
        """Comments in the moderation queue or published that have reports no editor has dealt with."""
        open_reports = CommentReport.objects.filter(comment=OuterRef("pk"), reviewed=False)
        return self.filter(Exists(open_reports), status__in=[Comment.Status.PENDING, Comment.Status.APPROVED])

    def dismiss_reports(self):
        """Mark the reports of these comments reviewed (an editor kept them). Returns how many comments had some."""
        reports = CommentReport.objects.filter(comment__in=self.values("pk"), reviewed=False)
        commented = reports.values("comment").distinct().count()
        reports.update(reviewed=True)
        return commented

    def with_history(self):
        """Annotate each comment with its commenter's other comments, approved, spam and trash, in the same query.

        The commenter is known by the same email (without regard to case) or the same IP address.
        """
        same_commenter = (
            Comment.objects.alias(upper_email=Upper("email"))
            .filter(Q(upper_email=Upper(OuterRef("email")), email__gt="") | Q(ip_address=OuterRef("ip_address")))
            .exclude(pk=OuterRef("pk"))
            .order_by()
        )
        return self.annotate(
            **{
                f"history_{status}": Subquery(
                    same_commenter.filter(status=status).annotate(count=Func(F("pk"), function="COUNT")).values("count")
                )
                for status in HISTORY_STATUSES
            }
        )

    def with_open_reports(self):
        """Annotate each comment with how many of its reports no editor has dealt with (``open_report_count``)."""
        open_reports = (
            CommentReport.objects.filter(comment=OuterRef("pk"), reviewed=False)
            .order_by()
            .annotate(count=Func(F("pk"), function="COUNT"))
            .values("count")
        )
        return self.annotate(open_report_count=Subquery(open_reports))

    def approve(self):
        """Publish these comments and send ``comments_approved``. Returns how many changed."""
        comment_ids = list(self.exclude(status=Comment.Status.APPROVED).values_list("pk", flat=True))
        first_approval_ids = list(
            Comment.objects.filter(pk__in=comment_ids, first_approved_at__isnull=True).values_list("pk", flat=True)
        )
        changed = (
            Comment.objects.filter(pk__in=comment_ids)
            .exclude(status=Comment.Status.APPROVED)
            ._change_status(Comment.Status.APPROVED, held_reason="", held_detail="")
        )
        if changed:
            Comment.objects.filter(pk__in=first_approval_ids).update(first_approved_at=timezone.now())
            comments_approved.send(sender=Comment, comment_ids=comment_ids, first_approval_ids=first_approval_ids)
        return changed

    def unapprove(self, held_reason=None, held_detail=""):
        """Send these approved comments back to the moderation queue, held by an editor unless told why.
        Returns how many changed."""
        held_reason = held_reason or Comment.HeldReason.EDITOR
        return self.approved()._change_status(Comment.Status.PENDING, held_reason=held_reason, held_detail=held_detail)

    def hold(self):
        """Send these spam or trashed comments back to the moderation queue. Returns how many changed."""
        held = self.filter(status__in=[Comment.Status.SPAM, Comment.Status.TRASH])
        return held._change_status(Comment.Status.PENDING, held_reason=Comment.HeldReason.EDITOR, held_detail="")

    def mark_spam(self):
        """Returns how many comments changed."""
        return self.exclude(status=Comment.Status.SPAM)._change_status(
            Comment.Status.SPAM, held_reason=Comment.HeldReason.EDITOR, held_detail=""
        )

    def trash(self):
        """Returns how many comments changed."""
        return self.exclude(status=Comment.Status.TRASH)._change_status(
            Comment.Status.TRASH, held_reason=Comment.HeldReason.EDITOR, held_detail=""
        )

    def _change_status(self, status, **fields):
        """Give these comments ``status`` (and ``fields``), tell the page cache, and store their articles' comment
        counts."""
        article_ids = set(self.order_by().values_list("article_id", flat=True).distinct())
        changed = super()._change_status(status, **fields)
        if changed:
            store_comment_counts(article_ids)
        return changed

    def delete(self):
        article_ids = set(self.approved().order_by().values_list("article_id", flat=True).distinct())
        deleted = super().delete()
        store_comment_counts(article_ids)
        return deleted

    def thread_starts(self, article):
        """The approved comments of ``article`` that start a thread: those that do not reply to an approved comment."""
        return self.approved().filter(starts_a_thread(), article=article)

    def page_counts(self, article):
        """How many approved comments ``article`` has, and how many threads they make, in one query."""
        approved = self.approved().filter(article=article)
        return approved.aggregate(comments=Count("pk"), threads=Count("pk", filter=starts_a_thread()))

    def in_threads(self, article, offset, limit):
        """The approved comments of the article's threads ``offset`` to ``offset + limit``, oldest first.

        One query, whatever the number of comments: the threads' first comments, by date, then their
        approved replies, level by level (a recursive query).
        """
        starts = self.thread_starts(article).order_by("created_at", "pk").values("pk")[offset : offset + limit]
        starts_sql, starts_params = starts.query.sql_with_params()
        table = connections[self.db].ops.quote_name(Comment._meta.db_table)
        shown = f"""
            WITH RECURSIVE shown(id) AS (
                SELECT * FROM ({starts_sql}) AS thread_starts
                UNION
                SELECT reply.id FROM {table} reply JOIN shown ON reply.parent_id = shown.id WHERE reply.status = %s
            )
            SELECT id FROM shown
        """  # noqa: S608 - only the table's quoted name and Django's own SQL are formatted in
        shown_ids = RawSQL(shown, (*starts_params, Comment.Status.APPROVED))  # noqa: S611 - the values are parameters
        return self.filter(pk__in=shown_ids).order_by("created_at", "pk")

    def own_pending(self, article, own_pending_ids):
        """The pending comments of ``article`` among ``own_pending_ids``, each with its parent's status."""
        return (
            self.pending()
            .filter(article=article, pk__in=own_pending_ids)
            .annotate(parent_status=F("parent__status"))
            .order_by("created_at", "pk")
        )

    def page_of(self, comment):
        """The number of the comment page that shows ``comment`` (see ``comments.threads``).

        That of the thread it belongs to: the thread that its chain of approved parents leads to.
        """
        per_page = settings.COMMENTS_PER_PAGE
        if per_page <= 0:
            return 1
        start = comment
        while start.parent_id is not None:
            parent = self.filter(pk=start.parent_id).only("pk", "parent_id", "status", "created_at").first()
            if parent is None or parent.status != Comment.Status.APPROVED:
                break
            start = parent
        earlier = Q(created_at__lt=start.created_at) | Q(created_at=start.created_at, pk__lt=start.pk)
        page = self.thread_starts(comment.article_id).filter(earlier).count() // per_page + 1
        if start.status != Comment.Status.APPROVED and page > 1:
            # A comment awaiting moderation that starts a thread is shown on the last page.
            page = min(page, math.ceil(self.page_counts(comment.article_id)["threads"] / per_page))
        return max(page, 1)

    def permalinks(self, article, comments):
        """Each of the article's ``comments``' address (``get_absolute_url``), by id.

        One query when all of the article's threads fit on its first page, whatever the number of comments.
        """
        per_page = settings.COMMENTS_PER_PAGE
        if per_page <= 0 or self.page_counts(article)["threads"] <= per_page:
            return {comment.pk: f"{article.get_absolute_url()}#{comment.anchor}" for comment in comments}
        return {comment.pk: comment.get_absolute_url() for comment in comments}

    def reply_target(self, article, comment_id):
        """The comment of ``article`` with this id (as typed in an address, so maybe not a number), or None."""
        if not isinstance(comment_id, str) or not comment_id.isdecimal():
            return None
        return self.filter(article=article, pk=int(comment_id)).first()

    def duplicates_of(self, comment):
        """Comments on the same article with the same text (trash aside), whoever posted them."""
        return self.filter(article=comment.article, body=comment.body).exclude(status=Comment.Status.TRASH)

    def by_known_commenter(self, author, email):
        """Approved comments under this name and email (compared without regard to case, as WordPress does)."""
        return self.approved().filter(author__iexact=author, email__iexact=email)


class Comment(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        APPROVED = "approved", _("Approved")
        SPAM = "spam", _("Spam")
        TRASH = "trash", _("Trash")

    class HeldReason(models.TextChoices):
        """Why a comment is not published: set by the moderation rules, by readers' reports or by an editor."""

        MODERATION_KEY = "moderation-key", _("Moderation key")
        LINKS = "links", _("Too many links")
        DUPLICATE = "duplicate", _("Repeats a comment")
        NEW_COMMENTER = "new-commenter", _("New commenter")
        MODERATION = "moderation", _("Every comment is moderated")
        REPORTS = "reports", _("Reported by readers")
        HONEYPOT = "honeypot", _("Honeypot filled")
        DISALLOWED_KEY = "disallowed-key", _("Disallowed key")
        EDITOR = "editor", _("Set by an editor")

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="comments", verbose_name=_("article"))
    parent = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="replies",
        verbose_name=_("in reply to"),
    )
    author = models.CharField(_("name"), max_length=245)
    # Blank only once the commenter's personal data is erased: the form always asks for an email.
    email = models.EmailField(_("email"), max_length=100, blank=True, help_text=_("Never shown publicly."))
    url = models.URLField(
        _("website"), max_length=200, blank=True, validators=[URLValidator(schemes=["http", "https"])]
    )
    body = models.TextField(_("comment"), max_length=65525)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=Status,
        default=Status.PENDING,
        help_text=_("Only approved comments are shown on the site."),
    )
    notify = models.BooleanField(
        _("notify the author"),
        default=False,
        help_text=_("The author asked to be told of replies and of the approval, once their address is confirmed."),
    )
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    # Staff only, never shown on the site: they may name the moderation keys.
    held_reason = models.CharField(
        _("held because"),
        max_length=20,
        choices=HeldReason,
        blank=True,
        help_text=_("Why the comment is not published; empty once it is approved."),
    )
    held_detail = models.CharField(_("details"), max_length=255, blank=True)
    user_agent = models.CharField(_("user agent"), max_length=255, blank=True)
    # Set when the comment is posted; an imported comment keeps its original date.
    created_at = models.DateTimeField(_("posted"), default=timezone.now, editable=False)
    edited_at = models.DateTimeField(
        _("edited"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("When its author last changed its text (see comments/editing.py)."),
    )
    first_approved_at = models.DateTimeField(
        _("first approved"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("When it was first published: its author and the author it replies to are told once."),
    )
    wordpress_id = models.PositiveBigIntegerField(
        _("WordPress comment id"),
        null=True,
        blank=True,
        unique=True,
        editable=False,
        help_text=_("The comment this one was imported from, so that importing again updates it."),
    )
    # The comment as the article page shows it once approved, rendered when it is saved (see comments/html.py):
    # its name, date line and text, and its reply link; and the ``fragment_version()`` they were rendered for.
    # Never its email. Whatever the status: a pending comment is never shown from these.
    rendered_html = models.TextField(editable=False, blank=True)
    rendered_reply = models.TextField(editable=False, blank=True)
    rendered_version = models.CharField(max_length=16, editable=False, blank=True)

    objects = CommentQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]
        get_latest_by = "created_at"
        indexes = [
            models.Index(fields=["article", "status", "created_at"], name="comment_article_status_created"),
            # A commenter's history in the moderation queue: their comments by email or by IP address.
            models.Index(Upper("email"), name="comment_upper_email"),
            models.Index(fields=["ip_address"], name="comment_ip_address"),
        ]
        verbose_name = _("comment")
        verbose_name_plural = _("comments")

    def __str__(self):
        return _("Comment by %(author)s") % {"author": self.author}

    def save(self, *args, **kwargs):
        """Save the comment with its fragments, and the approved-comment counts of the articles it is and was on.

        An approved comment is held for no reason.
        """
        changes_counts = self.status == self.Status.APPROVED or not self._state.adding
        if self.status == self.Status.APPROVED:
            self.held_reason = self.held_detail = ""
        if self.note_first_approval() and kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "first_approved_at"}
        self.save_with_fragments(*args, **kwargs)
        if changes_counts:
            store_comment_counts({self.article_id, getattr(self, "loaded_article_id", None)} - {None})
            self.loaded_article_id = self.article_id

    def get_absolute_url(self):
        """The comment on the comment page that shows it."""
        page = Comment.objects.page_of(self)
        return f"{self.article.get_comment_page_url(page)}#{self.anchor}"

    def note_first_approval(self):
        """Note when an approved comment was first published, if not yet noted: when it was posted, for a new one
        (approved at once, or imported), else now; return whether it was noted now."""
        if self.status != self.Status.APPROVED or self.first_approved_at is not None:
            return False
        self.first_approved_at = self.created_at if self._state.adding else timezone.now()
        return True

    @classmethod
    def from_db(cls, db, field_names, values):
        comment = super().from_db(db, field_names, values)
        comment.loaded_article_id = comment.__dict__.get("article_id")
        return comment

    def delete(self, *args, **kwargs):
        deleted = super().delete(*args, **kwargs)
        if self.status == self.Status.APPROVED:
            store_comment_counts({self.article_id})
        return deleted

    def shown_on_pages(self, created=False):
        """Its article's pages (for the page cache); a new comment shows there only if it is approved at once.

        Its article's comment count, shown on cards in lists, is told to the page cache by ``store_comment_counts()``.
        """
        if created and self.status != self.Status.APPROVED:
            return []
        return [article_page(self.article_id)]

    def save_with_fragments(self, *args, update_fields=None, **kwargs):
        """Save the comment with its fragments rendered; a new one is stored first, as they hold its id."""
        if self.pk is None:
            super().save(*args, update_fields=update_fields, **kwargs)
            self.render_html()
            Comment.objects.filter(pk=self.pk).update(**{name: getattr(self, name) for name in RENDERED_FIELDS})
            return
        if update_fields is None or not RENDERED_FROM.isdisjoint(update_fields):
            self.render_html()
            if update_fields is not None:
                update_fields = {*update_fields, *RENDERED_FIELDS}
        super().save(*args, update_fields=update_fields, **kwargs)

    def render_html(self, renderer=None):
        """Render the fragments the article page shows of this comment (stored by ``save()``).

        ``renderer``: a ``FragmentRenderer`` shared by the comments rendered together.
        """
        renderer = renderer or FragmentRenderer()
        self.__dict__.pop("body_html", None)
        self.rendered_html = renderer.card(self)
        self.rendered_reply = renderer.reply_link(self)
        self.rendered_version = renderer.version

    def page_fragments(self, version):
        """The card and reply link the article page shows: stored ones when current, else rendered now.

        A pending comment (shown to its author alone) is always rendered now, with no link in it.
        """
        if self.is_pending:
            return render_comment_card(self, pending=True), ""
        if self.rendered_version != version:
            self.render_html()
        return self.rendered_html, self.rendered_reply

    def get_admin_url(self):
        return reverse("admin:comments_comment_change", args=[self.pk])

    @property
    def anchor(self):
        return f"comment-{self.pk}"

    @property
    def website_link(self):
        """The website as a link target: the address if it is http or https, else empty.

        Forms refuse other schemes, but rows may also come from imports or the shell.
        """
        scheme = self.url.partition(":")[0].strip().lower()
        return self.url if scheme in WEB_SCHEMES else ""

    @property
    def is_pending(self):
        return self.status == self.Status.PENDING

    @property
    def edit_deadline(self):
        return edit_deadline(self.created_at)

    def may_still_be_changed(self, now=None):
        """Whether its author may still edit or delete it: it is approved or pending, and not older than
        ``COMMENTS_EDIT_MINUTES`` (see comments/editing.py)."""
        shown = self.status in (self.Status.APPROVED, self.Status.PENDING)
        return shown and (now or timezone.now()) < self.edit_deadline

    @cached_property
    def body_html(self):
        """The body as safe HTML paragraphs with nofollow links (see comments.html)."""
        return render_comment_body(self.body)

    def link_count(self):
        """How many links the body shows."""
        return self.body_html.count("<a ")

    def word_list_fields(self):
        """What the word lists of ``DiscussionSettings`` are matched against."""
        return [self.author, self.email, self.url, self.body, self.ip_address or "", self.user_agent]


def edit_deadline(created_at):
    """Until when the author of a comment posted at ``created_at`` may edit or delete it."""
    return created_at + timedelta(minutes=settings.COMMENTS_EDIT_MINUTES)


COUNTS_PER_UPDATE = 500


def store_comment_counts(article_ids):
    """Store on each of these articles how many approved comments it has (``Article.comment_count``).

    The articles are locked first: a count made by another transaction at the same time waits for this
    one to commit, then counts afresh, so no change is lost. The pages that show the counts are made stale.
    """
    approved = (
        Comment.objects.approved()
        .filter(article=OuterRef("pk"))
        .order_by()
        .values("article")
        .annotate(count=Count("pk"))
        .values("count")
    )
    article_ids = sorted(article_ids)
    with transaction.atomic(savepoint=False):
        for start in range(0, len(article_ids), COUNTS_PER_UPDATE):
            articles = Article.objects.filter(pk__in=article_ids[start : start + COUNTS_PER_UPDATE])
            list(articles.select_for_update().order_by("pk").values_list("pk", flat=True))
            articles.update(comment_count=Coalesce(Subquery(approved), 0))
    if article_ids:
        pages_changed.send(sender=Article, instances=[ArticleCommentCount(pk) for pk in article_ids])


class ArticleCommentCount:
    """An article's stored comment count, for the page cache: shown on the article's pages and its cards."""

    def __init__(self, article_id):
        self.pk = article_id

    def shown_on_pages(self, created=False):
        return [article_page(self.pk), COMMENT_COUNTS]


class DiscussionSettings(models.Model):
    """The site's one set of comment word lists, edited by editors in the admin like WordPress's Discussion settings.

    Each list holds one word, phrase, email address or IP address per line, matched without regard to case
    (nor to invisible characters or look-alike letters, see ``comments.text.normalised``) inside a
    comment's name, email, website, text, IP address and user agent.
    """

    SINGLETON_ID = 1

    moderation_keys = models.TextField(
        _("comment moderation"),
        blank=True,
        help_text=_("A comment containing any of these, one per line, is held for moderation."),
    )
    disallowed_keys = models.TextField(
        _("disallowed comment keys"),
        blank=True,
        help_text=_("A comment containing any of these, one per line, is marked as spam."),
    )

    class Meta:
        verbose_name = _("discussion settings")
        verbose_name_plural = _("discussion settings")

    def __str__(self):
        return str(_("Discussion settings"))

    def save(self, *args, **kwargs):
        self.pk = self.SINGLETON_ID
        super().save(*args, **kwargs)

    def holds(self, comment):
        """The entry of the moderation keys that the comment contains, or None."""
        return first_contained(self.moderation_keys, comment)

    def disallows(self, comment):
        """The entry of the disallowed keys that the comment contains, or None."""
        return first_contained(self.disallowed_keys, comment)

    @classmethod
    def load(cls):
        """The settings, created empty on first use."""
        settings, _created = cls.objects.get_or_create(pk=cls.SINGLETON_ID)
        return settings


def first_contained(keys, comment):
    """The first non-blank line of ``keys`` (as written) that a field of the comment contains, or None, compared
    as ``normalised`` text (without regard to case, invisible characters, compatibility forms or Latin look-alikes)."""
    fields = [normalised(str(field)) for field in comment.word_list_fields()]
    for line in keys.splitlines():
        entry = normalised(line).strip()
        if entry and any(entry in field for field in fields):
            return line.strip()
    return None


class SubscriberQuerySet(models.QuerySet):
    def for_email(self, email):
        """The subscriber of this address (compared in lower case), or None."""
        return self.filter(email=email.lower()).first() if email else None

    def from_token(self, token, purpose):
        """The subscriber a signed link for ``purpose`` ("confirm", "unsubscribe") names, or None for a link
        that was changed, has expired (confirmations: after a week) or whose subscriber is gone."""
        max_age = Subscriber.CONFIRM_MAX_AGE if purpose == "confirm" else None
        try:
            subscriber_id = signing.loads(token, salt=Subscriber.token_salt(purpose), max_age=max_age)
        except signing.BadSignature:
            return None
        return self.filter(pk=subscriber_id).first() if isinstance(subscriber_id, int) else None


class Subscriber(models.Model):
    """An address that asked, by ticking the box under a comment, to be told of replies and approvals.

    Nothing but the confirmation is mailed before the address is confirmed, at most one confirmation a day;
    nothing at all once it unsubscribed. Staff only: never shown on the site. Links name it by its id,
    signed, never by its address (see ``token``).
    """

    CONFIRM_MAX_AGE = timedelta(days=7)
    CONFIRMATION_INTERVAL = timedelta(days=1)

    email = models.EmailField(_("email"), max_length=254, unique=True, help_text=_("In lower case."))
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    confirmation_sent_at = models.DateTimeField(_("confirmation last sent"), null=True, blank=True)
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)
    unsubscribed_at = models.DateTimeField(_("unsubscribed"), null=True, blank=True)

    objects = SubscriberQuerySet.as_manager()

    class Meta:
        verbose_name = _("notification subscriber")
        verbose_name_plural = _("notification subscribers")

    def __str__(self):
        return self.email

    @staticmethod
    def token_salt(purpose):
        return f"comments.subscriber.{purpose}"

    def token(self, purpose):
        """A signed token of this subscriber for a link of ``purpose`` ("confirm", "unsubscribe")."""
        return signing.dumps(self.pk, salt=self.token_salt(purpose))

    @property
    def may_be_notified(self):
        return self.confirmed_at is not None and self.unsubscribed_at is None

    def confirm(self):
        Subscriber.objects.filter(pk=self.pk, confirmed_at__isnull=True).update(confirmed_at=timezone.now())

    def unsubscribe(self):
        Subscriber.objects.filter(pk=self.pk, unsubscribed_at__isnull=True).update(unsubscribed_at=timezone.now())

    def claim_confirmation(self):
        """Whether a confirmation may go to this address now; if so, it counts as sent (one a day, race-free)."""
        now = timezone.now()
        due = Q(confirmation_sent_at__isnull=True) | Q(confirmation_sent_at__lte=now - self.CONFIRMATION_INTERVAL)
        waiting = Subscriber.objects.filter(due, pk=self.pk, confirmed_at__isnull=True, unsubscribed_at__isnull=True)
        return bool(waiting.update(confirmation_sent_at=now))


class CommentReport(models.Model):
    """A reader's report of a published comment. Who reported is kept only as a keyed hash of their browser
    session's visitor id, to allow one report per visitor per comment, and shown to nobody."""

    class Reason(models.TextChoices):
        SPAM = "spam", _("Spam")
        ABUSE = "abuse", _("Abuse or harassment")
        OFF_TOPIC = "off-topic", _("Off-topic")
        PERSONAL_DATA = "personal-data", _("Personal data")
        OTHER = "other", _("Other")

    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="reports", verbose_name=_("comment"))
    reason = models.CharField(_("reason"), max_length=20, choices=Reason)
    text = models.TextField(_("details"), max_length=1000, blank=True)
    reporter = models.CharField(_("reporter"), max_length=64, editable=False)
    created_at = models.DateTimeField(_("reported"), default=timezone.now, editable=False)
    reviewed = models.BooleanField(
        _("reviewed"), default=False, help_text=_("Set when an editor approves the comment again.")
    )

    class Meta:
        ordering = ["-created_at"]
        constraints = [models.UniqueConstraint(fields=["comment", "reporter"], name="one_report_per_visitor")]
        verbose_name = _("comment report")
        verbose_name_plural = _("comment reports")

    def __str__(self):
        return _("Report of %(comment)s") % {"comment": self.comment}


class CommentBanQuerySet(models.QuerySet):
    def active(self, now=None):
        """Bans that apply now: without an expiry, or expiring later."""
        return self.filter(Q(expires_at__isnull=True) | Q(expires_at__gt=now or timezone.now()))

    def matching(self, email, ip_address):
        """The active bans of this email address (without regard to case) or of a network holding this address."""
        bans = Q(pk__in=[])
        if email:
            bans |= Q(email=email.lower())
        if ip_address:
            key = address_key(ip_address)
            bans |= Q(range_start__lte=key, range_end__gte=key)
        return self.active().filter(bans)

    def ban(self, *, email="", network="", expires_at=None, note="", created_by=None):
        """Ban an email address or a network, unless an active ban of it exists; returns whether one was added."""
        email = email.lower()
        if network:
            network = str(parse_network(network))
        if self.active().filter(email=email, network=network).exists():
            return False
        self.create(email=email, network=network, expires_at=expires_at, note=note, created_by=created_by)
        return True


class CommentBan(models.Model):
    """An email address or a network whose comments are refused, until it expires. Staff only: never shown."""

    email = models.EmailField(_("email"), max_length=254, blank=True, help_text=_("Compared without regard to case."))
    network = models.CharField(
        _("IP address or network"),
        max_length=49,
        blank=True,
        help_text=_("One address, or a network in CIDR notation: 203.0.113.0/24, 2001:db8:1:2::/64."),
    )
    expires_at = models.DateTimeField(
        _("expires"), null=True, blank=True, help_text=_("Empty: the ban lasts until it is deleted.")
    )
    note = models.TextField(_("note"), max_length=1000, blank=True, help_text=_("Why, for the other editors."))
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        verbose_name=_("created by"),
    )
    # The network's first and last addresses as ``newsroom.clients.address_key`` writes them, so that one indexed
    # comparison finds the bans of an address, on every database.
    range_start = models.CharField(max_length=32, blank=True, editable=False)
    range_end = models.CharField(max_length=32, blank=True, editable=False)

    objects = CommentBanQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["email"], name="commentban_email"),
            models.Index(fields=["range_start", "range_end"], name="commentban_range"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=(Q(email="") & ~Q(network="")) | (~Q(email="") & Q(network="")),
                name="commentban_email_or_network",
                violation_error_message=_("Give an email address or an IP address or network, not both."),
            )
        ]
        verbose_name = _("comment ban")
        verbose_name_plural = _("comment bans")

    def __str__(self):
        return self.email or self.network

    def save(self, *args, **kwargs):
        """Save the email in lower case and the network as the range of addresses it holds."""
        self.email = self.email.lower()
        self.range_start, self.range_end = network_keys(parse_network(self.network)) if self.network else ("", "")
        super().save(*args, **kwargs)

    def clean(self):
        """Write the network as its network address and prefix; the constraint checks that one of them is given."""
        if self.network:
            try:
                self.network = str(parse_network(self.network))
            except ValueError:
                raise ValidationError(
                    {"network": _("Enter an IP address or a network such as 203.0.113.0/24 or 2001:db8::/64.")}
                ) from None

    def is_active(self, now=None):
        return self.expires_at is None or self.expires_at > (now or timezone.now())
