from datetime import datetime, timedelta

import reversion
from django.conf import settings
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVector, SearchVectorField
from django.db import connections, models, transaction
from django.db.models import Count, F, Prefetch, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from articles.html import RENDERING_VERSION, clean_body, show_body, visible_text
from newsroom.querysets import ShownQuerySet
from pagecache.signals import pages_changed

# What readers see of each model, for the page cache (pagecache): ``shown_on_pages()`` names the topics of
# the pages that show an object. "articles" is every page that lists articles (the home page, archives,
# author, section, tag and search pages, and every article page through its "Related" and "Most read"
# lists, masthead and sidebar); "article:<id>" is the article's own page; "article-content:<id>" is the part
# of it that shows the article itself, its metadata and its comment form, and not its comments (for the
# page's fragments, see pagecache.fragments); "comment-counts" is every page whose article cards show
# comment counts (the lists, not the article pages' lists of links); "corrections" is the corrections page.
ARTICLE_LISTS = "articles"
COMMENT_COUNTS = "comment-counts"
CORRECTIONS = "corrections"


def article_page(article_id):
    return f"article:{article_id}"


def article_content(article_id):
    return f"article-content:{article_id}"


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


class ArticleGroupQuerySet(models.QuerySet):
    """Sections or tags; ``article_field`` names the article field that carries them."""

    article_field = None

    def with_published_articles(self):
        """Those carried by at least one published article: the only ones with public pages."""
        return self.filter(pk__in=Article.objects.published().values(self.article_field))


class SectionQuerySet(ArticleGroupQuerySet):
    article_field = "section"


class TagQuerySet(ArticleGroupQuerySet):
    article_field = "tags"


