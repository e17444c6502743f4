"""``{% load pagecache %}{% per_request "name" key=value %}``: a per-request value in a page (see pagecache.holes)."""

from django import template

from pagecache.holes import per_request as per_request_value

register = template.Library()


@register.simple_tag(takes_context=True)
def per_request(context, name, **kwargs):
    return per_request_value(context["request"], name, **kwargs)
