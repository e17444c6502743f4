"""``{% load pagecache %}``: ``{% per_request "name" key=value %}``, a per-request value in a page (see
pagecache.holes), and ``{% fragment "name" vary... on "topic"... %}…{% endfragment %}``, a part of a page kept
in the cache (see pagecache.fragments)."""

from django import template

from pagecache.fragments import cached_fragment
from pagecache.holes import per_request as per_request_value

register = template.Library()


@register.simple_tag(takes_context=True)
def per_request(context, name, **kwargs):
    return per_request_value(context["request"], name, **kwargs)


class FragmentNode(template.Node):
    def __init__(self, nodelist, name, vary, topics):
        self.nodelist = nodelist
        self.name = name
        self.vary = vary
        self.topics = topics

    def render(self, context):
        return cached_fragment(
            self.name.resolve(context),
            [value.resolve(context) for value in self.vary],
            [topic.resolve(context) for topic in self.topics],
            lambda: self.nodelist.render(context),
            context.get("request"),
        )


@register.tag
def fragment(parser, token):
    """``{% fragment "name" vary... on "topic"... %}…{% endfragment %}``."""
    bits = token.split_contents()
    if "on" not in bits[2:] or bits[-1] == "on":
        raise template.TemplateSyntaxError(f"'{bits[0]}' needs a name and, after 'on', at least one topic.")
    split = bits.index("on", 2)
    nodelist = parser.parse(("endfragment",))
    parser.delete_first_token()
    return FragmentNode(
        nodelist,
        parser.compile_filter(bits[1]),
        [parser.compile_filter(bit) for bit in bits[2:split]],
        [parser.compile_filter(bit) for bit in bits[split + 1 :]],
    )
