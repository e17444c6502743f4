"""What the site stores about a commenter, found by email address: exported on request, or erased.

Like WordPress's privacy tools, export gathers every comment posted with an email address (compared
without regard to case) and erasure anonymises them: the name becomes "Anonymous" and the email, website,
IP address and user agent are removed. The text stays, so that threads still read, unless it is asked
to go too. Both also cover what else holds the commenter's details:

- the name, email and website a browser's session remembers for the comment form (see
  ``comments.visitor``): exported, and removed from the sessions, expired ones included (those are
  deleted). Sessions can be searched only where they are stored in the database (the ``db`` and
  ``cached_db`` session engines, the default);
- the admin's history, whose entries name a comment as "Comment by <name>": exported, and renamed
  after the anonymised comment.

The address's notification subscription (``Subscriber``) is exported, and deleted on erasure. Bans of the
address (``CommentBan``: since when, until when, the editors' note) are exported, and kept on erasure: they
exist to keep out abuse, which an erasure must not undo.
"""

from importlib import import_module

from django.conf import settings
from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone
from django.utils.translation import gettext

from comments import visitor
from comments.models import Comment, CommentBan, Subscriber

ANONYMOUS = "Anonymous"


def comments_by(email):
    return Comment.objects.filter(email__iexact=email.strip()) if email.strip() else Comment.objects.none()


def sessions_remembering(email):
    """``(session_key, expired, details)`` of each stored session whose remembered commenter has this email."""
    store_class = import_module(settings.SESSION_ENGINE).SessionStore
    if not email.strip() or not hasattr(store_class, "get_model_class"):
        return
    now = timezone.now()
    wanted = email.strip().casefold()
    for session in store_class.get_model_class().objects.iterator():
        details = store_class().decode(session.session_data).get(visitor.DETAILS_KEY)
        if details and str(details.get("email", "")).strip().casefold() == wanted:
            yield session.session_key, session.expire_date <= now, details


def forget_remembered_details(email):
    """Remove this commenter's remembered details from every session that holds them; return how many."""
    store_class = import_module(settings.SESSION_ENGINE).SessionStore
    forgotten = 0
    for session_key, expired, _details in list(sessions_remembering(email)):
        store = store_class(session_key=session_key)
        if expired:
            store.delete()
        else:
            store.pop(visitor.DETAILS_KEY, None)
            store.save()
        forgotten += 1
    return forgotten


def admin_history_of(comment_ids):
    """The admin's history entries about these comments."""
    content_type = ContentType.objects.get_for_model(Comment)
    return LogEntry.objects.filter(content_type=content_type, object_id__in=[str(pk) for pk in comment_ids])


def subscription(email):
    """The address's notification subscription, as exported, or None."""
    subscriber = Subscriber.objects.for_email(email)
    if subscriber is None:
        return None
    dates = {
        "asked_at": subscriber.created_at,
        "confirmed_at": subscriber.confirmed_at,
        "unsubscribed_at": subscriber.unsubscribed_at,
    }
    return {name: date.isoformat() if date else None for name, date in dates.items()}


def export_personal_data(email):
    """A JSON-serialisable document of everything stored about the commenter with this email address."""
    comments = comments_by(email).select_related("article").order_by("created_at", "pk")
    history = admin_history_of(comments.values_list("pk", flat=True)).order_by("action_time", "pk")
    return {
        "email": email.strip(),
        "exported_at": timezone.now().isoformat(),
        "notifications": subscription(email.strip()),
        "comments": [
            {
                "article": {"title": comment.article.title, "url": comment.article.get_absolute_url()},
                "date": comment.created_at.isoformat(),
                "text": comment.body,
                "name": comment.author,
                "email": comment.email,
                "website": comment.url,
                "ip_address": comment.ip_address,
                "user_agent": comment.user_agent,
                "status": comment.status,
                "url": comment.get_absolute_url(),
            }
            for comment in comments
        ],
        "remembered_in_browsers": [
            {"name": details.get("author", ""), "email": details.get("email", ""), "website": details.get("url", "")}
            for _key, _expired, details in sessions_remembering(email)
        ],
        "admin_history": [
            {"date": entry.action_time.isoformat(), "entry": entry.object_repr, "comment_id": int(entry.object_id)}
            for entry in history
        ],
        "bans": [
            {
                "since": ban.created_at.isoformat(),
                "expires": ban.expires_at.isoformat() if ban.expires_at else None,
                "note": ban.note,
            }
            for ban in bans_of(email)
        ],
    }


def bans_of(email):
    """The bans of this email address, expired ones included, oldest first."""
    if not email.strip():
        return CommentBan.objects.none()
    return CommentBan.objects.filter(email=email.strip().lower()).order_by("created_at", "pk")


def erase_personal_data(email, delete_text=False):
    """Anonymise every comment posted with this email address, forget the details sessions remember for it
    and rename the admin's history entries about those comments; return how many comments were anonymised."""
    # Why a comment was held may quote what matched a word list in it: its email or IP address, say.
    changes = {"author": ANONYMOUS, "email": "", "url": "", "ip_address": None, "user_agent": "", "held_detail": ""}
    if delete_text:
        changes["body"] = gettext("This comment was removed at its author's request.")
    Subscriber.objects.filter(email=email.strip().lower()).delete()
    comment_ids = list(comments_by(email).values_list("pk", flat=True))
    erased = Comment.objects.filter(pk__in=comment_ids).update_shown(**changes)
    admin_history_of(comment_ids).update(object_repr=str(Comment(author=ANONYMOUS)))
    forget_remembered_details(email)
    return erased
