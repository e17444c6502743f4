"""The moderation rules: whether an article takes comments, what status a new comment gets, and who is told.

- An article takes comments while its ``comments_open`` box is ticked and, when
  ``COMMENTS_CLOSE_AFTER_DAYS`` is more than 0, for that many days after its publication.
- A comment is refused (``CommentRefused``, with the HTTP status to answer) when its client posted a
  comment less than ``COMMENTS_FLOOD_SECONDS`` ago (429; an IPv4 address or an IPv6 /64, counted in
  Django's cache, so shared by every server with Redis), checked first; when its email or client address
  is banned (``CommentBan``: 403, with a message that does not mention the ban); or when this browser
  already said the same on the article (409). The same text from anyone else is not refused, which would tell them
  whose comment it copies and under which email: it waits for an editor, whatever its name and email.
- A comment is ``spam`` when it filled the form's honeypot or contains an entry of the disallowed keys of
  ``DiscussionSettings``; it waits for an editor when it has more than ``COMMENTS_MAX_LINKS`` links,
  contains an entry of the moderation keys or repeats a comment of the article, whatever the settings
  below say.
- With ``COMMENTS_MODERATION`` off every other comment is approved at once. Otherwise a comment waits for an
  editor, unless ``COMMENTS_AUTO_APPROVE_KNOWN`` is on and its name and email already have an approved
  comment posted from this browser (WordPress's "comment author must have a previously approved comment",
  bound to the commenter's session): a name and an email, which others may know, are not enough.
- A comment that is not approved keeps why (``Comment.held_reason`` and ``held_detail``, for the editors
  alone): the first of the rules above that held it, in that order.
- An edit by the comment's author (see ``comments.editing``) meets the rules about content again (``revise``):
  a disallowed key refuses it; links or moderation keys send an approved comment back to the queue, with why.
- Each comment left waiting is mailed to the editors by a background task enqueued once the transaction that
  saved it commits (see ``comments.tasks``): the commenter never waits for the mail server, and a mail it
  refuses is tried again later.
"""

import logging
from datetime import timedelta
from typing import NamedTuple

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from comments import tasks
from comments.models import Comment, CommentBan, DiscussionSettings
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


class Decision(NamedTuple):
    """The status a new comment starts with and, unless it is approved, why (``Comment.HeldReason``) and details."""

    status: str
    held_reason: str = ""
    held_detail: str = ""


def quoted(entry):
    """An entry of a word list as the held reason's details quote it: cut to fit."""
    return Truncator(entry).chars(Comment._meta.get_field("held_detail").max_length)


def held_for_its_content(comment, discussion):
    """Why the comment waits for an editor whoever posted it (too many links, a moderation key, a repeat), as a
    pending ``Decision``; None if its content holds it for nothing."""
    if (links := comment.link_count()) > settings.COMMENTS_MAX_LINKS:
        detail = _("%(links)d links; the limit is %(limit)d.") % {"links": links, "limit": settings.COMMENTS_MAX_LINKS}
        return Decision(Comment.Status.PENDING, Comment.HeldReason.LINKS, detail)
    if held := discussion.holds(comment):
        return Decision(Comment.Status.PENDING, Comment.HeldReason.MODERATION_KEY, quoted(held))
    if original := Comment.objects.duplicates_of(comment).order_by("pk").first():
        detail = _("The same text as comment %(id)d.") % {"id": original.pk}
        return Decision(Comment.Status.PENDING, Comment.HeldReason.DUPLICATE, detail)
    return None


def decide(comment, *, caught_by_honeypot=False, own_ids=()):
    """The ``Decision`` for a new comment; ``own_ids``: the comments the poster's browser posted before."""
    discussion = DiscussionSettings.load()
    if caught_by_honeypot:
        return Decision(Comment.Status.SPAM, Comment.HeldReason.HONEYPOT)
    if disallowed := discussion.disallows(comment):
        return Decision(Comment.Status.SPAM, Comment.HeldReason.DISALLOWED_KEY, quoted(disallowed))
    if held := held_for_its_content(comment, discussion):
        return held
    if not settings.COMMENTS_MODERATION:
        return Decision(Comment.Status.APPROVED)
    if not settings.COMMENTS_AUTO_APPROVE_KNOWN:
        return Decision(Comment.Status.PENDING, Comment.HeldReason.MODERATION)
    if own_ids and Comment.objects.by_known_commenter(comment.author, comment.email).filter(pk__in=own_ids).exists():
        return Decision(Comment.Status.APPROVED)
    detail = _("No approved comment under this name and email from this browser.")
    return Decision(Comment.Status.PENDING, Comment.HeldReason.NEW_COMMENTER, detail)


def refuse_banned(comment):
    """Refuse a comment whose email or client address is banned (``CommentBan``), in one query, with a message
    that does not say so: a banned commenter learns nothing to get around it with."""
    if CommentBan.objects.matching(comment.email, comment.ip_address).exists():
        raise CommentRefused(_("Your comment could not be posted."), 403)


def receive(comment, *, caught_by_honeypot=False, own_ids=()):
    """Refuse a flood, a banned commenter or this browser's own duplicate; otherwise give a new comment its status
    (and why it is held) and save it, and tell the editors after the commit if it has to wait.

    ``own_ids``: the ids of the comments the poster's browser posted before (see ``comments.visitor``).
    """
    refuse_flood(comment)
    refuse_banned(comment)
    refuse_duplicate(comment, own_ids)
    with transaction.atomic():
        decision = decide(comment, caught_by_honeypot=caught_by_honeypot, own_ids=own_ids)
        comment.status, comment.held_reason, comment.held_detail = decision
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
        held = comment.status == Comment.Status.APPROVED and held_for_its_content(comment, discussion)
        if held:
            comment.status, comment.held_reason, comment.held_detail = held
            changed += ["status", "held_reason", "held_detail"]
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
