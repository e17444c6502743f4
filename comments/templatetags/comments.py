"""The article page's comments: ``{% load comments %}{% comment_list article %}{% comment_form article %}``."""

from django import template
from django.core.paginator import InvalidPage
from django.http import Http404
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from articles.models import article_content, article_page
from comments import editing, visitor
from comments.forms import CommentForm
from comments.html import fragment_version, render_comment_items
from comments.models import Comment
from comments.moderation import comments_are_open
from comments.threads import comment_page
from pagecache.fragments import cached_fragment
from pagecache.holes import per_request

register = template.Library()


@register.filter(name="comments_are_open")
def comments_are_open_filter(article):
    """Whether readers may comment on the article now."""
    return comments_are_open(article)


@register.simple_tag(takes_context=True)
def comment_list(context, article):
    """A page of the article's approved comments, threaded, with this reader's own comments awaiting moderation.

    The page is the one in the address (``comment-page-N/``), else the one holding the comment replied to
    (``?replytocom=``), else the first. A reader who has posted no comment gets it from the fragment cache
    (see pagecache.fragments), as every such reader sees it alike.
    """
    request = context["request"]
    number = requested_page(request, article)
    own_ids = visitor.posted_ids(request)
    comments_open = comments_are_open(article)

    def render():
        try:
            page = comment_page(article, number, own_ids)
        except InvalidPage as error:
            raise Http404(_("There is no such page of comments.")) from error
        return render_to_string(
            "comments/includes/comment_list.html",
            {
                "comment_items": render_comment_items(
                    page.threads, comments_open, own_links=editing.links_hole(request)
                ),
                "approved_count": page.comment_count,
                **page_links(article, page.page),
            },
        )

    if own_ids:
        return render()
    vary = [article.pk, number, comments_open, fragment_version()]
    return cached_fragment("comment-list", vary, [article_page(article.pk)], render, request)


def page_links(article, page):
    """The links between the comment pages, when there is more than one: each page's number and address."""
    if page.paginator.num_pages < 2:
        return {}
    numbers = page.paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1)
    return {
        "page_number": page.number,
        "page_links": [
            (number, article.get_comment_page_url(number) if isinstance(number, int) else None) for number in numbers
        ],
        "previous_url": article.get_comment_page_url(page.previous_page_number()) if page.has_previous() else None,
        "next_url": article.get_comment_page_url(page.next_page_number()) if page.has_next() else None,
    }


def requested_page(request, article):
    match = request.resolver_match
    if match is not None and "comment_page" in match.kwargs:
        return match.kwargs["comment_page"]
    target = Comment.objects.approved().reply_target(article, request.GET.get("replytocom"))
    return Comment.objects.page_of(target) if target is not None else 1


@register.simple_tag(takes_context=True)
def comment_form(context, article):
    """The "Leave a Reply" form: the one just refused, if any, or a new one (replying to ``?replytocom``).

    A new form is the same for every reader of the article but for per-request values (see pagecache.holes:
    its token, the CSRF token and a returning commenter's remembered details), so it is kept in the fragment
    cache (see pagecache.fragments) with those as holes.
    """
    refused = context.get("comment_form")
    if refused is not None:
        return render_comment_form(context, article, refused)
    request = context["request"]
    reply_to = Comment.objects.approved().reply_target(article, request.GET.get("replytocom"))

    def render():
        return render_comment_form(context, article, new_comment_form(request, article, reply_to))

    vary = [article.pk, reply_to.pk if reply_to else None, comments_are_open(article)]
    topics = [article_page(article.pk)] if reply_to else [article_content(article.pk)]  # a reply names a comment
    return cached_fragment("comment-form", vary, topics, render, request)


def new_comment_form(request, article, reply_to):
    """An empty comment form, with a returning commenter's remembered details and the form's token as holes."""
    form = CommentForm(
        article,
        initial={field: per_request(request, "commenter", field=field) for field in visitor.REMEMBERED_FIELDS},
        reply_to=reply_to,
        token=per_request(request, "comment_token", article_id=article.pk),
    )
    remembered = per_request(request, "commenter", field="remember")
    if remembered:  # the box's "checked" attribute, or its hole
        form.fields["remember"].widget.attrs[remembered] = True
    return form


def render_comment_form(context, article, form):
    template = context.template.engine.get_template("comments/includes/comment_form.html")
    values = {
        "article": article,
        "form": form,
        "comments_open": comments_are_open(article),
        "csrf_token": per_request(context["request"], "csrf_token"),  # a hole of this render, or of the fragment's
    }
    return template.render(context.new(values))
