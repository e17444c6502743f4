"""Commenters editing or deleting their own comment, for ``COMMENTS_EDIT_MINUTES`` after posting it.

- Who: the browser that posted the comment (its session remembers the ids of the comments it posted, see
  ``comments.visitor``), or whoever opens the signed link of the mail telling the commenter their comment
  was published (``edit_token``: the comment's id, signed with a salt of its own and a timestamp, never the
  email). Anybody else is answered 403, whether the comment exists or not.
- When: while the comment is approved or awaits moderation, and for ``COMMENTS_EDIT_MINUTES`` after it was
  posted (``Comment.may_still_be_changed``); then 403, saying so. A signed link expires with the window.
- An edit is moderated again (``comments.moderation.revise``); the comment is marked "(edited)".
- Deleting moves the comment to the trash, where editors still find it (``prunecomments`` purges the
  trash later); its published replies stay, each starting a thread of its own.
- How often: ``EDITS_PER_MINUTE`` edits and deletions from one client (an IPv4 address, an IPv6 /64).
- The links: the article page is one cached page for everyone, so beside each comment posted less than
  ``COMMENTS_EDIT_MINUTES`` ago it has a per-request hole (``own_comment_links``) filled with "Edit" and
  "Delete" for the browser that posted it, with nothing for anybody else: the page tells nobody who wrote
  what. The approval notice carries the signed link.
"""

import time
from datetime import datetime, timedelta
from datetime import timezone as tz

from django.conf import settings
from django.core import signing
from django.shortcuts import get_object_or_404
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from comments import visitor
from comments.models import Comment, edit_deadline
from comments.moderation import CommentRefused
from newsroom.clients import client_address, within_rate
from pagecache.holes import per_request

TOKEN_SALT = "comments.editing.own_comment"  # noqa: S105 - a namespace for signing, not a secret
TOKEN_PARAMETER = "key"  # noqa: S105 - the name of a query parameter
EDITS_PER_MINUTE = 10


def edit_token(comment):
    """A signed token naming the comment, for the link of a mail; it carries no email."""
    return signing.TimestampSigner(salt=TOKEN_SALT).sign_object(comment.pk)


def token_names(token, comment_id):
    """Whether ``token`` is an unchanged ``edit_token`` of this comment, signed within the editing window."""
    if not token or not isinstance(token, str):
        return False
    max_age = timedelta(minutes=settings.COMMENTS_EDIT_MINUTES)
    try:
        return signing.TimestampSigner(salt=TOKEN_SALT).unsign_object(token, max_age=max_age) == comment_id
    except (signing.BadSignature, ValueError):
        return False


def with_token(url, token):
    """``url`` carrying a signed token, if there is one."""
    return f"{url}?{urlencode({TOKEN_PARAMETER: token})}" if token else url


def edit_link(comment):
    """The path of the comment's edit page with its signed token, for a mail."""
    return with_token(reverse("comments:edit", args=[comment.pk]), edit_token(comment))


def may_change(request, comment_id):
    """Whether this request may edit or delete the comment ``comment_id``: its browser posted it, or it
    carries the comment's signed token."""
    return comment_id in visitor.posted_ids(request) or token_names(request.GET.get(TOKEN_PARAMETER), comment_id)


class NotAllowed(Exception):
    """This request may not change the comment: ``reason`` says why; ``article`` is the comment's, if it may know."""

    def __init__(self, reason, article=None):
        super().__init__(reason)
        self.reason = reason
        self.article = article


def own_comment(request, comment_id):
    """The comment ``comment_id`` if this request may change it now; else raise ``NotAllowed`` (or Http404 for
    its author's comment that no longer exists)."""
    if not may_change(request, comment_id):
        raise NotAllowed(
            _(
                "A comment can be changed only from the browser it was posted from, or with the link of the "
                "mail telling its author it was published."
            )
        )
    comment = get_object_or_404(Comment.objects.select_related("article"), pk=comment_id)
    if comment.status not in (Comment.Status.APPROVED, Comment.Status.PENDING):
        raise NotAllowed(_("This comment is no longer shown on the site."), comment.article)
    if not comment.may_still_be_changed():
        minutes = settings.COMMENTS_EDIT_MINUTES
        reason = ngettext(
            "A comment can be edited or deleted for %(minutes)s minute after it is posted; this one can no "
            "longer be changed.",
            "A comment can be edited or deleted for %(minutes)s minutes after it is posted; this one can no "
            "longer be changed.",
            minutes,
        )
        raise NotAllowed(reason % {"minutes": minutes}, comment.article)
    return comment


def refuse_too_many(request):
    """Refuse more than ``EDITS_PER_MINUTE`` edits and deletions a minute from one client."""
    if not within_rate("comment-edit", client_address(request), EDITS_PER_MINUTE, 60):
        raise CommentRefused(_("You are changing comments too quickly. Slow down."), 429)


def withdraw(comment):
    """Move the comment to the trash (its author deleted it)."""
    Comment.objects.filter(pk=comment.pk).trash()


def links_hole(request):
    """For the article page: the function giving each comment its ``own_comment_links`` hole, or nothing
    once it is older than ``COMMENTS_EDIT_MINUTES``."""
    now = timezone.now()

    def hole(comment):
        deadline = edit_deadline(comment.created_at)
        if deadline <= now:
            return ""
        return per_request(request, "own_comment_links", comment_id=comment.pk, until=int(deadline.timestamp()))

    return hole


def own_comment_links(request, comment_id, until):
    """The "Edit" and "Delete" links of a comment (a page-cache hole), for the browser that posted it alone,
    until the Unix time ``until``."""
    if time.time() >= until or comment_id not in visitor.posted_ids(request):
        return ""
    deadline = datetime.fromtimestamp(until, tz=tz.utc)
    return render_to_string("comments/includes/own_comment_links.html", {"comment_id": comment_id, "until": deadline})
