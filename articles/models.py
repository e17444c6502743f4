from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from articles.html import render_body


class Author(models.Model):
    """A byline. Every author has a public archive page."""

    name = models.CharField(_("name"), max_length=100)
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    email = models.EmailField(
        _("contact email"), blank=True, help_text=_("Shown publicly in the author's box under each article.")
    )
    bio = models.TextField(_("short bio"), blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("author")
        verbose_name_plural = _("authors")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("articles:author", kwargs={"slug": self.slug})


class ArticleQuerySet(models.QuerySet):
    def published(self):
        """What the public may see: published articles whose publication time has come."""
        return self.filter(status=Article.Status.PUBLISHED, published_at__lte=timezone.now())


class Article(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")

    title = models.CharField(_("title"), max_length=255)
    slug = models.SlugField(
        _("slug"), max_length=255, unique_for_date="published_at", help_text=_("The last part of the article's URL.")
    )
    author = models.ForeignKey(Author, on_delete=models.PROTECT, related_name="articles", verbose_name=_("byline"))
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
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = ArticleQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-pk"]
        get_latest_by = "published_at"
        indexes = [models.Index(fields=["status", "-published_at"], name="article_status_published")]
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

    @cached_property
    def body_html(self):
        """The body as safe HTML paragraphs (see articles.html)."""
        return render_body(self.body)
