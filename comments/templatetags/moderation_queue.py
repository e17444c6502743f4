"""The admin home's notice of the moderation queue: ``{% load moderation_queue %}{% pending_comments_notice %}``."""

from django import template

from comments.admin import moderation_queue_url
from comments.models import Comment

register = template.Library()


@register.inclusion_tag("admin/comments/pending_comments_notice.html", takes_context=True)
def pending_comments_notice(context):
    """How many comments await moderation, linked to the queue filtered on them; nothing for who may not see them."""
    if not context["request"].user.has_perm("comments.view_comment"):
        return {"may_moderate": False}
    return {
        "may_moderate": True,
        "pending_count": Comment.objects.pending().count(),
        "queue_url": moderation_queue_url(status__exact=Comment.Status.PENDING),
    }
