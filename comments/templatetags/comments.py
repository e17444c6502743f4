"""The article page's comments: ``{% load comments %}{% comment_list article %}{% comment_form article %}``."""

from django import template
from django.conf import settings

from comments import visitor
from comments.forms import CommentForm
from comments.html import render_comment_items
from comments.models import Comment
from comments.moderation import comments_are_open
from comments.threads import build_threads

register = template.Library()


@register.inclusion_tag("comments/includes/comment_list.html", takes_context=True)
def comment_list(context, article):
    """The article's approved comments, threaded, with this reader's own comments awaiting moderation."""
    comments = list(Comment.objects.for_page(article, visitor.posted_ids(context["request"])))
    threads = build_threads(comments, settings.COMMENTS_THREAD_DEPTH)
    return {
        "comment_items": render_comment_items(threads, comments_are_open(article)),
        "approved_count": sum(not comment.is_pending for comment in comments),
    }


@register.inclusion_tag("comments/includes/comment_form.html", takes_context=True)
def comment_form(context, article):
    """The "Leave a Reply" form: the one just refused, if any, or a new one (replying to ``?replytocom``).

    On a page rendered for the page cache, the form token is a hole that each request fills with a fresh token.
    """
    form = context.get("comment_form")
    if form is None:
        request = context["request"]
        form = CommentForm(
            article,
            initial=visitor.remembered_details(request),
            reply_to=Comment.objects.approved().reply_target(article, request.GET.get("replytocom")),
            token=cached_page_token(context.get("view"), article),
        )
    return {"article": article, "form": form, "comments_open": comments_are_open(article)}


def cached_page_token(view, article):
    """The form token's placeholder on a page rendered for the page cache; None (a token issued now) otherwise."""
    if not getattr(view, "rendering_for_cache", False):
        return None
    return view.page_hole("comments.forms.fill_comment_token", article_id=article.pk)
