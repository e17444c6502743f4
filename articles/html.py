"""Turning an article body into safe HTML.

A body is written the way WordPress stores posts: paragraphs separated by a blank line, with limited
HTML allowed inside. Text blocks become ``<p>`` paragraphs (a single newline becomes ``<br>``); blocks
that already start with a block-level tag are kept as they are. The result then passes through an
allow-list sanitiser (nh3), which drops every tag, attribute and URL scheme not listed here, so
scripts, event handlers, styles and ``javascript:`` links never reach a page. Last, each ``<img>`` of a
library image becomes its responsive ``<picture>`` (``images.html.responsive_images``), built from the
library's data after sanitising.

An article stores its sanitised body (``clean_body``) when it is saved, with ``RENDERING_VERSION``: the
digest of this module, whose rules make that HTML, so that HTML stored under other rules is rendered
again. The pictures are added when the body is shown, so that they follow the library's renditions.
"""

import hashlib
import re
from html.parser import HTMLParser
from pathlib import Path

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

# Tags that end a run of words: their text never runs on into the next block's.
WORD_BREAKING_TAGS = {
    "blockquote", "br", "caption", "div", "figcaption", "figure", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "li",
    "ol", "p", "pre", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "ul",
}  # fmt: skip
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


def clean_body(text):
    """The body of an article as the HTML blocks to store, which render_body() shows unchanged: the admin's
    editor (articles/forms.py) opens a body as these blocks and saves its HTML through this function.

    Sanitising before finding the paragraphs as well as after means that a block led by a tag the
    allow-list drops (``<div>``, ``<h1>``) becomes a paragraph, so cleaning a clean body changes nothing.
    """
    return sanitize(paragraphs(sanitize(text)))


def render_body(text):
    """The body of an article as HTML that templates may output unescaped.

    Runs one query when the body shows library images (to give them their renditions), none otherwise.
    """
    return show_body(clean_body(text))


def show_body(cleaned):
    """Sanitised body HTML (``clean_body``) as pages show it: library images get their ``<picture>``."""
    # The sanitiser has removed anything unsafe; the pictures added after it are built from the library.
    return mark_safe(responsive_images(cleaned))  # noqa: S308


RENDERING_VERSION = hashlib.sha256(Path(__file__).read_bytes() + nh3.__version__.encode()).hexdigest()[:16]


class VisibleTextParser(HTMLParser):
    """Collects the text of sanitised HTML, a space where a block ends."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts = []

    def handle_starttag(self, tag, attrs):
        self.handle_endtag(tag)

    def handle_endtag(self, tag):
        if tag in WORD_BREAKING_TAGS:
            self.parts.append(" ")

    def handle_data(self, data):
        self.parts.append(data)


def visible_text(text):
    """The words a reader sees of an article body, single-spaced: no tags, HTML comments, scripts or styles."""
    parser = VisibleTextParser()
    parser.feed(clean_body(text))
    parser.close()
    return " ".join("".join(parser.parts).split())
