"""The public pages: the home page, the date-based archives, articles, authors, sections, tags and search."""

from django.conf import settings
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.views.generic import (
    ArchiveIndexView,
    DateDetailView,
    DayArchiveView,
    ListView,
    MonthArchiveView,
    TemplateView,
    YearArchiveView,
)

from articles.counting import views_key
from articles.models import ARTICLE_LISTS, Article, Author, Section, Tag, article_page
from articles.rendering import render_article
from articles.search import clean_query, search
from comments.views import CommentPostView
from pagecache.views import CachedPageMixin


class ArticlePageMixin(CachedPageMixin):
    """A public page that lists articles, ``ARTICLES_PER_PAGE`` to a page, served from the page cache."""

    page_topics = (ARTICLE_LISTS,)

    def get_paginate_by(self, queryset):
        return settings.ARTICLES_PER_PAGE


class PublishedArticleMixin(ArticlePageMixin):
    """Date-based views over what the public may see, newest first."""

    date_field = "published_at"
    month_format = "%m"

    def get_queryset(self):
        return Article.objects.published().select_related("author", "lead_image")


class ArticleIndexView(PublishedArticleMixin, ArchiveIndexView):
    """The home page: the latest articles, with the most read and the archive's years."""

    allow_empty = True
    context_object_name = "article_list"

    def get_context_data(self, **kwargs):
        return super().get_context_data(most_read=Article.objects.most_read(), **kwargs)


class ArticleYearArchiveView(PublishedArticleMixin, YearArchiveView):
    make_object_list = True


class ArticleMonthArchiveView(PublishedArticleMixin, MonthArchiveView):
    pass


class ArticleDayArchiveView(PublishedArticleMixin, DayArchiveView):
    pass


class ArticleDetailView(PublishedArticleMixin, DateDetailView):
    """An article. Editors may also preview drafts and scheduled articles here; previews count no view.

    A comment is posted to the article's own address, so that a refused one is shown again there.
    """

    def is_editor(self):
        return self.request.user.has_perm("articles.view_article")

    def get_queryset(self):
        articles = Article.objects.all() if self.is_editor() else super().get_queryset()
        return articles.select_related("author", "section", "lead_image").prefetch_related("tags")

    def get_allow_future(self):
        return self.is_editor()

    def get(self, request, *args, **kwargs):
        self.object = self.get_object()
        self.add_page_topics(article_page(self.object.pk))
        return render_article(request, self.object)

    def post(self, request, *args, **kwargs):
        return CommentPostView.as_view()(request, article_id=self.get_object().pk)

    def page_counter(self):
        return views_key(self.object.pk) if settings.VIEW_COUNTS_IN_CACHE else None


class ArticleListView(ArticlePageMixin, ListView):
    """Published articles of one author, section or tag (``get_owner``), newest first."""

    owner_model = None

    def get_owner(self):
        return get_object_or_404(self.owner_model, slug=self.kwargs["slug"])

    def get_queryset(self):
        self.owner = self.get_owner()
        return self.owner.articles.published().select_related("author", "lead_image")

    def get_context_data(self, **kwargs):
        return super().get_context_data(**{self.owner_model._meta.model_name: self.owner}, **kwargs)


class AuthorDetailView(ArticleListView):
    """An author's page: their bio and their published articles."""

    owner_model = Author
    template_name = "articles/author_detail.html"


class SectionDetailView(ArticleListView):
    owner_model = Section
    template_name = "articles/section_detail.html"


class TagDetailView(ArticleListView):
    owner_model = Tag
    template_name = "articles/tag_detail.html"


class SearchView(ArticlePageMixin, ListView):
    """Search results for ``?q=``, best match first; an empty query shows only the search box."""

    template_name = "articles/search.html"

    def get_queryset(self):
        self.query = clean_query(self.request.GET.get("q", ""))
        return search(self.query)

    def get_context_data(self, **kwargs):
        return super().get_context_data(query=self.query, **kwargs)


class RobotsView(TemplateView):
    """robots.txt, naming the sitemap by its absolute URL."""

    template_name = "robots.txt"
    content_type = "text/plain; charset=utf-8"

    def get_context_data(self, **kwargs):
        return super().get_context_data(sitemap_url=self.request.build_absolute_uri(reverse("articles:sitemap")))
