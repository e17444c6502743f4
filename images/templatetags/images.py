from django import template

from images import html

register = template.Library()


@register.simple_tag
def picture(image, sizes="article", lead=False):
    """``{% picture image sizes="card" lead=True %}``: the image's ``<picture>`` (see ``images.html.picture``).

    ``sizes`` names where it is shown (``article``, ``lead_card``, ``card``) or is a ``sizes`` attribute;
    ``lead`` marks the page's first image, fetched at once rather than lazily.
    """
    named = {"article": html.ARTICLE_SIZES, "lead_card": html.LEAD_CARD_SIZES, "card": html.CARD_SIZES}
    return html.picture(image, named.get(sizes, sizes), eager=lead)


@register.inclusion_tag("images/figure.html")
def figure(image, sizes="article", lead=False, css_class=""):
    """``{% figure image %}``: the picture with its caption and credit under it."""
    return {"image": image, "sizes": sizes, "lead": lead, "css_class": css_class}


@register.simple_tag(takes_context=True)
def absolute_url(context, url):
    """An absolute URL (for link previews and feeds) of a URL of this site or of the media storage."""
    return context["request"].build_absolute_uri(url)
