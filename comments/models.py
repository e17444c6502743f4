from django.core.validators import URLValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from articles.models import Article, article_page
from comments.html import render_comment_body
from newsroom.querysets import ShownQuerySet

WEB_SCHEMES = ("http", "https")


class CommentQuerySet(ShownQuerySet):
    def approved(self):
        """What the public sees."""
        return self.filter(status=Comment.Status.APPROVED)

    def pending(self):
        return self.filter(status=Comment.Status.PENDING)

    def approve(self):
        """Publish these comments. Returns how many changed."""
        return self.exclude(status=Comment.Status.APPROVED)._change_status(Comment.Status.APPROVED)

    def unapprove(self):
        """Send these approved comments back to the moderation queue. Returns how many changed."""
        return self.approved()._change_status(Comment.Status.PENDING)

    def mark_spam(self):
        """Returns how many comments changed."""
        return self.exclude(status=Comment.Status.SPAM)._change_status(Comment.Status.SPAM)

    def trash(self):
        """Returns how many comments changed."""
        return self.exclude(status=Comment.Status.TRASH)._change_status(Comment.Status.TRASH)

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


class Comment(models.Model):
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

    def shown_on_pages(self, created=False):
        """Its article's pages (for the page cache); a new comment shows there only if it is approved at once.

        Lists of articles show no comment counts: were they to, they would be named here too.
        """
        if created and self.status != self.Status.APPROVED:
            return []
        return [article_page(self.article_id)]

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
