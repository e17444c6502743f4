"""The moderation rules: whether an article takes comments, what status a new comment gets, and who is told.

- An article takes comments while its ``comments_open`` box is ticked and, when
  ``COMMENTS_CLOSE_AFTER_DAYS`` is more than 0, for that many days after its publication.
- A comment is refused (``CommentRefused``, with the HTTP status to answer) when its client posted a
  comment less than ``COMMENTS_FLOOD_SECONDS`` ago (429; an IPv4 address or an IPv6 /64, counted in
  Django's cache, so shared by every server with Redis), checked first; or when this browser already said
  the same on the article (409). The same text from anyone else is not refused, which would tell them
  whose comment it copies and under which email: it waits for an editor, whatever its name and email.
- A comment is ``spam`` when it filled the form's honeypot or contains an entry of the disallowed keys of
  ``DiscussionSettings``; it waits for an editor when it has more than ``COMMENTS_MAX_LINKS`` links,
  contains an entry of the moderation keys or repeats a comment of the article, whatever the settings
  below say.
- With ``COMMENTS_MODERATION`` off every other comment is approved at once. Otherwise a comment waits for an
  editor, unless ``COMMENTS_AUTO_APPROVE_KNOWN`` is on and its name and email already have an approved
  comment posted from this browser (WordPress's "comment author must have a previously approved comment",
  bound to the commenter's session): a name and an email, which others may know, are not enough.
- An edit by the comment's author (see ``comments.editing``) meets the rules about content again (``revise``):
  a disallowed key refuses it; links or moderation keys send an approved comment back to the queue.
- Each comment left waiting is mailed to the editors by a background task enqueued once the transaction that
  saved it commits (see ``comments.tasks``): the commenter never waits for the mail server, and a mail it
  refuses is tried again later.
"""

import logging
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from comments import tasks
from comments.models import Comment, DiscussionSettings
from newsroom.clients import client_network

FLOOD_KEY = "comments:flood:{address}"

logger = logging.getLogger(__name__)


class CommentRefused(Exception):
    """A comment that is not saved: ``message`` tells the commenter why, ``status`` is the HTTP answer."""

    def __init__(self, message, status):
        super().__init__(message)
        self.message = message
        self.status = status


def refuse_duplicate(comment, own_ids):
    """Refuse the same text posted again by this browser (``own_ids``: the comments its session posted)."""
    if own_ids and Comment.objects.filter(pk__in=own_ids).duplicates_of(comment).exists():
        raise CommentRefused(_("Duplicate comment detected; it looks as though you’ve already said that!"), 409)


def refuse_flood(comment):
    """Refuse a second comment from the same client (see ``client_network``) within ``COMMENTS_FLOOD_SECONDS``.

    While the cache is unavailable the limit is not applied (logged): the comment is still moderated.
    """
    seconds = settings.COMMENTS_FLOOD_SECONDS
    if seconds <= 0:
        return
    try:
        first = cache.add(FLOOD_KEY.format(address=client_network(comment.ip_address)), 1, seconds)
    except Exception as error:  # noqa: BLE001 - any cache failure: the comment is not lost for it
        logger.warning("Flood limit not applied, the cache is unavailable: %s", error)
        return
    if not first:
        raise CommentRefused(_("You are posting comments too quickly. Slow down."), 429)


def comments_are_open(article, now=None):
    if not article.comments_open:
        return False
    days = settings.COMMENTS_CLOSE_AFTER_DAYS
    if days <= 0:
        return True
    return (now or timezone.now()) < article.published_at + timedelta(days=days)


def held_for_its_content(comment, discussion):
    """Whether the comment waits for an editor whoever posted it: too many links, a moderation key, a repeat."""
    return (
        comment.link_count() > settings.COMMENTS_MAX_LINKS
        or discussion.holds(comment)
        or Comment.objects.duplicates_of(comment).exists()
    )


def status_for(comment, *, caught_by_honeypot=False, own_ids=()):
    """The status a new comment starts with; ``own_ids``: the comments the poster's browser posted before."""
    discussion = DiscussionSettings.load()
    if caught_by_honeypot or discussion.disallows(comment):
        return Comment.Status.SPAM
    if held_for_its_content(comment, discussion):
        return Comment.Status.PENDING
    if not settings.COMMENTS_MODERATION:
        return Comment.Status.APPROVED
    if (
        settings.COMMENTS_AUTO_APPROVE_KNOWN
        and own_ids
        and Comment.objects.by_known_commenter(comment.author, comment.email).filter(pk__in=own_ids).exists()
    ):
        return Comment.Status.APPROVED
    return Comment.Status.PENDING


def receive(comment, *, caught_by_honeypot=False, own_ids=()):
    """Refuse a flood or this browser's own duplicate; otherwise give a new comment its status and save it, and
    tell the editors after the commit if it has to wait.

    ``own_ids``: the ids of the comments the poster's browser posted before (see ``comments.visitor``).
    """
    refuse_flood(comment)
    refuse_duplicate(comment, own_ids)
    with transaction.atomic():
        comment.status = status_for(comment, caught_by_honeypot=caught_by_honeypot, own_ids=own_ids)
        comment.save()
        if comment.is_pending:
            tasks.enqueue_on_commit(tasks.notify_editors, comment.pk)
    return comment


def revise(comment, text):
    """Give an approved or pending comment the text its author edited, moderated again; return the comment.

    The rules about its content apply as to a new comment: a text with a disallowed key is refused
    (``CommentRefused``, 400, nothing saved); one that would be held sends an approved comment back to
    the moderation queue, and the editors are told. Otherwise it keeps its status. The same text again
    changes nothing. Only the fields an edit changes are saved, so an editor's decision of the same moment stands.
    """
    if text == comment.body:
        return comment
    comment.body = text
    comment.__dict__.pop("body_html", None)
    discussion = DiscussionSettings.load()
    if discussion.disallows(comment):
        raise CommentRefused(_("Your comment was not saved: it contains words this site does not publish."), 400)
    changed = ["body", "edited_at"]
    with transaction.atomic():
        if comment.status == Comment.Status.APPROVED and held_for_its_content(comment, discussion):
            comment.status = Comment.Status.PENDING
            changed.append("status")
            tasks.enqueue_on_commit(tasks.notify_editors, comment.pk)
        comment.edited_at = timezone.now()
        comment.save(update_fields=changed)
    return comment


def editor_emails():
    """``COMMENTS_NOTIFY_EMAILS`` when set, otherwise the address of every active staff user."""
    if settings.COMMENTS_NOTIFY_EMAILS:
        return list(settings.COMMENTS_NOTIFY_EMAILS)
    staff = get_user_model().objects.filter(is_active=True, is_staff=True).exclude(email="")
    return sorted(set(staff.values_list("email", flat=True)))
