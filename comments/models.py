from datetime import timedelta

from django.core import signing
from django.core.validators import URLValidator
from django.db import models
from django.db.models import Q
from django.dispatch import Signal
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from articles.models import Article
from comments.html import render_comment_body
from newsroom import pagecache
from newsroom.pagecache import ShownOnPages

WEB_SCHEMES = ("http", "https")
# Sent by CommentQuerySet.approve() with the ids of the comments it published (see comments.notifications).
comments_approved = Signal()


class CommentQuerySet(models.QuerySet):
    def approved(self):
        """What the public sees."""
        return self.filter(status=Comment.Status.APPROVED)

    def pending(self):
        return self.filter(status=Comment.Status.PENDING)

    def approve(self):
        """Publish these comments and send ``comments_approved``. Returns how many changed."""
        comment_ids = list(self.exclude(status=Comment.Status.APPROVED).values_list("pk", flat=True))
        changed = self._change_status(
            Comment.objects.filter(pk__in=comment_ids).exclude(status=Comment.Status.APPROVED), Comment.Status.APPROVED
        )
        if changed:
            comments_approved.send(sender=Comment, comment_ids=comment_ids)
        return changed

    def unapprove(self):
        """Send these approved comments back to the moderation queue. Returns how many changed."""
        return self._change_status(self.approved(), Comment.Status.PENDING)

    def mark_spam(self):
        """Returns how many comments changed."""
        return self._change_status(self.exclude(status=Comment.Status.SPAM), Comment.Status.SPAM)

    def trash(self):
        """Returns how many comments changed."""
        return self._change_status(self.exclude(status=Comment.Status.TRASH), Comment.Status.TRASH)

    @staticmethod
    def _change_status(comments, status):
        changed = comments.update(status=status)
        if changed:
            pagecache.invalidate_on_commit()
        return changed

    def for_page(self, article, own_pending_ids=()):
        """An article's comments as a reader sees them, oldest first.

        Approved comments, plus the pending comments whose ids are in ``own_pending_ids`` (the ones this
        reader posted and is still waiting for).
        """
        visible = Q(status=Comment.Status.APPROVED)
        if own_pending_ids:
            visible |= Q(status=Comment.Status.PENDING, pk__in=own_pending_ids)
        return self.filter(visible, article=article).order_by("created_at", "pk")

    def reply_target(self, article, comment_id):
        """The comment of ``article`` with this id (as typed in an address, so maybe not a number), or None."""
        if not isinstance(comment_id, str) or not comment_id.isdecimal():
            return None
        return self.filter(article=article, pk=int(comment_id)).first()

    def duplicates_of(self, comment):
        """Comments on the same article with the same text from the same name or email (trash aside)."""
        same_person = Q(author__iexact=comment.author) | Q(email__iexact=comment.email)
        return self.filter(same_person, article=comment.article, body=comment.body).exclude(status=Comment.Status.TRASH)

    def by_known_commenter(self, author, email):
        """Approved comments under this name and email (compared without regard to case, as WordPress does)."""
        return self.approved().filter(author__iexact=author, email__iexact=email)


class Comment(ShownOnPages):
    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        APPROVED = "approved", _("Approved")
        SPAM = "spam", _("Spam")
        TRASH = "trash", _("Trash")

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
    user_agent = models.CharField(_("user agent"), max_length=255, blank=True)
    # Set when the comment is posted; an imported comment keeps its original date.
    created_at = models.DateTimeField(_("posted"), default=timezone.now, editable=False)
    wordpress_id = models.PositiveBigIntegerField(
        _("WordPress comment id"),
        null=True,
        blank=True,
        unique=True,
        editable=False,
        help_text=_("The comment this one was imported from, so that importing again updates it."),
    )

    objects = CommentQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]
        get_latest_by = "created_at"
        indexes = [models.Index(fields=["article", "status", "created_at"], name="comment_article_status_created")]
        verbose_name = _("comment")
        verbose_name_plural = _("comments")

    def __str__(self):
        return _("Comment by %(author)s") % {"author": self.author}

    def get_absolute_url(self):
        return f"{self.article.get_absolute_url()}#{self.anchor}"

    def changes_pages_when_saved(self):
        """A new comment changes public pages only if it is published at once."""
        return self.status == self.Status.APPROVED or not self._state.adding

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


class DiscussionSettings(models.Model):
    """The site's one set of comment word lists, edited by editors in the admin like WordPress's Discussion settings.

    Each list holds one word, phrase, email address or IP address per line, matched without regard to case
    inside a comment's name, email, website, text, IP address and user agent.
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
        """Whether the comment contains an entry of the moderation keys."""
        return contains_any(self.moderation_keys, comment)

    def disallows(self, comment):
        """Whether the comment contains an entry of the disallowed keys."""
        return contains_any(self.disallowed_keys, comment)

    @classmethod
    def load(cls):
        """The settings, created empty on first use."""
        settings, _created = cls.objects.get_or_create(pk=cls.SINGLETON_ID)
        return settings


def contains_any(keys, comment):
    """Whether a field of the comment contains, without regard to case, a non-blank line of ``keys``."""
    entries = [line.strip().casefold() for line in keys.splitlines() if line.strip()]
    fields = [str(field).casefold() for field in comment.word_list_fields()]
    return any(entry in field for entry in entries for field in fields)


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
