"""The sitemap: the home page, published articles, and the authors, sections and tags that have some."""

from django.contrib.sitemaps import Sitemap
from django.db.models import OuterRef, Q, Subquery
from django.urls import reverse

from articles.models import Article, Author, Section, Tag


class HomeSitemap(Sitemap):
    changefreq = "hourly"
    priority = 1.0

    def items(self):
        return ["articles:index"]

    def location(self, item):
        return reverse(item)


class ArticleSitemap(Sitemap):
    changefreq = "weekly"
    priority = 0.8

    def items(self):
        return Article.objects.published().only("slug", "published_at", "updated_at").order_by("-published_at", "-pk")

    def lastmod(self, article):
        return article.updated_at


class ArticleListSitemap(Sitemap):
    """Authors, sections or tags with at least one published article, last modified with their latest one."""

    model = None
    article_field = None
    changefreq = "daily"
    priority = 0.5

    def articles_of(self, owner):
        return Article.objects.published().filter(**{self.article_field: owner})

    def items(self):
        latest_change = self.articles_of(OuterRef("pk")).order_by("-updated_at").values("updated_at")[:1]
        return (
            self.model.objects.annotate(last_change=Subquery(latest_change))
            .filter(last_change__isnull=False)
            .order_by("slug")
        )

    def lastmod(self, item):
        return item.last_change


class AuthorSitemap(ArticleListSitemap):
    model = Author

    def articles_of(self, author):
        """The author's articles under any byline (a join: ``author`` is an outer reference here)."""
        return Article.objects.published().filter(Q(author=author) | Q(article_authors__author=author))


class SectionSitemap(ArticleListSitemap):
    model = Section
    article_field = "section"


class TagSitemap(ArticleListSitemap):
    model = Tag
    article_field = "tags"


sitemaps = {
    "home": HomeSitemap,
    "articles": ArticleSitemap,
    "sections": SectionSitemap,
    "authors": AuthorSitemap,
    "tags": TagSitemap,
}
