"""The article page's comments: ``{% load comments %}{% comment_list article %}{% comment_form article %}``."""

from django import template
from django.conf import settings

from comments import visitor
from comments.forms import CommentForm
from comments.models import Comment
from comments.moderation import comments_are_open
from comments.threads import build_threads
from pagecache.holes import per_request

register = template.Library()


@register.inclusion_tag("comments/includes/comment_list.html", takes_context=True)
def comment_list(context, article):
    """The article's approved comments, threaded, with this reader's own comments awaiting moderation."""
    comments = list(Comment.objects.for_page(article, visitor.posted_ids(context["request"])))
    return {
        "threads": build_threads(comments, settings.COMMENTS_THREAD_DEPTH),
        "approved_count": sum(not comment.is_pending for comment in comments),
        "comments_open": comments_are_open(article),
    }


@register.inclusion_tag("comments/includes/comment_form.html", takes_context=True)
def comment_form(context, article):
    """The "Leave a Reply" form: the one just refused, if any, or a new one (replying to ``?replytocom``).

    Its token and a returning commenter's remembered details are per-request values (see pagecache.holes).
    """
    form = context.get("comment_form")
    if form is None:
        request = context["request"]
        form = CommentForm(
            article,
            initial={field: per_request(request, "commenter", field=field) for field in visitor.REMEMBERED_FIELDS},
            reply_to=Comment.objects.approved().reply_target(article, request.GET.get("replytocom")),
            token=per_request(request, "comment_token", article_id=article.pk),
        )
        remembered = per_request(request, "commenter", field="remember")
        if remembered:  # the box's "checked" attribute, or its hole
            form.fields["remember"].widget.attrs[remembered] = True
    return {"article": article, "form": form, "comments_open": comments_are_open(article)}
