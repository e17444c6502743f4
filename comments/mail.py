"""The mail the site sends, built from what is stored when it goes (see ``comments.tasks``).

Each builder returns an ``EmailMessage``, or None when there is nothing to send any more. Links are built on
``SITE_URL``, never on a request, whose Host header the visitor chooses.
"""

from urllib.parse import urljoin

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _

from comments import editing, moderation
from comments.models import Comment, Subscriber


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


def subscriber_mail(subscriber, subject, template, context):
    """A mail to a notified commenter, with a one-click unsubscribe link (RFC 8058) in the text and headers."""
    unsubscribe_url = absolute_url(reverse("comments:unsubscribe", args=[subscriber.token("unsubscribe")]))
    context = {**context, "site_name": settings.SITE_NAME, "unsubscribe_url": unsubscribe_url}
    headers = {"List-Unsubscribe": f"<{unsubscribe_url}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"}
    subject = f"[{settings.SITE_NAME}] {subject}"
    return EmailMessage(subject, render_to_string(template, context), None, [subscriber.email], headers=headers)


def confirmation(comment_id):
    """The mail asking the author of a comment to confirm their address, unless it is confirmed or unsubscribed.

    It holds nothing the commenter typed, so that nobody can have the site mail a stranger their own words.
    """
    comment = Comment.objects.select_related("article").filter(pk=comment_id).first()
    subscriber = Subscriber.objects.for_email(comment.email) if comment else None
    if subscriber is None or subscriber.confirmed_at or subscriber.unsubscribed_at:
        return None
    confirm_url = absolute_url(reverse("comments:confirm", args=[subscriber.token("confirm")]))
    context = {"article": comment.article, "confirm_url": confirm_url}
    return subscriber_mail(subscriber, _("Please confirm your email address"), "comments/email/confirm.txt", context)


def approval_notice(comment_id):
    """The mail telling a confirmed commenter that their comment was approved, with a signed link to edit or
    delete it while they still may (see comments.editing)."""
    comment = Comment.objects.approved().select_related("article").filter(pk=comment_id, notify=True).first()
    subscriber = Subscriber.objects.for_email(comment.email) if comment else None
    if subscriber is None or not subscriber.may_be_notified:
        return None
    context = {"comment": comment, "article": comment.article, "comment_url": absolute_url(comment.get_absolute_url())}
    if comment.may_still_be_changed():
        context["edit_url"] = absolute_url(editing.edit_link(comment))
    subject = _("Your comment on “%(title)s” is published") % {"title": comment.article}
    return subscriber_mail(subscriber, subject, "comments/email/approved.txt", context)


def reply_notice(reply_id):
    """The mail telling a confirmed commenter of a published reply to their comment (not one of their own)."""
    reply = Comment.objects.approved().select_related("article", "parent").filter(pk=reply_id).first()
    parent = reply.parent if reply else None
    if parent is None or not parent.notify or parent.email.lower() == reply.email.lower():
        return None
    subscriber = Subscriber.objects.for_email(parent.email)
    if subscriber is None or not subscriber.may_be_notified:
        return None
    context = {
        "reply": reply,
        "comment": parent,
        "article": reply.article,
        "reply_url": absolute_url(reply.get_absolute_url()),
    }
    subject = _("%(name)s replied to your comment on “%(title)s”") % {"name": reply.author, "title": reply.article}
    return subscriber_mail(subscriber, subject, "comments/email/reply.txt", context)
