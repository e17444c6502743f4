"""The public pages: the home page, the date-based archives, articles, authors, sections, tags and search."""

from django.conf import settings
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
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

from articles.counting import count_view, views_key
from articles.models import Article, ArticleNote, Author, Section, Tag
from articles.search import clean_query, search
from articles.templatetags.article_tags import views_label
from newsroom.clients import client_address, within_rate
from newsroom.pagecache import CachedPageMixin

VIEWS_HOLE = "page-cache-hole-view-count"


class PublishedArticleMixin:
    """Date-based views over what the public may see, newest first."""

    date_field = "published_at"
    month_format = "%m"

    def get_queryset(self):
        return Article.objects.published().with_bylines().select_related("lead_image")

    def get_paginate_by(self, queryset):
        return settings.ARTICLES_PER_PAGE


class SidebarMixin:
    """The sidebar of every page (templates/articles/includes/sidebar.html): the most read articles, the
    sections and the archive's years. A view may pass its own ``most_read`` or ``archive_years``."""

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.setdefault("most_read", Article.objects.most_read())
        context.setdefault("sidebar_sections", Section.objects.with_published_articles())
        context.setdefault("archive_years", Article.objects.published().datetimes("published_at", "year", order="DESC"))
        return context


class ArticleIndexView(CachedPageMixin, SidebarMixin, PublishedArticleMixin, ArchiveIndexView):
    """The home page: the latest articles, with the sidebar (its years are the page's ``date_list``)."""

    allow_empty = True
    context_object_name = "article_list"

    def get_date_list(self, queryset, date_type=None, ordering="ASC"):
        """The archive's years, found without sorting every article (see ``ArticleQuerySet.years``)."""
        years = queryset.years()
        return years if ordering == "DESC" else years[::-1]

    def get_context_data(self, **kwargs):
        return super().get_context_data(archive_years=kwargs.get("date_list"), **kwargs)


class ArticleYearArchiveView(CachedPageMixin, SidebarMixin, PublishedArticleMixin, YearArchiveView):
    make_object_list = True


class ArticleMonthArchiveView(CachedPageMixin, SidebarMixin, PublishedArticleMixin, MonthArchiveView):
    pass


class ArticleDayArchiveView(CachedPageMixin, SidebarMixin, PublishedArticleMixin, DayArchiveView):
    pass


class ArticleDetailView(CachedPageMixin, SidebarMixin, PublishedArticleMixin, DateDetailView):
    """An article. Editors may also preview drafts and scheduled articles here; previews count no view.

    A page from the cache counts its view when its view-count hole is filled; a page rendered for this
    request alone counts it before rendering.
    """

    def is_editor(self):
        return self.request.user.has_perm("articles.view_article")

    def get_queryset(self):
        articles = Article.objects.with_bylines() if self.is_editor() else super().get_queryset()
        return articles.select_related("section", "lead_image").prefetch_related("tags", "notes")

    def get_allow_future(self):
        return self.is_editor()

    def get(self, request, *args, **kwargs):
        self.object = self.get_object()
        if request.method == "GET" and self.object.is_published() and not self.rendering_for_cache:
            self.object.view_count = count_view(self.object.pk)
        return self.render_to_response(self.get_context_data(object=self.object))

    def page_holes(self):
        article = {"article_id": self.object.pk, "view_count": self.object.view_count}
        return {**super().page_holes(), VIEWS_HOLE: ("articles.views.counted_views_label", article)}

    def page_counter(self):
        return views_key(self.object.pk) if settings.VIEW_COUNTS_IN_CACHE else None

    def get_context_data(self, **kwargs):
        article = self.object
        return super().get_context_data(
            views_label=VIEWS_HOLE if self.rendering_for_cache else views_label(article.view_count),
            canonical_url=self.request.build_absolute_uri(article.get_absolute_url()),
            structured_data=article.structured_data(self.request),
            related_articles=Article.objects.related_to(article),
            previous_article=Article.objects.before(article),
            next_article=Article.objects.after(article),
            most_read=Article.objects.exclude(pk=article.pk).most_read(),
            **kwargs,
        )


def counted_views_label(request, article_id, view_count):
    """Fill a cached article page's view count, counting this view if it is a GET."""
    if request.method != "GET":
        return views_label(view_count)
    counted = getattr(request, "page_counts", {}).get(views_key(article_id))
    return views_label(count_view(article_id, counted=counted))


class ArticleListView(CachedPageMixin, SidebarMixin, ListView):
    """Published articles of one author, section or tag (``get_owner``), newest first."""

    owner_model = None

    def get_owners(self):
        """The authors, sections or tags that have a public page."""
        return self.owner_model.objects.all()

    def get_owner(self):
        return get_object_or_404(self.get_owners(), slug=self.kwargs["slug"])

    def get_queryset(self):
        self.owner = self.get_owner()
        return self.owner.articles.published().with_bylines().select_related("lead_image")

    def get_context_data(self, **kwargs):
        return super().get_context_data(**{self.owner_model._meta.model_name: self.owner}, **kwargs)

    def get_paginate_by(self, queryset):
        return settings.ARTICLES_PER_PAGE


class AuthorDetailView(ArticleListView):
    """An author's page: their bio and their published articles."""

    owner_model = Author
    template_name = "articles/author_detail.html"

    def get_queryset(self):
        self.owner = self.get_owner()
        return Article.objects.published().by_author(self.owner).with_bylines().select_related("lead_image")


class SectionDetailView(ArticleListView):
    """A section's published articles; a section without any has no page, whatever its unpublished ones."""

    owner_model = Section
    template_name = "articles/section_detail.html"

    def get_owners(self):
        return Section.objects.with_published_articles()


class TagDetailView(ArticleListView):
    """A tag's published articles; a tag without any has no page, whatever its unpublished ones."""

    owner_model = Tag
    template_name = "articles/tag_detail.html"

    def get_owners(self):
        return Tag.objects.with_published_articles()


class SearchView(CachedPageMixin, SidebarMixin, ListView):
    """Search results for ``?q=``, best match first; an empty query shows only the search box.

    A client may search ``SEARCH_RATE_LIMIT`` times a minute; past that it is asked to wait (429).
    """

    template_name = "articles/search.html"
    rate_window_seconds = 60

    def get(self, request, *args, **kwargs):
        query = clean_query(request.GET.get("q", ""))
        limit = settings.SEARCH_RATE_LIMIT
        if query and not within_rate("search", client_address(request), limit, self.rate_window_seconds):
            context = {"query": query, "rate_limited": True, "article_list": []}
            response = TemplateResponse(request, self.template_name, context, status=429)
            response["Retry-After"] = str(self.rate_window_seconds)
            return response
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        self.query = clean_query(self.request.GET.get("q", ""))
        return search(self.query)

    def get_context_data(self, **kwargs):
        return super().get_context_data(query=self.query, **kwargs)

    def get_paginate_by(self, queryset):
        return settings.ARTICLES_PER_PAGE


class CorrectionListView(CachedPageMixin, ListView):
    """Recent corrections of published articles, the latest first."""

    template_name = "articles/correction_list.html"
    context_object_name = "corrections"

    def get_queryset(self):
        return ArticleNote.objects.published_corrections()

    def get_paginate_by(self, queryset):
        return settings.ARTICLES_PER_PAGE


class RobotsView(TemplateView):
    """robots.txt, naming the sitemap by its absolute URL."""

    template_name = "robots.txt"
    content_type = "text/plain; charset=utf-8"

    def get_context_data(self, **kwargs):
        return super().get_context_data(sitemap_url=self.request.build_absolute_uri(reverse("articles:sitemap")))
