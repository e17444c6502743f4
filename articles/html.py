"""Turning an article body into safe HTML.

A body is written the way WordPress stores posts: paragraphs separated by a blank line, with limited
HTML allowed inside. Text blocks become ``<p>`` paragraphs (a single newline becomes ``<br>``); blocks
that already start with a block-level tag are kept as they are. The result then passes through an
allow-list sanitiser (nh3), which drops every tag, attribute and URL scheme not listed here, so
scripts, event handlers, styles and ``javascript:`` links never reach a page. Last, each ``<img>`` of a
library image becomes its responsive ``<picture>`` (``images.html.responsive_images``), built from the
library's data after sanitising.
"""

import re

import nh3
from django.utils.safestring import mark_safe

from images.html import responsive_images

ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "caption", "cite", "code", "del", "em", "figcaption", "figure",
    "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "ins", "li", "ol", "p", "pre", "q", "s", "small",
    "strong", "sub", "sup", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "u", "ul",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "abbr": {"title"},
    "img": {"src", "alt", "width", "height"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan", "scope"},
}
ALLOWED_URL_SCHEMES = {"http", "https", "mailto"}

BLOCK_TAG = re.compile(r"^<(?:p|h[1-6]|ul|ol|li|blockquote|figure|pre|table|hr|div)\b", re.IGNORECASE)
BLANK_LINES = re.compile(r"\n\s*\n")


def sanitize(html):
    """Keep only the allowed tags, attributes and URL schemes of an HTML fragment."""
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_URL_SCHEMES,
        link_rel="noopener noreferrer",
    )


def paragraphs(text):
    """Wrap blank-line separated blocks of text in ``<p>``, leaving blocks of HTML as they are."""
    blocks = [block.strip() for block in BLANK_LINES.split(text.replace("\r\n", "\n").replace("\r", "\n"))]
    return "\n".join(
        block if BLOCK_TAG.match(block) else "<p>{}</p>".format(block.replace("\n", "<br>\n"))
        for block in blocks
        if block
    )


def render_body(text):
    """The body of an article as HTML that templates may output unescaped.

    Runs one query when the body shows library images (to give them their renditions), none otherwise.
    """
    # The sanitiser has just removed anything unsafe; the pictures added after it are built from the library.
    return mark_safe(responsive_images(sanitize(paragraphs(text))))  # noqa: S308