class Section(models.Model):
    """A part of the paper (World, Politics, Sport…). Sections with published articles are listed in the masthead."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    description = models.TextField(_("description"), blank=True, help_text=_("Shown at the top of the section page."))
    ordering = models.PositiveSmallIntegerField(
        _("position"), default=0, help_text=_("Sections are listed in the masthead from the lowest number up.")
    )

    objects = SectionQuerySet.as_manager()

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

    objects = TagQuerySet.as_manager()

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


# The fields an article's full-text document is made of.
SEARCHED_FIELDS = frozenset({"title", "standfirst", "body"})


def search_vector():
    """The weighted full-text document of an article (PostgreSQL only): title A, standfirst B, body C (its
    visible text, ``body_text``, so that words in comments, scripts or styles are never found).

    Each article stores it (``Article.search_document``, with a GIN index) when one of these fields changes,
    so that searching and ranking read it rather than parse every article's text.
    """
    return (
        SearchVector("title", weight="A", config=SEARCH_CONFIG)
        + SearchVector("standfirst", weight="B", config=SEARCH_CONFIG)
        + SearchVector("body_text", weight="C", config=SEARCH_CONFIG)
    )


class ArticleQuerySet(ShownQuerySet):
    reported_fields = SEARCHED_FIELDS

    def bulk_create(self, objs, *args, **kwargs):
        """Create the articles with their body's HTML and search document, as ``save()`` does."""
        objs = list(objs)
        for article in objs:
            article.render_body()
        created = super().bulk_create(objs, *args, **kwargs)
        Article.objects.filter(pk__in=[article.pk for article in created if article.pk]).index_for_search()
        return created

    def update(self, **kwargs):
        """Update the rows, then render again the body's HTML and search document of those they change.

        ``update()`` skips ``save()``: ``bulk_update()`` and imports go through here. A change to what
        readers see (title, standfirst, body) tells the page cache (``pages_changed``).
        """
        if SEARCHED_FIELDS.isdisjoint(kwargs):
            return super().update(**kwargs)
        pks = list(self.values_list("pk", flat=True))
        changed = super().update(**kwargs)
        if "body" in kwargs:
            Article.objects.filter(pk__in=pks).render_bodies()
        elif changed:
            pages_changed.send(sender=Article, instances=Article.objects.filter(pk__in=pks))
        Article.objects.filter(pk__in=pks).index_for_search()
        return changed

    def index_for_search(self):
        """Store the full-text document of these articles (PostgreSQL only: other databases search without it)."""
        if connections[self.db].vendor == "postgresql":
            self.update(search_document=search_vector())

    def render_bodies(self, batch_size=200):
        """Render and store the body's HTML of these articles (``manage.py renderhtml``); return how many.

        The pages that show them are made stale (``pages_changed``).
        """
        articles = []
        for article in self.only("pk", "body", "status").order_by("pk").iterator(chunk_size=batch_size):
            article.render_body()
            articles.append(article)
        Article.objects.bulk_update(
            articles, ["rendered_body", "rendered_body_version", "body_text"], batch_size=batch_size
        )
        if articles:
            pages_changed.send(sender=Article, instances=articles)
        return len(articles)

    def stale_bodies(self):
        """Articles whose stored body HTML was made by other rules than today's (see articles.html)."""
        return self.exclude(rendered_body_version=RENDERING_VERSION)

    def published(self):
        """What the public may see: published articles whose publication time has come."""
        return self.filter(status=Article.Status.PUBLISHED, published_at__lte=timezone.now())

    def scheduled(self):
        """Published articles whose publication time is still to come."""
        return self.filter(status=Article.Status.PUBLISHED, published_at__gt=timezone.now())

    def publish(self, user=None):
        """Publish these articles, each at its own publication date (a future one schedules it).

        Each changed article gets a revision by ``user``. Returns how many articles changed.
        """
        return self.exclude(status=Article.Status.PUBLISHED)._change_status(
            Article.Status.PUBLISHED, user=user, comment=_("Published.")
        )

    def unpublish(self, user=None):
        """Turn these articles back into drafts, each with a revision by ``user``. Returns how many changed."""
        return self.filter(status=Article.Status.PUBLISHED)._change_status(
            Article.Status.DRAFT, user=user, comment=_("Unpublished.")
        )

    @transaction.atomic
    def _change_status(self, status, user=None, comment=""):
        """Give these articles ``status``, each with a revision by ``user``; the page cache is told."""
        article_ids = list(self.values_list("pk", flat=True))
        changed = Article.objects.filter(pk__in=article_ids).update_shown(status=status, updated_at=timezone.now())
        if changed:
            for article in Article.objects.filter(pk__in=article_ids):
                record_revision(article, comment, user=user)
        return changed

    def with_bylines(self):
        """Fetch every article's bylines with it: the first with a join, the co-authors in one more query."""
        return self.select_related("author").prefetch_related(
            Prefetch("article_authors", queryset=ArticleAuthor.objects.select_related("author"))
        )

    def by_author(self, author):
        """The articles that carry ``author`` as any of their bylines."""
        return self.filter(Q(author=author) | Q(pk__in=ArticleAuthor.objects.filter(author=author).values("article")))

    def most_read(self, limit=5):
        """The most viewed published articles of the last ``MOST_READ_DAYS`` days, most views first.

        When fewer than ``limit`` articles were published in that window (an old archive), the list is
        topped up with the most viewed older articles, so it is never empty while anything is published.
        Two queries that each read at most ``limit`` rows of an index, however large the archive.
        """
        since = timezone.now() - timedelta(days=settings.MOST_READ_DAYS)
        by_views = self.published().select_related("author").order_by("-view_count", "-published_at", "-pk")
        recent = list(by_views.filter(published_at__gte=since)[:limit])
        older = list(by_views.filter(published_at__lt=since)[:limit])
        return (recent + older)[:limit]

    def years(self):
        """The first day of each year that has articles among these, newest first, like ``dates(..., "year")``.

        One query per year found, each reading a single row of the publication date index, rather than
        one query sorting every article.
        """
        years = []
        articles = self.order_by("-published_at").values_list("published_at", flat=True)
        latest = articles.first()
        while latest is not None:
            year = timezone.localtime(latest).year
            start = timezone.make_aware(datetime(year, 1, 1))
            years.append(start)
            latest = articles.filter(published_at__lt=start).first()
        return years

    def before(self, article):
        """The published article just before this one by publication date (the newest older one), or None."""
        earlier = Q(published_at__lt=article.published_at) | Q(published_at=article.published_at, pk__lt=article.pk)
        return self.published().filter(earlier).order_by("-published_at", "-pk").first()

    def after(self, article):
        """The published article just after this one by publication date (the oldest newer one), or None."""
        later = Q(published_at__gt=article.published_at) | Q(published_at=article.published_at, pk__gt=article.pk)
        return self.published().filter(later).order_by("published_at", "pk").first()

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


