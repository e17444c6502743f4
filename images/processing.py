"""Checking an uploaded picture and making what is stored of it: a clean original and its renditions.

Every upload is opened with Pillow, which must recognise it as JPEG, PNG, WebP or GIF; its size in bytes
and its pixel count are checked before any pixel is decoded, so a decompression bomb (a small file that
declares a huge picture) is refused with a message. The picture is turned upright by its EXIF orientation,
converted to sRGB, and re-encoded: nothing of the upload's metadata (EXIF with GPS position, camera serial,
XMP, comments) survives into the stored original or its renditions. Of an animated GIF or WebP, the first
frame is kept.

Renditions are made once, here, in every width of ``IMAGES_RENDITION_WIDTHS`` narrower than the picture
(never upscaled) plus the picture's own width when it is narrower than the widest, in WebP and JPEG.
File names carry a hash of the stored original, so a name never changes meaning (and may be cached for
ever), and the same picture uploaded twice is stored once.
"""

import hashlib
import io
from dataclasses import dataclass
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.text import slugify
from django.utils.translation import gettext as _
from PIL import Image as PillowImage
from PIL import ImageCms, ImageOps, UnidentifiedImageError

# Pillow format: (file extension, media type, save options of the stored original)
ACCEPTED_FORMATS = {
    "JPEG": ("jpg", "image/jpeg", {"quality": 90, "optimize": True, "progressive": True}),
    "PNG": ("png", "image/png", {"optimize": True}),
    "WEBP": ("webp", "image/webp", {"quality": 90}),
    "GIF": ("gif", "image/gif", {"optimize": True}),
}
# Rendition format: (file extension, media type, Pillow format, save options)
RENDITION_FORMATS = {
    "webp": ("webp", "image/webp", "WEBP", {"quality": 80, "method": 4}),
    "jpeg": ("jpg", "image/jpeg", "JPEG", {"quality": 82, "optimize": True, "progressive": True}),
}
UPLOAD_DIRECTORY = "images"
SRGB = ImageCms.createProfile("sRGB")


@dataclass
class CleanPicture:
    """A checked upload: the upright, metadata-free picture and the bytes of the original to store."""

    picture: PillowImage.Image
    format: str
    content: bytes
    name: str  # the stored original's name, e.g. images/3f/2a9c…-harbour-at-dawn.jpg

    @property
    def width(self):
        return self.picture.width

    @property
    def height(self):
        return self.picture.height


def clean_upload(upload, filename=None):
    """Check an uploaded file (a Django ``File`` or a binary file object) and return its ``CleanPicture``.

    Raises ``ValidationError`` with a message for the editor when it is not a picture we take.
    """
    filename = filename or getattr(upload, "name", None) or "image"
    size = getattr(upload, "size", None)
    if size is None:
        size = upload.seek(0, io.SEEK_END)
    max_bytes = settings.IMAGES_MAX_UPLOAD_MB * 1024 * 1024
    if size > max_bytes:
        raise ValidationError(
            _("This file is %(size)s; images may be at most %(max)s.")
            % {"size": filesizeformat(size), "max": filesizeformat(max_bytes)},
            code="file_too_large",
        )
    try:
        upload.seek(0)
        with PillowImage.open(upload) as probe:  # reads the header only
            check_format_and_pixels(probe)
            probe.verify()
        upload.seek(0)
        with PillowImage.open(upload) as opened:
            opened.seek(0)  # the first frame of an animation
            picture = clean_picture(opened)
    except PillowImage.DecompressionBombError as error:
        raise too_many_pixels() from error
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError) as error:
        raise not_an_image() from error
    return CleanPicture(picture, *encode_original(picture, opened.format, filename))


def stored_picture(file, name):
    """The ``CleanPicture`` of an original already stored (and so already clean), to make renditions from."""
    with PillowImage.open(file) as opened:
        opened.seek(0)
        return CleanPicture(clean_picture(opened), opened.format, b"", name)


def not_an_image():
    return ValidationError(
        _("This file is not an image we can use. Upload a JPEG, PNG, WebP or GIF picture."), code="not_an_image"
    )


