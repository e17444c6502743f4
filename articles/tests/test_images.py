"""An article's lead image on its page, on lists, in link previews, JSON-LD and feeds; library images in bodies."""

import json
import re
from xml.etree import ElementTree

import pytest
from django.db import connection
from django.db.models import ProtectedError
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from pytest_django.asserts import assertContains, assertHTMLEqual

from articles.html import render_body
from articles.models import Article
from images.html import ARTICLE_SIZES, CARD_SIZES, LEAD_CARD_SIZES

pytestmark = pytest.mark.django_db

EAGER = 'fetchpriority="high"'


def srcset(image, kind):
    return ", ".join(f"{r.url} {r.width}w" for r in image.renditions_of(kind))


def picture_html(image, sizes, loading='loading="lazy"', alt=None):
    return (
        f'<picture><source type="image/webp" srcset="{srcset(image, "webp")}" sizes="{sizes}">'
        f'<img src="{image.rendition("jpeg", 800).url}" srcset="{srcset(image, "jpeg")}" sizes="{sizes}" '
        f'width="{image.width}" height="{image.height}" alt="{image.alt_text if alt is None else alt}" {loading} '
        'decoding="async"></picture>'
    )


@pytest.fixture
def lead_image(make_image):
    return make_image(alt="Rowers on the river at dusk", caption="The club’s eight.", credit="Photo: Ann Lee")


def test_the_article_shows_its_lead_image_with_caption_and_credit(client, make_article, lead_image):
    article = make_article(lead_image=lead_image)

    response = client.get(article.get_absolute_url())

    assert response.status_code == 200
    figure = (
        '<figure class="figure article__lead-image">'
        + picture_html(lead_image, ARTICLE_SIZES, loading=EAGER)
        + '<figcaption class="figure__caption">The club’s eight. <span class="figure__credit">Photo: Ann Lee</span>'
        "</figcaption></figure>"
    )
    assertContains(response, html=True, text=figure)
    assert 'srcset="/media/images/' in response.text
    assert " 400w, /media/images/" in response.text


def test_a_decorative_lead_image_has_an_empty_alt(client, make_article, make_image):
    image = make_image(alt="", decorative=True)
    article = make_article(lead_image=image)

    response = client.get(article.get_absolute_url())

    assertContains(response, html=True, text=picture_html(image, ARTICLE_SIZES, loading=EAGER, alt=""))
    assert 'property="og:image:alt"' not in response.text


def test_cards_show_the_lead_image_the_first_at_once_the_others_lazily(client, make_article, lead_image, make_image):
    other = make_image(alt="A bus at the hospital stop")
    make_article(lead_image=other)
    make_article(lead_image=lead_image)  # the newest: the home page's lead card

    response = client.get("/")

    assertContains(
        response,
        f'<div class="card__image">{picture_html(lead_image, LEAD_CARD_SIZES, loading=EAGER)}</div>',
        html=True,
    )
    assertContains(response, html=True, text=f'<div class="card__image">{picture_html(other, CARD_SIZES)}</div>')


@pytest.mark.parametrize("path", ["/", "/{year}/", "/author/{author}/", "/section/{section}/", "/search/?q=river"])
def test_lists_of_articles_with_images_run_no_query_per_image(client, make_article, make_author, make_section,
                                                               make_image, path):  # fmt: skip
    author, section, image = make_author(), make_section(), make_image()

    def add_articles(count):
        for _ in range(count):
            make_article(title="River news", author=author, section=section, lead_image=image)

    add_articles(2)
    path = path.format(year=author.articles.first().published_at.year, author=author.slug, section=section.slug)
    with CaptureQueriesContext(connection) as few:
        client.get(path)
    add_articles(6)
    with CaptureQueriesContext(connection) as many:
        response = client.get(path)

    assert response.text.count('<div class="card__image">') == 8
    assert len(many.captured_queries) == len(few.captured_queries)