@reversion.register(follow=["article_authors"])
class Article(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        REVIEW = "review", _("Pending review")
        PUBLISHED = "published", _("Published")

    title = models.CharField(_("title"), max_length=255)
    slug = models.SlugField(
        _("slug"), max_length=255, unique_for_date="published_at", help_text=_("The last part of the article's URL.")
    )
    # The first byline; further ones are ArticleAuthor rows. Lists join it and need nothing more for one byline.
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
    body_text = models.TextField(
        _("visible text of the body"),
        blank=True,
        default="",
        editable=False,
        help_text=_("What readers see of the body, without markup: what search looks in. Kept by save()."),
    )
    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.DRAFT)
    published_at = models.DateTimeField(
        _("publication date"),
        default=timezone.now,
        help_text=_("A published article with a date in the future stays hidden until then."),
    )
    view_count = models.PositiveBigIntegerField(_("views"), default=0)
    comment_count = models.PositiveIntegerField(
        _("approved comments"),
        default=0,
        editable=False,
        help_text=_("Kept up to date by the comments app on every change of a comment's status."),
    )
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
    # The body as HTML, rendered when the article is saved, and the rules it was rendered by (see articles.html).
    # Null until rendered: SQLite adds nullable columns without rebuilding the table (see the search index).
    rendered_body = models.TextField(null=True, editable=False)  # noqa: DJ001
    rendered_body_version = models.CharField(max_length=16, null=True, editable=False)  # noqa: DJ001
    # The full-text document (``search_vector()``), stored on PostgreSQL when the text changes; null elsewhere.
    search_document = SearchVectorField(null=True, editable=False)

    objects = ArticleQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-pk"]
        get_latest_by = "published_at"
        indexes = [
            models.Index(fields=["status", "-published_at"], name="article_status_published"),
            models.Index(fields=["status", "-view_count", "-published_at"], name="article_status_views"),
            models.Index(fields=["section", "status", "-published_at"], name="article_section_published"),
            models.Index(fields=["author", "status", "-published_at"], name="article_author_published"),
            GinIndex(fields=["search_document"], name="article_search_document"),
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

    def save(self, *args, update_fields=None, **kwargs):
        """Store the body's HTML and search document with the article.

        Saving a loaded article never writes back its ``comment_count``, which comments may have changed since.
        """
        if not self._state.adding and update_fields is None:
            update_fields = [
                field.name
                for field in self._meta.concrete_fields
                if not field.primary_key and field.name != "comment_count"
            ]
        if update_fields is None or "body" in update_fields:
            self.render_body()
            if update_fields is not None:
                update_fields = {*update_fields, "rendered_body", "rendered_body_version", "body_text"}
        super().save(*args, update_fields=update_fields, **kwargs)
        if update_fields is None or not SEARCHED_FIELDS.isdisjoint(update_fields):
            Article.objects.using(self._state.db).filter(pk=self.pk).index_for_search()

    def get_absolute_url(self):
        return reverse("articles:detail", kwargs=self.address_parts())

    def get_comment_page_url(self, number):
        """The address of the article's comment page ``number`` (the first is the article's own address)."""
        if number <= 1:
            return self.get_absolute_url()
        return reverse("articles:comment_page", kwargs={**self.address_parts(), "comment_page": number})

    def address_parts(self):
        """The article's date and slug, as its addresses hold them."""
        published_on = timezone.localdate(self.published_at)
        return {"year": published_on.year, "month": published_on.month, "day": published_on.day, "slug": self.slug}

    def is_published(self):
        return self.status == self.Status.PUBLISHED and self.published_at <= timezone.now()

    def is_scheduled(self):
        return self.status == self.Status.PUBLISHED and self.published_at is not None and not self.is_published()

    def shown_on_pages(self, created=False):
        """Its own page and every list of articles; a new draft is on no page yet."""
        if created and self.status != self.Status.PUBLISHED:
            return []
        return [article_page(self.pk), article_content(self.pk), ARTICLE_LISTS]

    def render_body(self):
        """Render the body's HTML and visible text (stored by ``save()``)."""
        self.rendered_body = clean_body(self.body)
        self.body_text = visible_text(self.body)
        self.rendered_body_version = RENDERING_VERSION
        self.__dict__.pop("summary", None)

    @property
    def body_html(self):
        """The body as safe HTML (see articles.html): as stored, or sanitised now if stored by other rules.

        Library images get their ``<picture>`` here, from the library's current renditions.
        """
        if self.rendered_body_version != RENDERING_VERSION:
            self.render_body()
        return show_body(self.rendered_body)

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
            "dateModified": self.modified_at.isoformat(),
            "author": [
                {"@type": "Person", "name": author.name, "url": request.build_absolute_uri(author.get_absolute_url())}
                for author in self.bylines
            ],
            "publisher": {
                "@type": "Organization",
                "name": settings.SITE_NAME,
                "url": request.build_absolute_uri(reverse("articles:index")),
            },
            "keywords": [tag.name for tag in self.tag_list],
        }
        if self.section:
            data["articleSection"] = self.section.name
        if self.lead_image:
            data["image"] = self.lead_image.structured_data(request.build_absolute_uri)
        corrections = [note for note in self.note_list if note.kind == ArticleNote.Kind.CORRECTION]
        if corrections:
            data["correction"] = [
                {"@type": "CorrectionComment", "text": note.text, "datePublished": note.noted_at.isoformat()}
                for note in corrections
            ]
        return data

    @cached_property
    def bylines(self):
        """The authors, in byline order (see ``ArticleQuerySet.with_bylines`` for lists)."""
        return [self.author, *(link.author for link in self.article_authors.all())]

    @cached_property
    def tag_list(self):
        """The article's tags, read once (prefetch ``tags`` for lists)."""
        return list(self.tags.all())

    @cached_property
    def note_list(self):
        """The article's corrections and updates, oldest first, read once (prefetch ``notes`` for lists)."""
        return list(self.notes.all())

    @cached_property
    def latest_note(self):
        """The most recent correction or update note, if any."""
        return max(self.note_list, key=lambda note: (note.noted_at, note.pk), default=None)

    @property
    def modified_at(self):
        """When readers last saw a change: the last save or the latest note, never before publication."""
        return max(self.updated_at, self.published_at, *([self.latest_note.noted_at] if self.latest_note else []))

    @cached_property
    def summary(self):
        """Plain text for previews and feeds: the standfirst, or the start of the body's stored text."""
        if self.standfirst:
            return self.standfirst
        if self.rendered_body_version != RENDERING_VERSION:
            self.render_body()
        return Truncator(self.body_text).words(40)


