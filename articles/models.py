from datetime import timedelta
from html import unescape

from django.conf import settings
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVector
from django.db import models
from django.db.models import Count, F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.html import strip_tags
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from articles.html import render_body
from newsroom.querysets import ShownQuerySet

# What readers see of each model, for the page cache (pagecache): ``shown_on_pages()`` names the topics of
# the pages that show an object. "articles" is every page that lists articles (the home page, archives,
# author, section, tag and search pages, and every article page through its "Related" and "Most read"
# lists and masthead); "article:<id>" is the article's own page.
ARTICLE_LISTS = "articles"


def article_page(article_id):
    return f"article:{article_id}"


def articles_of_pages(topics):
    """The ids of the articles whose own pages are among these topics."""
    return [int(topic.removeprefix("article:")) for topic in topics if topic.startswith("article:")]


class Author(models.Model):
    """A byline. Every author has a public archive page."""

    name = models.CharField(_("name"), max_length=100)
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    email = models.EmailField(
        _("contact email"), blank=True, help_text=_("Shown publicly in the author's box under each article.")
    )
    bio = models.TextField(_("short bio"), blank=True)
    wordpress_login = models.CharField(
        _("WordPress login"),
        max_length=60,
        null=True,
        blank=True,
        unique=True,
        editable=False,
        help_text=_("The user this author was imported from, so that importing again finds them."),
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("author")
        verbose_name_plural = _("authors")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("articles:author", kwargs={"slug": self.slug})

    def shown_on_pages(self, created=False):
        """Shown wherever articles are listed (bylines, the masthead, tag lists); a new one nowhere yet."""
        return [] if created else [ARTICLE_LISTS]


class Section(models.Model):
    """A part of the paper (World, Politics, Sport…). Sections are listed in the masthead."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    description = models.TextField(_("description"), blank=True, help_text=_("Shown at the top of the section page."))
    ordering = models.PositiveSmallIntegerField(
        _("position"), default=0, help_text=_("Sections are listed in the masthead from the lowest number up.")
    )

    class Meta:
        ordering = ["ordering", "name"]
        verbose_name = _("section")
        verbose_name_plural = _("sections")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("articles:section", kwargs={"slug": self.slug})

    def shown_on_pages(self, created=False):
        """Shown wherever articles are listed (bylines, the masthead, tag lists); a new one nowhere yet."""
        return [] if created else [ARTICLE_LISTS]


class Tag(models.Model):
    """A subject an article is about; an article may carry several."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    slug = models.SlugField(_("slug"), max_length=100, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("tag")
        verbose_name_plural = _("tags")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("articles:tag", kwargs={"slug": self.slug})

    def shown_on_pages(self, created=False):
        """Shown wherever articles are listed (bylines, the masthead, tag lists); a new one nowhere yet."""
        return [] if created else [ARTICLE_LISTS]


SEARCH_CONFIG = "english"


def search_vector():
    """The weighted full-text document of an article (PostgreSQL only): title A, standfirst B, body C.

    The GIN index on articles is built on this very expression, so searches that filter on it use the index.
    """
    return (
        SearchVector("title", weight="A", config=SEARCH_CONFIG)
        + SearchVector("standfirst", weight="B", config=SEARCH_CONFIG)
        + SearchVector("body", weight="C", config=SEARCH_CONFIG)
    )


class ArticleQuerySet(ShownQuerySet):
    def published(self):
        """What the public may see: published articles whose publication time has come."""
        return self.filter(status=Article.Status.PUBLISHED, published_at__lte=timezone.now())

    def publish(self):
        """Publish these articles, each at its own publication date (a future one schedules it).

        Returns how many articles changed.
        """
        return self.exclude(status=Article.Status.PUBLISHED)._change_status(
            Article.Status.PUBLISHED, updated_at=timezone.now()
        )

    def unpublish(self):
        """Turn these articles back into drafts. Returns how many articles changed."""
        return self.filter(status=Article.Status.PUBLISHED)._change_status(
            Article.Status.DRAFT, updated_at=timezone.now()
        )

    def most_read(self, limit=5):
        """The most viewed published articles of the last ``MOST_READ_DAYS`` days, most views first.

        When fewer than ``limit`` articles were published in that window (an old archive), the list is
        topped up with the most viewed older articles, so it is never empty while anything is published.
        """
        since = timezone.now() - timedelta(days=settings.MOST_READ_DAYS)
        return (
            self.published()
            .select_related("author")
            .alias(is_recent=models.ExpressionWrapper(Q(published_at__gte=since), output_field=models.BooleanField()))
            .order_by("-is_recent", "-view_count", "-published_at")[:limit]
        )

    def related_to(self, article, limit=4):
        """Published articles sharing the article's section or tags, the most shared tags first."""
        score = F("shared_tags")
        if article.section_id:
            score += models.Case(models.When(section=article.section_id, then=1), default=0)
        return (
            self.published()
            .exclude(pk=article.pk)
            .select_related("author")
            .annotate(shared_tags=Count("tags", filter=Q(tags__in=article.tags.all()), distinct=True))
            .annotate(score=score)
            .filter(score__gt=0)
            .order_by("-score", "-published_at")[:limit]
        )


class Article(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")

    title = models.CharField(_("title"), max_length=255)
    slug = models.SlugField(
        _("slug"), max_length=255, unique_for_date="published_at", help_text=_("The last part of the article's URL.")
    )
    author = models.ForeignKey(Author, on_delete=models.PROTECT, related_name="articles", verbose_name=_("byline"))
    # PROTECT: deleting a section that still holds articles is refused, so its articles are never
    # silently left without one; move them to another section first.
    section = models.ForeignKey(
        Section,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="articles",
        verbose_name=_("section"),
    )
    tags = models.ManyToManyField(Tag, blank=True, related_name="articles", verbose_name=_("tags"))
    # PROTECT: an image that leads an article cannot be deleted from the library (the admin names the
    # articles), so no published article, link preview or feed item silently loses its picture.
    lead_image = models.ForeignKey(
        "images.Image",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="lead_of_articles",
        verbose_name=_("lead image"),
        help_text=_("Shown at the top of the article, on lists and in link previews and feeds."),
    )
    standfirst = models.TextField(_("standfirst"), blank=True, help_text=_("An optional one-paragraph summary."))
    body = models.TextField(
        _("body"),
        help_text=_(
            "Paragraphs separated by a blank line. Limited HTML is allowed (links, emphasis, lists, headings, "
            "quotes, images); anything else is removed."
        ),
    )
    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.DRAFT)
    published_at = models.DateTimeField(
        _("publication date"),
        default=timezone.now,
        help_text=_("A published article with a date in the future stays hidden until then."),
    )
    view_count = models.PositiveBigIntegerField(_("views"), default=0)
    comments_open = models.BooleanField(_("comments open"), default=True)
    wordpress_id = models.PositiveBigIntegerField(
        _("WordPress post id"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("The post this article was imported from, so that importing again updates it."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = ArticleQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-pk"]
        get_latest_by = "published_at"
        indexes = [
            models.Index(fields=["status", "-published_at"], name="article_status_published"),
            GinIndex(search_vector(), name="article_search"),
        ]
        # A partial unique index rather than unique=True: SQLite adds it without rebuilding the table
        # (a rebuild would try to recreate the PostgreSQL-only search index).
        constraints = [
            models.UniqueConstraint(
                fields=["wordpress_id"], condition=Q(wordpress_id__isnull=False), name="article_unique_wordpress_id"
            )
        ]
        verbose_name = _("article")
        verbose_name_plural = _("articles")

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        published_on = timezone.localdate(self.published_at)
        return reverse(
            "articles:detail",
            kwargs={
                "year": published_on.year,
                "month": published_on.month,
                "day": published_on.day,
                "slug": self.slug,
            },
        )

    def is_published(self):
        return self.status == self.Status.PUBLISHED and self.published_at <= timezone.now()

    def shown_on_pages(self, created=False):
        """Its own page and every list of articles; a new draft is on no page yet."""
        if created and self.status != self.Status.PUBLISHED:
            return []
        return [article_page(self.pk), ARTICLE_LISTS]

    @cached_property
    def body_html(self):
        """The body as safe HTML paragraphs (see articles.html)."""
        return render_body(self.body)

    def structured_data(self, request):
        """The schema.org ``NewsArticle`` description of the article, for JSON-LD."""
        url = request.build_absolute_uri(self.get_absolute_url())
        data = {
            "@context": "https://schema.org",
            "@type": "NewsArticle",
            "headline": self.title,
            "description": self.summary,
            "url": url,
            "mainEntityOfPage": {"@type": "WebPage", "@id": url},
            "datePublished": self.published_at.isoformat(),
            "dateModified": self.updated_at.isoformat(),
            "author": {
                "@type": "Person",
                "name": self.author.name,
                "url": request.build_absolute_uri(self.author.get_absolute_url()),
            },
            "publisher": {
                "@type": "Organization",
                "name": settings.SITE_NAME,
                "url": request.build_absolute_uri(reverse("articles:index")),
            },
            "keywords": [tag.name for tag in self.tags.all()],
        }
        if self.section:
            data["articleSection"] = self.section.name
        if self.lead_image:
            data["image"] = self.lead_image.structured_data(request.build_absolute_uri)
        return data

    @cached_property
    def summary(self):
        """Plain text for previews and feeds: the standfirst, or the start of the body."""
        return self.standfirst or Truncator(unescape(strip_tags(self.body_html))).words(40)