def too_many_pixels(width=None, height=None):
    """The refusal of a picture over ``IMAGES_MAX_PIXELS``, or (without its size) over Pillow's own bomb limit."""
    limit = f"{settings.IMAGES_MAX_PIXELS / 1_000_000:,.10g}"
    if width is None:
        message = _("This picture has too many pixels to be opened safely. Make it smaller and upload it again.")
    else:
        message = _(
            "This picture is %(width)s × %(height)s pixels (%(pixels)s million); images may have at most "
            "%(max)s million. Make it smaller and upload it again."
        ) % {"width": width, "height": height, "pixels": f"{width * height / 1_000_000:.1f}", "max": limit}
    return ValidationError(message, code="too_many_pixels")


def check_format_and_pixels(probe):
    if probe.format not in ACCEPTED_FORMATS:
        raise not_an_image()
    width, height = probe.size
    if width * height > settings.IMAGES_MAX_PIXELS:
        raise too_many_pixels(width, height)


def clean_picture(opened):
    """The picture upright, in sRGB, as RGB or RGBA, with no metadata left attached."""
    upright = ImageOps.exif_transpose(opened)
    profile = opened.info.get("icc_profile")
    has_alpha = upright.mode in ("RGBA", "LA", "PA") or "transparency" in upright.info
    mode = "RGBA" if has_alpha else "RGB"
    if profile and upright.mode in ("RGB", "RGBA", "CMYK", "L"):
        try:
            source = ImageCms.ImageCmsProfile(io.BytesIO(profile))
            upright = ImageCms.profileToProfile(upright, source, SRGB, outputMode=mode)
        except ImageCms.PyCMSError:
            pass  # a broken profile: the colours are taken as they are
    picture = upright.convert(mode)
    picture.info = {}
    return picture


def encode_original(picture, pillow_format, filename):
    """The bytes of the stored original, re-encoded in its own format, and its name."""
    extension, _media_type, options = ACCEPTED_FORMATS[pillow_format]
    source = picture
    if pillow_format == "JPEG" and picture.mode == "RGBA":
        source = flatten(picture)
    content = encode(source, pillow_format, options)
    digest = hashlib.sha256(content).hexdigest()
    stem = slugify(PurePath(filename).stem)[:60].strip("-") or "image"
    return pillow_format, content, f"{UPLOAD_DIRECTORY}/{digest[:2]}/{digest[2:14]}-{stem}.{extension}"


def flatten(picture):
    """An RGBA picture on a white background, for formats without transparency."""
    background = PillowImage.new("RGB", picture.size, "white")
    background.paste(picture, mask=picture.getchannel("A"))
    return background


def encode(picture, pillow_format, options):
    buffer = io.BytesIO()
    picture.save(buffer, pillow_format, **options)
    return buffer.getvalue()


def rendition_widths(width):
    """The widths to make of a picture this wide: the configured ones below it, and its own if narrower."""
    widest = max(settings.IMAGES_RENDITION_WIDTHS)
    return sorted({w for w in settings.IMAGES_RENDITION_WIDTHS if w < width} | {min(width, widest)})


def planned_renditions(clean):
    """Yield ``(kind, width, height, name)`` of every rendition of a ``CleanPicture``, narrowest first."""
    base = clean.name.rsplit(".", 1)[0]
    for width in rendition_widths(clean.width):
        height = max(1, round(clean.height * width / clean.width))
        for kind, (extension, *_rest) in RENDITION_FORMATS.items():
            yield kind, width, height, f"{base}-{width}w.{extension}"


def encode_rendition(clean, kind, width, height):
    """The bytes of one rendition of a ``CleanPicture``."""
    _extension, _media_type, pillow_format, options = RENDITION_FORMATS[kind]
    resized = clean.picture if width == clean.width else clean.picture.resize((width, height), reducing_gap=3.0)
    return encode(
        flatten(resized) if pillow_format == "JPEG" and resized.mode == "RGBA" else resized, pillow_format, options
    )
