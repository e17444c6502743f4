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

from articles.counting import views_key
from articles.models import (
    ARTICLE_LISTS,
    COMMENT_COUNTS,
    CORRECTIONS,
    Article,
    ArticleNote,
    Author,
    Section,
    Tag,
    article_page,
)
from articles.rendering import render_article, with_sidebar
from articles.search import clean_query, search
from comments.views import CommentPostView
from newsroom.clients import client_address, within_rate
from pagecache.views import CachedPageMixin


class ArticlePageMixin(CachedPageMixin):
    """A public page that lists articles, ``ARTICLES_PER_PAGE`` to a page, served from the page cache."""

    page_topics = (ARTICLE_LISTS, COMMENT_COUNTS)

    def get_paginate_by(self, queryset):
        return settings.ARTICLES_PER_PAGE


class PublishedArticleMixin(ArticlePageMixin):
    """Date-based views over what the public may see, newest first."""

    date_field = "published_at"
    month_format = "%m"

    def get_queryset(self):
        return Article.objects.published().with_bylines().select_related("lead_image")


class SidebarMixin:
    """The sidebar of every page (templates/articles/includes/sidebar.html): the most read articles, the
    sections and the archive's years. A view may pass its own ``most_read`` or ``archive_years``."""

    def get_context_data(self, **kwargs):
        return with_sidebar(super().get_context_data(**kwargs))


class ArticleIndexView(SidebarMixin, PublishedArticleMixin, ArchiveIndexView):
    """The home page: the latest articles, with the sidebar (its years are the page's ``date_list``)."""

    allow_empty = True
    context_object_name = "article_list"

    def get_date_list(self, queryset, date_type=None, ordering="ASC"):
        """The archive's years, found without sorting every article (see ``ArticleQuerySet.years``)."""
        years = queryset.years()
        return years if ordering == "DESC" else years[::-1]

    def get_context_data(self, **kwargs):
        return super().get_context_data(archive_years=kwargs.get("date_list"), **kwargs)


class ArticleYearArchiveView(SidebarMixin, PublishedArticleMixin, YearArchiveView):
    make_object_list = True


class ArticleMonthArchiveView(SidebarMixin, PublishedArticleMixin, MonthArchiveView):
    pass


class ArticleDayArchiveView(SidebarMixin, PublishedArticleMixin, DayArchiveView):
    pass


class ArticleDetailView(PublishedArticleMixin, DateDetailView):
    """An article. Editors may also preview drafts and scheduled articles here; previews count no view.

    A comment is posted to the article's own address, so that a refused one is shown again there.
    """

    page_topics = (ARTICLE_LISTS,)  # its own comment count is under its own topic

    def is_editor(self):
        return self.request.user.has_perm("articles.view_article")

    def get_queryset(self):
        """The article alone: its co-authors, tags and notes are read by the parts of the page rendered again
        (see articles.rendering), none when those come from the fragment cache."""
        articles = Article.objects.all() if self.is_editor() else Article.objects.published()
        return articles.select_related("author", "section", "lead_image")

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


class ArticleListView(SidebarMixin, ArticlePageMixin, ListView):
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


class SearchView(SidebarMixin, ArticlePageMixin, ListView):
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


class CorrectionListView(ArticlePageMixin, ListView):
    """Recent corrections of published articles, the latest first."""

    template_name = "articles/correction_list.html"
    context_object_name = "corrections"
    page_topics = (ARTICLE_LISTS, CORRECTIONS)

    def get_queryset(self):
        return ArticleNote.objects.published_corrections()


class RobotsView(TemplateView):
    """robots.txt, naming the sitemap by its absolute URL."""

    template_name = "robots.txt"
    content_type = "text/plain; charset=utf-8"

    def get_context_data(self, **kwargs):
        return super().get_context_data(sitemap_url=self.request.build_absolute_uri(reverse("articles:sitemap")))
