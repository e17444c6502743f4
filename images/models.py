"""The image library: each picture stored once, with its renditions, alt text, caption and credit."""

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import models, transaction
from django.utils.functional import cached_property
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from images.processing import (
    RENDITION_FORMATS,
    clean_upload,
    encode_rendition,
    planned_renditions,
    stored_picture,
)


class ImageQuerySet(models.QuerySet):
    def create_from_file(self, file, filename=None, **fields):
        """Check, clean and store a picture from a file; return the new ``Image``.

        Raises ``ValidationError`` when the file is not a picture we take (see ``images.processing``).
        """
        return self._create(clean_upload(file, filename), fields)

    def get_or_create_from_file(self, file, filename=None, **fields):
        """The image that already stores this picture, else a new one as ``create_from_file`` makes it.

        Returns ``(image, created)``; ``fields`` are used only for a new image.
        """
        clean = clean_upload(file, filename)
        existing = self.filter(file=clean.name).first()
        return (existing, False) if existing else (self._create(clean, fields), True)

    def _create(self, clean, fields):
        image = self.model(**fields)
        image.full_clean(exclude=["file", "width", "height", "renditions"])  # before any file is stored
        image.store(clean)
        image.save()
        return image


class Rendition:
    """One stored rendition of an image: its URL, width, height and size in bytes."""

    __slots__ = ("kind", "width", "height", "name", "size")

    def __init__(self, kind, width, height, name, size):
        self.kind, self.width, self.height, self.name, self.size = kind, width, height, name, size

    @property
    def url(self):
        return default_storage.url(self.name)

    @property
    def media_type(self):
        return RENDITION_FORMATS[self.kind][1]


