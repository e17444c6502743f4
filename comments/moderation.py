"""The moderation rules: whether an article takes comments, what status a new comment gets, and who is told.

- An article takes comments while its ``comments_open`` box is ticked and, when
  ``COMMENTS_CLOSE_AFTER_DAYS`` is more than 0, for that many days after its publication.
- A comment is refused (``CommentRefused``, with the HTTP status to answer) when the same name or email
  already said the same on the article (409), or when its client address posted a comment less than
  ``COMMENTS_FLOOD_SECONDS`` ago (429; counted in Django's cache, so shared by every server with Redis).
- A comment is ``spam`` when it filled the form's honeypot or contains an entry of the disallowed keys of
  ``DiscussionSettings``; it waits for an editor when it has more than ``COMMENTS_MAX_LINKS`` links or
  contains an entry of the moderation keys, whatever the settings below say.
- With ``COMMENTS_MODERATION`` off every other comment is approved at once. Otherwise a comment waits for an
  editor, unless ``COMMENTS_AUTO_APPROVE_KNOWN`` is on and its name and email already have an approved
  comment (WordPress's "comment author must have a previously approved comment").
- Each comment left waiting is mailed to the editors by a background task enqueued once the transaction that
  saved it commits (see ``comments.tasks``): the commenter never waits for the mail server, and a mail it
  refuses is tried again later.
"""

from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from comments import tasks
from comments.models import Comment, DiscussionSettings

FLOOD_KEY = "comments:flood:{address}"


class CommentRefused(Exception):
    """A comment that is not saved: ``message`` tells the commenter why, ``status`` is the HTTP answer."""

    def __init__(self, message, status):
        super().__init__(message)
        self.message = message
        self.status = status


def refuse_duplicate(comment):
    if Comment.objects.duplicates_of(comment).exists():
        raise CommentRefused(_("Duplicate comment detected; it looks as though you’ve already said that!"), 409)


def refuse_flood(comment):
    """Refuse a second comment from the same client address within ``COMMENTS_FLOOD_SECONDS``."""
    seconds = settings.COMMENTS_FLOOD_SECONDS
    if seconds > 0 and not cache.add(FLOOD_KEY.format(address=comment.ip_address or "unknown"), 1, seconds):
        raise CommentRefused(_("You are posting comments too quickly. Slow down."), 429)


def comments_are_open(article, now=None):
    if not article.comments_open:
        return False
    days = settings.COMMENTS_CLOSE_AFTER_DAYS
    if days <= 0:
        return True
    return (now or timezone.now()) < article.published_at + timedelta(days=days)


def status_for(comment, *, caught_by_honeypot=False):
    """The status a new comment starts with."""
    discussion = DiscussionSettings.load()
    if caught_by_honeypot or discussion.disallows(comment):
        return Comment.Status.SPAM
    if comment.link_count() > settings.COMMENTS_MAX_LINKS or discussion.holds(comment):
        return Comment.Status.PENDING
    if not settings.COMMENTS_MODERATION:
        return Comment.Status.APPROVED
    if (
        settings.COMMENTS_AUTO_APPROVE_KNOWN
        and Comment.objects.by_known_commenter(comment.author, comment.email).exists()
    ):
        return Comment.Status.APPROVED
    return Comment.Status.PENDING


def receive(comment, *, caught_by_honeypot=False):
    """Refuse a duplicate or a flood; otherwise give a new comment its status and save it, and tell the editors
    after the commit if it has to wait."""
    refuse_duplicate(comment)
    refuse_flood(comment)
    with transaction.atomic():
        comment.status = status_for(comment, caught_by_honeypot=caught_by_honeypot)
        comment.save()
        if comment.is_pending:
            tasks.enqueue_on_commit(tasks.notify_editors, comment.pk)
    return comment


def editor_emails():
    """``COMMENTS_NOTIFY_EMAILS`` when set, otherwise the address of every active staff user."""
    if settings.COMMENTS_NOTIFY_EMAILS:
        return list(settings.COMMENTS_NOTIFY_EMAILS)
    staff = get_user_model().objects.filter(is_active=True, is_staff=True).exclude(email="")
    return sorted(set(staff.values_list("email", flat=True)))
