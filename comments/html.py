"""Turning a comment into safe HTML.

A comment is plain text: it is escaped, web addresses in it become links, blank lines separate
paragraphs and a single newline becomes ``<br>``. The result then passes through an allow-list
sanitiser (nh3) that keeps only paragraphs, line breaks and links to ``http``, ``https`` and ``mailto``
addresses, and marks every link ``rel="nofollow ugc"``: a comment never carries a script, a
``javascript:`` link or a link that passes on the site's reputation.
"""

import hashlib
from functools import cache
from pathlib import Path

import nh3
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.formats import get_format
from django.utils.functional import cached_property
from django.utils.html import conditional_escape, linebreaks, urlize
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, gettext
from jinja2 import Environment, FileSystemLoader, StrictUndefined

ALLOWED_TAGS = {"a", "br", "p"}
ALLOWED_ATTRIBUTES = {"a": {"href"}}
ALLOWED_URL_SCHEMES = {"http", "https", "mailto"}
LINK_REL = "nofollow ugc"
# Built once: nh3.clean() converts its options for every call, which took longer than the cleaning.
SANITISER = nh3.Cleaner(
    tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES, url_schemes=ALLOWED_URL_SCHEMES, link_rel=LINK_REL
)


def render_comment_body(text):
    """The body of a comment as HTML that templates may output unescaped."""
    linked = urlize(text, nofollow=True, autoescape=True)
    html = SANITISER.clean(linebreaks(linked))
    return mark_safe(html)  # noqa: S308 - the sanitiser has just removed anything unsafe


def paragraphs(text):
    """Django's ``linebreaks`` filter: the text escaped, in paragraphs, lines broken with ``<br>``."""
    return mark_safe(linebreaks(text, autoescape=True))  # noqa: S308 - escaped first


# The fragments are Jinja2 templates (comments/jinja2/), rendered in a fraction of the time Django's templates
# take, for the same bytes: every value is escaped by Django's own escape() (Jinja2's escapes quotes otherwise);
# the filters localtime, date, time and linebreaks are Django's (date and time take a value already in local
# time, as Django's templates pass it to them); _() and url() come with each render (see FragmentRenderer).
FRAGMENTS = Environment(
    loader=FileSystemLoader(Path(__file__).parent / "jinja2"),
    autoescape=True,
    finalize=conditional_escape,
    auto_reload=False,
    undefined=StrictUndefined,
)
FRAGMENTS.filters.update(
    {
        "localtime": timezone.template_localtime,
        "date": formats.date_format,
        "time": formats.time_format,
        "linebreaks": paragraphs,
    }
)
CARD_TEMPLATE = "comments/comment_card.html"
REPLY_TEMPLATE = "comments/comment_reply.html"
# An id that no address holds otherwise: reversed once, then replaced by each comment's (see FragmentRenderer.url).
ID_PLACEHOLDER = "9081726354453627189"


@cache
def _templates_digest():
    """A digest of the fragment templates' source and of this module (the text's rules), read once per process."""
    digest = hashlib.sha256(Path(__file__).read_bytes())
    for name in (CARD_TEMPLATE, REPLY_TEMPLATE):
        source, _filename, _uptodate = FRAGMENTS.loader.get_source(FRAGMENTS, name)
        digest.update(source.encode())
    return digest.hexdigest()


def fragment_version():
    """What a stored comment fragment depends on besides the comment: the templates, language, time zone, formats.

    A fragment stored under another version is stale: it is rendered afresh for the page (and stored again by
    ``manage.py renderhtml``).
    """
    stamp = "|".join(
        [
            _templates_digest(),
            get_language() or "",
            timezone.get_current_timezone_name(),
            get_format("DATE_FORMAT"),
            get_format("TIME_FORMAT"),
        ]
    )
    return hashlib.sha256(stamp.encode()).hexdigest()[:16]


class FragmentRenderer:
    """Renders comments' fragments in the current language and time zone (``version``: their ``fragment_version()``).

    What is the same for every comment, the version, the messages in the current language and the addresses
    of views, is looked up once for all the comments one renderer renders (a batch of an import or of
    ``manage.py renderhtml``): looked up per comment, it cost more than the rest of the fragments.
    """

    def __init__(self):
        self._messages = {}
        self._addresses = {}

    @cached_property
    def version(self):
        return fragment_version()

    def card(self, comment, pending=False):
        """A comment's name, date line and text as shown on the article page (without its reply link).

        ``pending``: the form its own author sees while it awaits moderation, where nothing is a link.
        """
        return self._render(CARD_TEMPLATE, comment=comment, pending=pending)

    def reply_link(self, comment):
        return self._render(REPLY_TEMPLATE, comment=comment)

    def _render(self, template_name, **context):
        template = FRAGMENTS.get_template(template_name)
        return without_blank_lines(template.render(_=self.translate, url=self.url, **context))

    def translate(self, message, **values):
        """``message`` in the current language, with ``values`` escaped and put in, as ``{% blocktranslate %}``."""
        translated = self._messages.get(message)
        if translated is None:
            translated = self._messages[message] = gettext(message)
        if values:
            translated %= {name: conditional_escape(value) for name, value in values.items()}
        return mark_safe(translated)  # noqa: S308 - the values are escaped; the messages are the site's own

    def url(self, view_name, object_id):
        """``{% url view_name object_id %}`` for a view that takes one number: reversed once, the id put in after."""
        address = self._addresses.get(view_name)
        if address is None:
            address = self._addresses[view_name] = reverse(view_name, args=[ID_PLACEHOLDER]).split(ID_PLACEHOLDER)
        return str(object_id).join(address)


def render_comment_card(comment, pending=False):
    """A comment's card on its own (``FragmentRenderer.card()``)."""
    return FragmentRenderer().card(comment, pending)


def without_blank_lines(html):
    """The lines of ``html`` that hold something, each ending with a newline: template tags leave blank ones."""
    return mark_safe("".join(f"{line}\n" for line in html.splitlines() if line.strip()))  # noqa: S308 - rendered HTML


def render_comment_items(threads, comments_open, own_links=None):
    """The ``<li>`` of each comment of ``threads`` (``comments.threads.ThreadNode``), replies nested in an ``<ol>``.

    Each comment brings its own fragments (``Comment.page_fragments``); only the nesting is put together here,
    on every request, because it depends on which comments are shown, the thread depth and the reply links.
    ``own_links(comment)``: safe HTML put after the comment's ``<article>`` (its author's links, see comments.editing).
    """
    version = fragment_version()
    parts = []

    def add(nodes):
        for node in nodes:
            comment = node.comment
            card, reply_link = comment.page_fragments(version)
            pending = " comment--pending" if comment.is_pending else ""
            parts.append(f'<li id="{comment.anchor}" class="comment depth-{node.depth}{pending}">\n')
            parts.append('  <article class="comment__body">\n')
            parts.append(card)
            if comments_open:
                parts.append(reply_link)
            parts.append("  </article>\n")
            if own_links is not None:
                parts.append(own_links(comment))
            if node.replies:
                parts.append('  <ol class="comment-list comment-list--replies">\n')
                add(node.replies)
                parts.append("  </ol>\n")
            parts.append("</li>\n")

    add(threads)
    return mark_safe("".join(parts))  # noqa: S308 - fragments are rendered by templates; ids and depths are numbers