class Image(models.Model):
    """A picture in the library. Its original is stored once; its renditions are listed in ``renditions``.

    ``renditions`` holds, for each format, the widths made when the picture was uploaded, so that pages
    write ``srcset`` from the row alone, without touching the files.
    """

    file = models.FileField(_("file"), max_length=255, editable=False, db_index=True)
    title = models.CharField(
        _("title"), max_length=255, blank=True, help_text=_("To find it in the library; not shown to readers.")
    )
    alt = models.CharField(
        _("alt text"),
        max_length=300,
        blank=True,
        help_text=_(
            "What the picture shows, for readers who cannot see it (read aloud by screen readers, shown when "
            "images do not load). Required unless the picture is decorative."
        ),
    )
    decorative = models.BooleanField(
        _("decorative"),
        default=False,
        help_text=_("The picture adds nothing a reader needs to know: screen readers skip it (empty alt)."),
    )
    caption = models.TextField(_("caption"), blank=True, help_text=_("Shown under the picture."))
    credit = models.CharField(
        _("credit"), max_length=255, blank=True, help_text=_("Who made it, e.g. “Photo: Jane Doe / Agency”.")
    )
    width = models.PositiveIntegerField(_("width"), editable=False)
    height = models.PositiveIntegerField(_("height"), editable=False)
    renditions = models.JSONField(_("renditions"), default=dict, editable=False)
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)

    objects = ImageQuerySet.as_manager()

    class Meta:
        ordering = ["-uploaded_at", "-pk"]
        verbose_name = _("image")
        verbose_name_plural = _("images")

    def __str__(self):
        return self.title or Truncator(self.alt).chars(60) or self.file.name.rsplit("/", 1)[-1]

    def clean(self):
        if not self.decorative and not self.alt.strip():
            raise ValidationError(
                {"alt": _("Describe the picture for readers who cannot see it, or mark it as decorative.")},
                code="alt_required",
            )
        if self.decorative:
            self.alt = ""

    def shown_on_pages(self, created=False):
        """The page-cache topics of the pages that may show this image (see pagecache): a new one is on no page
        yet; any other may be a lead image on article lists and pages, or in an article's body, so it is
        shown wherever articles are (``articles.models.ARTICLE_LISTS``)."""
        return [] if created else ["articles"]

    @property
    def alt_text(self):
        """The ``alt`` attribute readers get: empty for a decorative picture."""
        return "" if self.decorative else self.alt

    def store(self, clean):
        """Store a ``CleanPicture`` (see ``images.processing``) and its renditions as this image's picture.

        Files already stored under the same names (the same picture uploaded before) are kept as they are.
        The files this image had before are deleted once the change commits, unless another image uses them.
        """
        previous = (self.file.name, self.stored_names()) if self.file else None
        save_once(clean.name, lambda: clean.content)
        self.file.name = clean.name
        self.width, self.height = clean.width, clean.height
        self.store_renditions(clean)
        if previous and previous[0] != clean.name:
            transaction.on_commit(lambda: delete_files_unless_used(*previous))

    def store_renditions(self, clean):
        """Store the renditions of a ``CleanPicture`` that are not stored yet, and list them all."""
        renditions = {kind: [] for kind in RENDITION_FORMATS}
        for kind, width, height, name in planned_renditions(clean):
            size = save_once(name, lambda: encode_rendition(clean, kind, width, height))  # noqa: B023 - called at once
            renditions[kind].append([width, height, name, size])
        self.renditions = renditions
        self.__dict__.pop("rendition_list", None)

    def remake_renditions(self):
        """Make the renditions the settings ask for now (``IMAGES_RENDITION_WIDTHS``) from the stored original.

        Returns whether the list changed. Renditions no longer listed stay in storage, unused.
        """
        before = self.renditions
        with self.file.open("rb") as stored:
            self.store_renditions(stored_picture(stored, self.file.name))
        if self.renditions != before:
            self.save(update_fields=["renditions"])
        return self.renditions != before

    def stored_names(self):
        return [self.file.name] + [name for kind in self.renditions.values() for _width, _height, name, _size in kind]

    @cached_property
    def rendition_list(self):
        """Every rendition, narrowest first within each format."""
        return [Rendition(kind, *entry) for kind, entries in self.renditions.items() for entry in sorted(entries)]

    def renditions_of(self, kind):
        return [rendition for rendition in self.rendition_list if rendition.kind == kind]

    def srcset(self, kind):
        """The ``srcset`` attribute of one format: ``url 400w, url 800w, …``."""
        return ", ".join(f"{rendition.url} {rendition.width}w" for rendition in self.renditions_of(kind))

    def rendition(self, kind="jpeg", max_width=1200):
        """The widest rendition of a format no wider than ``max_width`` (else the narrowest)."""
        renditions = self.renditions_of(kind)
        fitting = [rendition for rendition in renditions if rendition.width <= max_width]
        return fitting[-1] if fitting else renditions[0]

    @property
    def share_rendition(self):
        """The JPEG shown by link previews (OpenGraph, Twitter cards), JSON-LD and feeds: 1200 px or less."""
        return self.rendition("jpeg", 1200)

    @property
    def thumbnail(self):
        return self.rendition("jpeg", 400)

    def structured_data(self, build_absolute_uri):
        """The schema.org ``ImageObject`` of this picture, for JSON-LD."""
        shared = self.share_rendition
        data = {
            "@type": "ImageObject",
            "url": build_absolute_uri(shared.url),
            "width": shared.width,
            "height": shared.height,
        }
        if self.caption:
            data["caption"] = self.caption
        if self.credit:
            data["creditText"] = self.credit
        return data


def save_once(name, make_content):
    """Store the bytes ``make_content()`` returns under ``name``, unless a file of that name exists (the names
    carry a hash of the original, so it holds the same picture); return the file's size in bytes."""
    if default_storage.exists(name):
        return default_storage.size(name)
    content = make_content()
    stored = default_storage.save(name, ContentFile(content))
    if stored != name:  # another process stored it at the same moment: keep one copy
        default_storage.delete(stored)
    return len(content)


def delete_files_unless_used(original, names):
    """Delete an image's stored files (``names``: its original and renditions) unless an image stores that original."""
    if not Image.objects.filter(file=original).exists():
        for name in names:
            default_storage.delete(name)
