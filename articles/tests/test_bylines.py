"""Several bylines on an article, and the pending review status."""

import json
import re
from xml.etree import ElementTree

import pytest
from django.test import Client
from django.urls import reverse
from pytest_django.asserts import assertContains, assertInHTML, assertNotContains

from articles.models import Article
from articles.tests.helpers import article_form_data, queries_to_get

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"
DC = "{http://purl.org/dc/elements/1.1/}"


@pytest.fixture
def bylines(make_author):
    return [make_author(name=name, slug=name.lower()) for name in ("Amara", "Bea", "Chen")]


@pytest.fixture
def shared(make_article, bylines):
    amara, bea, chen = bylines
    return make_article(title="Three hands", author=amara, coauthors=[chen, bea])


def test_the_article_names_every_byline_in_order(client, shared):
    page = client.get(shared.get_absolute_url())

    assertInHTML(
        '<span class="article__byline">By <a href="/author/amara/" rel="author">Amara</a>, '
        '<a href="/author/chen/" rel="author">Chen</a> and <a href="/author/bea/" rel="author">Bea</a></span>',
        page.content.decode(),
    )
    assert re.findall(r'class="author-box__name"><a href="/author/(\w+)/"', page.content.decode()) == [
        "amara",
        "chen",
        "bea",
    ]
    data = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', page.content.decode()).group(1))
    assert [author["name"] for author in data["author"]] == ["Amara", "Chen", "Bea"]


def test_two_bylines_read_a_and_b(client, make_article, bylines):
    article = make_article(author=bylines[0], coauthors=[bylines[1]])

    assertContains(client.get("/"), "Amara and Bea")
    assertContains(client.get(article.get_absolute_url()), ">Amara</a> and <a")


def test_each_authors_page_and_feed_lists_the_articles_they_share(client, shared, make_article, bylines):
    amara, bea, chen = bylines
    make_article(title="Amara alone", author=amara)

    for author in bylines:
        titles = [article.title for article in client.get(f"/author/{author.slug}/").context["article_list"]]
        assert titles.count("Three hands") == 1
    assert "Amara alone" not in [a.title for a in client.get("/author/bea/").context["article_list"]]
    feed = ElementTree.fromstring(client.get("/author/chen/feed/").content)  # noqa: S314 - the site's own output
    assert [item.findtext("title") for item in feed.iter("item")] == ["Three hands"]


def test_feeds_name_each_author(client, shared):
    rss = ElementTree.fromstring(client.get("/feed/").content)  # noqa: S314 - the site's own output
    atom = ElementTree.fromstring(client.get("/feed/atom/").content)  # noqa: S314 - the site's own output

    assert [creator.text for creator in rss.find("channel/item").findall(f"{DC}creator")] == ["Amara", "Chen", "Bea"]
    entry = atom.find(f"{ATOM}entry")
    assert [author.findtext(f"{ATOM}name") for author in entry.findall(f"{ATOM}author")] == ["Amara", "Chen", "Bea"]


@pytest.mark.parametrize("path", ["/", "/author/amara/", "/feed/", "/search/?q=hands"])
def test_lists_fetch_bylines_without_a_query_per_article(client, make_article, make_author, bylines, path):
    def add_articles(count):
        for _ in range(count):
            make_article(title="Many hands", author=bylines[0], coauthors=[make_author(), make_author()])

    add_articles(2)
    with_two = queries_to_get(client, path)
    add_articles(6)

    assert queries_to_get(client, path) == with_two


def test_pending_review_is_not_public_but_editors_preview_it(editor_client, make_article):
    article = make_article(title="Awaiting the desk", status=Article.Status.REVIEW)

    assert not Article.objects.published().exists()
    assert Client().get(article.get_absolute_url()).status_code == 404
    assertNotContains(Client().get("/"), "Awaiting the desk")
    preview = editor_client.get(article.get_absolute_url())
    assertInHTML(
        '<p class="preview-notice" role="status">Preview of an article pending review: readers cannot see it.</p>',
        preview.content.decode(),
    )


def test_the_admin_filters_articles_pending_review(editor_client, make_article):
    make_article(title="Awaiting the desk", status=Article.Status.REVIEW)
    make_article(title="A draft", status=Article.Status.DRAFT)

    listing = editor_client.get(reverse("admin:articles_article_changelist"), {"publication": "review"})

    assert [article.title for article in listing.context["cl"].result_list] == ["Awaiting the desk"]
    assertContains(listing, "Pending review")


def coauthor_forms(*authors):
    forms = {"article_authors-TOTAL_FORMS": str(len(authors))}
    for number, author in enumerate(authors):
        forms[f"article_authors-{number}-author"] = author.pk
        forms[f"article_authors-{number}-position"] = number + 1
    return forms


def test_an_editor_adds_co_authors_but_not_the_first_byline_again(editor_client, article, make_author):
    change_url = reverse("admin:articles_article_change", args=[article.pk])
    bea, chen = make_author(name="Bea"), make_author(name="Chen")
    data = article_form_data(article.author, slug=article.slug)

    refused = editor_client.post(change_url, {**data, **coauthor_forms(bea, article.author)})

    assert refused.status_code == 200
    assertContains(refused, f"{article.author.name} is already the first byline.")
    assert article.article_authors.count() == 0

    saved = editor_client.post(change_url, {**data, **coauthor_forms(chen, bea)})

    assert saved.status_code == 302
    article.refresh_from_db()
    assert [author.name for author in article.bylines] == [article.author.name, "Chen", "Bea"]
