"""What the site stores about a commenter, found by email address: exported on request, or erased.

Like WordPress's privacy tools, export gathers every comment posted with an email address (compared
without regard to case) and erasure anonymises them: the name becomes "Anonymous" and the email, website,
IP address and user agent are removed. The text stays, so that threads still read, unless it is asked
to go too.
"""

from django.utils import timezone
from django.utils.translation import gettext

from comments.models import Comment

ANONYMOUS = "Anonymous"


def comments_by(email):
    return Comment.objects.filter(email__iexact=email.strip()) if email.strip() else Comment.objects.none()


def export_personal_data(email):
    """A JSON-serialisable document of everything stored about the commenter with this email address."""
    comments = comments_by(email).select_related("article").order_by("created_at", "pk")
    return {
        "email": email.strip(),
        "exported_at": timezone.now().isoformat(),
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
    }


def erase_personal_data(email, delete_text=False):
    """Anonymise every comment posted with this email address; return how many were."""
    changes = {"author": ANONYMOUS, "email": "", "url": "", "ip_address": None, "user_agent": ""}
    if delete_text:
        changes["body"] = gettext("This comment was removed at its author's request.")
    return comments_by(email).update_shown(**changes)