@reversion.register()
class ArticleAuthor(models.Model):
    """A further byline of an article, after its ``author``; ``position`` orders them."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="article_authors")
    author = models.ForeignKey(
        Author, on_delete=models.PROTECT, related_name="coauthorships", verbose_name=_("co-author")
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["article", "author"], name="article_author_once_per_article"),
        ]
        verbose_name = _("co-author")
        verbose_name_plural = _("co-authors")

    def __str__(self):
        return self.author.name if self.author_id else ""

    def shown_on_pages(self, created=False):
        """A byline: on the article's page and wherever the article is listed (the author's page among them)."""
        return [article_page(self.article_id), article_content(self.article_id), ARTICLE_LISTS]


class ArticleNoteQuerySet(models.QuerySet):
    def published_corrections(self):
        """Corrections of the articles the public may see, the latest first."""
        return (
            self.filter(kind=ArticleNote.Kind.CORRECTION, article__in=Article.objects.published())
            .select_related("article")
            .order_by("-noted_at", "-pk")
        )


class ArticleNote(models.Model):
    """A dated correction or update, shown to readers under the article's body.

    Notes are a public record: restoring an earlier revision of the article leaves them in place.
    """

    class Kind(models.TextChoices):
        CORRECTION = "correction", _("Correction")
        UPDATE = "update", _("Update")

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="notes")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind, default=Kind.CORRECTION)
    text = models.TextField(_("text"), help_text=_("Plain text, shown to readers under the article."))
    noted_at = models.DateTimeField(_("date"), default=timezone.now)

    objects = ArticleNoteQuerySet.as_manager()

    class Meta:
        ordering = ["noted_at", "pk"]
        indexes = [models.Index(fields=["kind", "-noted_at"], name="article_note_kind_date")]
        verbose_name = _("correction or update")
        verbose_name_plural = _("corrections and updates")

    def __str__(self):
        return f"{self.get_kind_display()}, {timezone.localdate(self.noted_at):%Y-%m-%d}"

    def shown_on_pages(self, created=False):
        """Under the article's body, and (a correction) on the corrections page."""
        return [article_page(self.article_id), article_content(self.article_id), CORRECTIONS]


def record_revision(article, comment, user=None):
    """Keep a revision of the article as it is now (with its co-authors), by ``user``, explained by ``comment``.

    For changes that bypass ``save()`` (queryset updates, bulk imports); the admin's forms record their own.
    """
    with reversion.create_revision(atomic=False):
        reversion.add_to_revision(article)
        reversion.set_user(user)
        reversion.set_comment(comment)
