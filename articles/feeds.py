"""RSS 2.0 and Atom feeds of the latest published articles: the whole site, a section, an author.

Each feed is an RSS class with an Atom twin made with ``AtomFeed``; other apps' feeds (an article's
comments, for instance) follow the same pattern.
"""

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed, Enclosure, Rss201rev2Feed, rfc3339_date
from django.utils.translation import gettext_lazy as _

from articles.models import Article, Author, Section

FEED_LENGTH = 20
DUBLIN_CORE = "http://purl.org/dc/elements/1.1/"


class AtomFeed:
    """Mix in before a feed class to serve it as Atom 1.0; the description becomes the subtitle."""

    feed_type = Atom1Feed

    def subtitle(self, obj):
        return self._get_dynamic_attr("description", obj)


class ArticleRss(Rss201rev2Feed):
    """RSS 2.0 with a ``dc:creator`` for each co-author, and the last change as ``atom:updated``."""

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        for name in item["coauthor_names"]:
            handler.addQuickElement("dc:creator", name, {"xmlns:dc": DUBLIN_CORE})
        if item["updateddate"] is not None:
            handler.addQuickElement("atom:updated", rfc3339_date(item["updateddate"]))


class ArticleAtom(Atom1Feed):
    """Atom 1.0 with an ``author`` for each co-author."""

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        for name in item["coauthor_names"]:
            handler.startElement("author", {})
            handler.addQuickElement("name", name)
            handler.endElement("author")


class ArticleFeed(Feed):
    """The items of every article feed: title, summary, bylines (the names only), dates, section and tags,
    and the lead image as an enclosure (RSS ``<enclosure>``, Atom ``<link rel="enclosure">``)."""

    feed_type = ArticleRss

    def get_feed(self, obj, request):
        feed = super().get_feed(obj, request)
        for item in feed.items:  # enclosure URLs must be absolute, and only the request knows the host
            item["enclosures"] = [
                Enclosure(request.build_absolute_uri(enclosure.url), enclosure.length, enclosure.mime_type)
                for enclosure in item["enclosures"]
            ]
        return feed

    def articles(self, obj):
        return Article.objects.published()

    def items(self, obj):
        return (
            self.articles(obj)
            .with_bylines()
            .select_related("section", "lead_image")
            .prefetch_related("tags", "notes")[:FEED_LENGTH]
        )

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.summary

    def item_author_name(self, item):
        return item.author.name

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return item.modified_at

    def item_extra_kwargs(self, item):
        return {"coauthor_names": [author.name for author in item.bylines[1:]]}

    def item_enclosures(self, item):
        if not item.lead_image:
            return []
        shared = item.lead_image.share_rendition
        return [Enclosure(shared.url, str(shared.size), shared.media_type)]

    def item_categories(self, item):
        section = [item.section.name] if item.section else []
        return section + [tag.name for tag in item.tags.all()]


class LatestArticlesFeed(ArticleFeed):
    def title(self):
        return settings.SITE_NAME

    def link(self):
        return reverse("articles:index")

    def description(self):
        return _("The latest articles from %(site)s.") % {"site": settings.SITE_NAME}


class ArticleAtomFeed(AtomFeed):
    feed_type = ArticleAtom


class LatestArticlesAtomFeed(ArticleAtomFeed, LatestArticlesFeed):
    pass


class SectionFeed(ArticleFeed):
    def get_object(self, request, slug):
        return get_object_or_404(Section.objects.with_published_articles(), slug=slug)

    def articles(self, section):
        return section.articles.published()

    def title(self, section):
        return f"{section.name} – {settings.SITE_NAME}"

    def link(self, section):
        return section.get_absolute_url()

    def description(self, section):
        return section.description or _("The latest %(section)s articles.") % {"section": section.name}


class SectionAtomFeed(ArticleAtomFeed, SectionFeed):
    pass


class AuthorFeed(ArticleFeed):
    def get_object(self, request, slug):
        return get_object_or_404(Author, slug=slug)

    def articles(self, author):
        return Article.objects.published().by_author(author)

    def title(self, author):
        return f"{author.name} – {settings.SITE_NAME}"

    def link(self, author):
        return author.get_absolute_url()

    def description(self, author):
        return _("The latest articles by %(author)s.") % {"author": author.name}


class AuthorAtomFeed(ArticleAtomFeed, AuthorFeed):
    pass