def test_link_previews_and_json_ld_carry_the_lead_image(client, make_article, lead_image):
    article = make_article(lead_image=lead_image)
    shared = lead_image.rendition("jpeg", 1200)
    absolute = f"http://testserver{shared.url}"

    response = client.get(article.get_absolute_url())

    for tag in [
        f'<meta property="og:image" content="{absolute}">',
        '<meta property="og:image:type" content="image/jpeg">',
        '<meta property="og:image:width" content="1000">',
        '<meta property="og:image:height" content="600">',
        '<meta property="og:image:alt" content="Rowers on the river at dusk">',
        '<meta name="twitter:card" content="summary_large_image">',
        f'<meta name="twitter:image" content="{absolute}">',
        '<meta name="twitter:image:alt" content="Rowers on the river at dusk">',
    ]:
        assertContains(response, tag, html=True)
    data = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', response.text, re.S).group(1))
    assert data["image"] == {
        "@type": "ImageObject",
        "url": absolute,
        "width": 1000,
        "height": 600,
        "caption": "The club’s eight.",
        "creditText": "Photo: Ann Lee",
    }


def test_an_article_without_an_image_keeps_the_small_card(client, article):
    response = client.get(article.get_absolute_url())

    assertContains(response, html=True, text='<meta name="twitter:card" content="summary">')
    assert "og:image" not in response.text
    assert "<picture>" not in response.text


def test_feeds_carry_the_lead_image_as_an_enclosure(client, make_article, lead_image):
    make_article()
    make_article(lead_image=lead_image)  # the newer: first in the feeds
    shared = lead_image.rendition("jpeg", 1200)

    rss = ElementTree.fromstring(client.get(reverse("articles:feed")).content)  # noqa: S314 - our own output
    enclosures = [item.find("enclosure") for item in rss.iter("item")]
    assert enclosures[1] is None
    assert enclosures[0].attrib == {
        "url": f"http://testserver{shared.url}",
        "length": str(shared.size),
        "type": "image/jpeg",
    }

    atom = ElementTree.fromstring(client.get(reverse("articles:feed_atom")).content)  # noqa: S314
    links = atom.findall(".//{http://www.w3.org/2005/Atom}link[@rel='enclosure']")
    assert [link.attrib["href"] for link in links] == [f"http://testserver{shared.url}"]


def test_a_lead_image_cannot_be_deleted_while_an_article_shows_it(make_article, lead_image):
    make_article(lead_image=lead_image)

    with pytest.raises(ProtectedError):
        lead_image.delete()


def test_library_images_in_the_body_become_responsive_pictures(make_image):
    first, second = make_image(alt="Library alt"), make_image(alt="Second")
    body = (
        f'Before.\n\n<figure><img src="{first.file.url}" alt="Alt chosen for this article" width="1000" '
        f'height="600"><figcaption>A caption</figcaption></figure>\n\n'
        f'<p><img src="http://testserver{second.file.url}" alt=""></p>\n\n'
        '<img src="https://elsewhere.example/images/photo.jpg" alt="Not ours" onerror="alert(1)">'
    )

    with CaptureQueriesContext(connection) as queries:
        html = render_body(body)

    assert len(queries.captured_queries) == 1
    expected = (
        "<p>Before.</p>"
        f"<figure>{picture_html(first, ARTICLE_SIZES, alt='Alt chosen for this article')}"
        "<figcaption>A caption</figcaption></figure>"
        f"<p>{picture_html(second, ARTICLE_SIZES, alt='Second')}</p>"
        '<p><img src="https://elsewhere.example/images/photo.jpg" alt="Not ours"></p>'
    )
    assertHTMLEqual(html, expected)


def test_a_body_without_library_images_runs_no_query():
    with CaptureQueriesContext(connection) as queries:
        render_body('Text.\n\n<img src="/static/logo.png" alt="Logo">')

    assert queries.captured_queries == []


def test_an_article_admin_chooses_the_lead_image_from_the_library(editor_client, make_article, lead_image):
    article = make_article()
    change = reverse("admin:articles_article_change", args=[article.pk])

    form = editor_client.get(change).text
    assert 'class="admin-autocomplete" data-ajax--cache="true"' in form
    assert 'data-field-name="lead_image"' in form
    found = editor_client.get(
        reverse("admin:autocomplete"),
        {"term": "rowers", "app_label": "articles", "model_name": "article", "field_name": "lead_image"},
    )
    assert found.json()["results"] == [{"id": str(lead_image.pk), "text": "Rowers on the river at dusk"}]

    Article.objects.filter(pk=article.pk).update(lead_image=lead_image)
    assert f'src="{lead_image.thumbnail.url}" width="240"' in editor_client.get(change).text
