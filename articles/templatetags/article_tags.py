import json

from django import template
from django.contrib.humanize.templatetags.humanize import intcomma
from django.core.serializers.json import DjangoJSONEncoder
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import ngettext

from articles import search
from articles.models import Section

register = template.Library()

# The escapes of django.utils.html.json_script: no "<", ">" or "&" can end the script element early.
JSON_SCRIPT_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


@register.filter
def json_ld(value):
    """Output a value as a ``<script type="application/ld+json">`` element, escaped like ``json_script``."""
    data = json.dumps(value, cls=DjangoJSONEncoder).translate(JSON_SCRIPT_ESCAPES)
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(data))  # noqa: S308


@register.filter
def views_label(count):
    """ "1 View", "18 Views", "12,345 Views"."""
    return ngettext("%(views)s View", "%(views)s Views", count) % {"views": intcomma(count)}


@register.filter
def highlight(headline):
    """A search result's headline as HTML, its matches in ``<mark>``."""
    return search.highlight(headline)


@register.inclusion_tag("articles/includes/section_nav.html", takes_context=True)
def section_nav(context):
    """The masthead's sections with published articles, marking the one shown (one query with the sidebar's)."""
    return {
        "sections": context.get("sidebar_sections", Section.objects.with_published_articles()),
        "current_section": context.get("section"),
    }
