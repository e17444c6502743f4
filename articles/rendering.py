"""The article page, rendered for one request: ``render_article()``; the sidebar of every page: ``with_sidebar()``.

What every reader sees alike on an article page (its head's metadata, the article, its comments, its links
and the sidebar) is kept in the fragment cache (see pagecache.fragments) under the page's topics, the article's
own parts under ``article_content`` (which its comments do not change), so the context gives it lazily: a page
whose fragments are all kept reads the article's row, its view count and nothing more.
"""

from functools import partial

from django.template.response import TemplateResponse
from django.utils.functional import SimpleLazyObject

from articles.models import Article, Section, article_content


def with_sidebar(context):
    """``context`` with what the sidebar shows (templates/articles/includes/sidebar.html): the most read
    articles, the sections and the archive's years, unless ``context`` already has its own.

    Each is read when the template first uses it, so a sidebar kept in the fragment cache reads nothing.
    """
    context.setdefault("most_read", SimpleLazyObject(Article.objects.most_read))
    context.setdefault("sidebar_sections", SimpleLazyObject(lambda: list(Section.objects.with_published_articles())))
    context.setdefault(
        "archive_years",
        SimpleLazyObject(lambda: list(Article.objects.published().datetimes("published_at", "year", order="DESC"))),
    )
    return context


def render_article(request, article, status=200, **context):
    """The article page (``articles/article_detail.html``), with ``context`` added (a refused comment form)."""
    return TemplateResponse(
        request,
        "articles/article_detail.html",
        with_sidebar(
            {
                "article": article,
                "object": article,
                "canonical_url": request.build_absolute_uri(article.get_absolute_url()),
                "article_content_topic": article_content(article.pk),
                "structured_data": partial(article.structured_data, request),  # called by the template, if used
                "related_articles": SimpleLazyObject(partial(Article.objects.related_to, article)),
                "previous_article": SimpleLazyObject(partial(Article.objects.before, article)),
                "next_article": SimpleLazyObject(partial(Article.objects.after, article)),
                "most_read": SimpleLazyObject(Article.objects.exclude(pk=article.pk).most_read),
                **context,
            }
        ),
        status=status,
    )
