"""Markup of library images: ``<picture>`` with WebP and JPEG ``srcset``, for templates and article bodies."""

import re
from html import unescape
from urllib.parse import unquote, urlsplit

from django.utils.html import format_html
from django.utils.safestring import mark_safe

from images.models import Image
from images.processing import UPLOAD_DIRECTORY

# How wide an image is shown, for the browser to pick a rendition before the stylesheet is read.
ARTICLE_SIZES = "(min-width: 42rem) 40rem, calc(100vw - 2rem)"
LEAD_CARD_SIZES = "(min-width: 72rem) 51rem, (min-width: 56rem) 72vw, calc(100vw - 2rem)"
CARD_SIZES = "8rem"

# An <img> as nh3 writes it: attribute values always in double quotes, with any quote inside escaped.
IMG_TAG = re.compile(r'<img((?:\s+[a-zA-Z-]+(?:="[^"]*")?)*)\s*/?>')
ATTRIBUTE = re.compile(r'([a-zA-Z-]+)(?:="([^"]*)")?')


def picture(image, sizes=ARTICLE_SIZES, *, eager=False, alt=None):
    """A ``<picture>`` of a library image: WebP and JPEG renditions, width and height, alt text.

    ``eager`` is for the page's lead image, which the browser should fetch first; every other image
    loads lazily. ``alt`` replaces the image's own alt text (empty for a decorative image).
    """
    fallback = image.rendition("jpeg", 800)
    return format_html(
        '<picture><source type="image/webp" srcset="{}" sizes="{}">'
        '<img src="{}" srcset="{}" sizes="{}" width="{}" height="{}" alt="{}" {} decoding="async"></picture>',
        image.srcset("webp"),
        sizes,
        fallback.url,
        image.srcset("jpeg"),
        sizes,
        image.width,
        image.height,
        image.alt_text if alt is None else alt,
        mark_safe('fetchpriority="high"' if eager else 'loading="lazy"'),  # noqa: S308 - a constant
    )


def library_path(src):
    """The URL path of ``src`` if it may be a library image's original, else None."""
    path = unquote(urlsplit(unescape(src)).path)
    return path if f"/{UPLOAD_DIRECTORY}/" in path else None


def responsive_images(html, sizes=ARTICLE_SIZES):
    """Give every ``<img>`` of sanitised HTML that shows a library image's original its ``<picture>``.

    For HTML that has passed the sanitiser (``articles.html.sanitize``): what is added is built from the
    library's own data. The body's alt text is kept when it has one, else the image's is used. One query,
    and none when no ``<img>`` points into the library.
    """
    tags = {match.group(0): dict(ATTRIBUTE.findall(match.group(1))) for match in IMG_TAG.finditer(html)}
    paths = {tag: library_path(attributes.get("src", "")) for tag, attributes in tags.items()}
    names = {path[path.index(f"/{UPLOAD_DIRECTORY}/") + 1 :] for path in paths.values() if path}
    if not names:
        return html
    images = {}
    for image in Image.objects.filter(file__in=names):
        images[unquote(urlsplit(image.file.url).path)] = image

    def replace(match):
        tag = match.group(0)
        image = images.get(paths[tag])
        if image is None:
            return tag
        alt = unescape(tags[tag].get("alt", ""))
        return picture(image, sizes, alt=alt or None)

    return IMG_TAG.sub(replace, html)
