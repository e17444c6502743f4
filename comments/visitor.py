"""Who is posting: the client's address and user agent, and what this browser's session remembers.

- The ids of the comments it posted, so that their author alone sees a comment awaiting moderation.
- The name, email and website, only when the commenter ticked "Save my name, email, and website…".

Both live in the server-side session, never in a cookie the browser can read.

The client's address is ``newsroom.clients.client_address``.
"""

from django.utils.html import escape

from articles.models import articles_of_pages
from comments.models import Comment
from newsroom.clients import client_address

POSTED_KEY = "comments_posted"
DETAILS_KEY = "comments_commenter"
REMEMBERED_FIELDS = ("author", "email", "url")
MAX_POSTED = 50


def remember_posted(request, comment):
    posted = [pk for pk in request.session.get(POSTED_KEY, []) if pk != comment.pk]
    request.session[POSTED_KEY] = [*posted, comment.pk][-MAX_POSTED:]


def posted_ids(request):
    return request.session.get(POSTED_KEY, [])


def remember_details(request, cleaned_data):
    """Keep the commenter's details if they asked for it; forget any kept before if they did not."""
    if cleaned_data.get("remember"):
        request.session[DETAILS_KEY] = {field: cleaned_data[field] for field in REMEMBERED_FIELDS}
    else:
        request.session.pop(DETAILS_KEY, None)


def remembered(request, field):
    """A remembered detail for the form (a page-cache hole, see comments.apps): the field's value as safe HTML,
    or for ``remember`` the box's ``checked`` attribute; empty for a visitor who asked for nothing to be kept."""
    details = request.session.get(DETAILS_KEY) or {}
    if field == "remember":
        return "checked" if details else ""
    return escape(details.get(field, ""))


def has_pending_comment_on_page(request, topics):
    """Whether a comment this browser posted awaits moderation on the article of a page with these topics
    (see pagecache): its author alone sees it, on a page rendered for them."""
    posted = posted_ids(request)
    article_ids = articles_of_pages(topics)
    return bool(posted and article_ids) and (
        Comment.objects.pending().filter(pk__in=posted, article_id__in=article_ids).exists()
    )


def client_details(request):
    """The poster's IP address (see ``newsroom.clients.client_address``) and user agent."""
    user_agent = request.META.get("HTTP_USER_AGENT", "").replace("\x00", "")[:255]
    return {"ip_address": client_address(request), "user_agent": user_agent}
