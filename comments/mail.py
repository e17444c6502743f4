"""The mail the site sends, built from what is stored when it goes (see ``comments.tasks``).

Each builder returns an ``EmailMessage``, or None when there is nothing to send any more. Links are built on
``SITE_URL``, never on a request, whose Host header the visitor chooses.
"""

from urllib.parse import urljoin

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from comments import moderation
from comments.models import Comment


def absolute_url(path):
    return urljoin(settings.SITE_URL, path)


def editors_notice(comment_id):
    """The editors' notice of a comment awaiting moderation, while it still waits and there are editors."""
    comment = Comment.objects.pending().select_related("article").filter(pk=comment_id).first()
    recipients = moderation.editor_emails()
    if comment is None or not recipients:
        return None
    context = {
        "comment": comment,
        "article": comment.article,
        "article_url": absolute_url(comment.article.get_absolute_url()),
        "moderation_url": absolute_url(comment.get_admin_url()),
        "site_name": settings.SITE_NAME,
    }
    subject = _("[%(site)s] Please moderate: “%(title)s”") % {"site": settings.SITE_NAME, "title": comment.article}
    return EmailMessage(subject, render_to_string("comments/email/moderation.txt", context), None, recipients)
