"""The public pages: the home page, the date-based archives, articles and authors."""

from django.conf import settings
from django.shortcuts import get_object_or_404
from django.views.generic import (
    ArchiveIndexView,
    DateDetailView,
    DayArchiveView,
    ListView,
    MonthArchiveView,
    YearArchiveView,
)

from articles.counting import count_view
from articles.models import Article, Author


class PublishedArticleMixin:
    """Date-based views over what the public may see, newest first."""

    date_field = "published_at"
    month_format = "%m"

    def get_queryset(self):
        return Article.objects.published().select_related("author")

    def get_paginate_by(self, queryset):
        return settings.ARTICLES_PER_PAGE


class ArticleIndexView(PublishedArticleMixin, ArchiveIndexView):
    """The home page: the latest articles, with the archive's years."""

    allow_empty = True
    context_object_name = "article_list"


class ArticleYearArchiveView(PublishedArticleMixin, YearArchiveView):
    make_object_list = True


class ArticleMonthArchiveView(PublishedArticleMixin, MonthArchiveView):
    pass


class ArticleDayArchiveView(PublishedArticleMixin, DayArchiveView):
    pass


class ArticleDetailView(PublishedArticleMixin, DateDetailView):
    """An article. Editors may also preview drafts and scheduled articles here; previews count no view."""

    def is_editor(self):
        return self.request.user.has_perm("articles.view_article")

    def get_queryset(self):
        if self.is_editor():
            return Article.objects.select_related("author")
        return super().get_queryset()

    def get_allow_future(self):
        return self.is_editor()

    def get(self, request, *args, **kwargs):
        response = super().get(request, *args, **kwargs)
        # The template response renders after this returns, so it shows the count with this view in it.
        if request.method == "GET" and self.object.is_published():
            count_view(self.object)
        return response


class AuthorDetailView(ListView):
    """An author's page: their bio and their published articles, newest first."""

    template_name = "articles/author_detail.html"

    def get_queryset(self):
        self.author = get_object_or_404(Author, slug=self.kwargs["slug"])
        return self.author.articles.published().select_related("author")

    def get_context_data(self, **kwargs):
        return super().get_context_data(author=self.author, **kwargs)

    def get_paginate_by(self, queryset):
        return settings.ARTICLES_PER_PAGE
