"""Turning a comment into safe HTML.

A comment is plain text: it is escaped, web addresses in it become links, blank lines separate
paragraphs and a single newline becomes ``<br>``. The result then passes through an allow-list
sanitiser (nh3) that keeps only paragraphs, line breaks and links to ``http``, ``https`` and ``mailto``
addresses, and marks every link ``rel="nofollow ugc"``: a comment never carries a script, a
``javascript:`` link or a link that passes on the site's reputation.
"""

import nh3
from django.utils.html import linebreaks, urlize
from django.utils.safestring import mark_safe

ALLOWED_TAGS = {"a", "br", "p"}
ALLOWED_ATTRIBUTES = {"a": {"href"}}
ALLOWED_URL_SCHEMES = {"http", "https", "mailto"}
LINK_REL = "nofollow ugc"


def render_comment_body(text):
    """The body of a comment as HTML that templates may output unescaped."""
    linked = urlize(text, nofollow=True, autoescape=True)
    html = nh3.clean(
        linebreaks(linked),
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_URL_SCHEMES,
        link_rel=LINK_REL,
    )
    return mark_safe(html)  # noqa: S308 - the sanitiser has just removed anything unsafe
