"""The article page, rendered for one request: ``render_article()``."""

from django.template.response import TemplateResponse

from articles.models import Article


def render_article(request, article, status=200, **context):
    """The article page (``articles/article_detail.html``), with ``context`` added (a refused comment form)."""
    return TemplateResponse(
        request,
        "articles/article_detail.html",
        {
            "article": article,
            "object": article,
            "canonical_url": request.build_absolute_uri(article.get_absolute_url()),
            "structured_data": article.structured_data(request),
            "related_articles": Article.objects.related_to(article),
            "most_read": Article.objects.exclude(pk=article.pk).most_read(),
            **context,
        },
        status=status,
    )
