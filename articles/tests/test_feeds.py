from datetime import timedelta
from xml.etree import ElementTree

import pytest
from django.utils import timezone
from pytest_django.asserts import assertInHTML

from articles.models import Article

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"


def rss_items(response):
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/rss+xml")
    channel = ElementTree.fromstring(response.content).find("channel")  # noqa: S314 - the site's own output
    return channel, channel.findall("item")


def atom_entries(response):
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = ElementTree.fromstring(response.content)  # noqa: S314 - the site's own output
    return feed, feed.findall(f"{ATOM}entry")


@pytest.fixture
def newsroom(make_author, make_section, make_tag, make_article):
    author = make_author(name="Amara Okafor", slug="amara-okafor", email="amara@newsroom.example")
    politics = make_section(name="Politics", slug="politics")
    housing = make_tag(name="Housing")
    published = make_article(
        title="Council backs new homes",
        standfirst="Three hundred homes at the brickworks.",
        author=author,
        section=politics,
        tags=[housing],
    )
    untitled_standfirst = make_article(
        title="Repairs fund", body="<p>The fund opens <em>in spring</em>.</p>", author=author, section=politics
    )
    make_article(title="Draft homes story", author=author, section=politics, status=Article.Status.DRAFT)
    make_article(
        title="Embargoed homes story", author=author, section=politics, published_at=timezone.now() + timedelta(days=1)
    )
    make_article(title="Elsewhere story")
    return {"author": author, "section": politics, "published": published, "body_only": untitled_standfirst}


def test_latest_rss_feed_lists_published_articles(client, newsroom):
    channel, items = rss_items(client.get("/feed/"))

    titles = [item.findtext("title") for item in items]
    assert titles == ["Elsewhere story", "Repairs fund", "Council backs new homes"]
    item = items[2]
    assert item.findtext("link") == "http://testserver" + newsroom["published"].get_absolute_url()
    assert item.findtext("description") == "Three hundred homes at the brickworks."
    assert item.findtext("pubDate")
    assert [category.text for category in item.findall("category")] == ["Politics", "Housing"]
    assert items[1].findtext("description") == "The fund opens in spring."


def test_feeds_never_carry_emails(client, newsroom):
    for path in ("/feed/", "/feed/atom/", "/author/amara-okafor/feed/", "/author/amara-okafor/feed/atom/"):
        content = client.get(path).content.decode()
        assert "@" not in content, path
        assert "Amara Okafor" in content


def test_latest_atom_feed(client, newsroom):
    feed, entries = atom_entries(client.get("/feed/atom/"))

    assert [entry.findtext(f"{ATOM}title") for entry in entries][-1] == "Council backs new homes"
    entry = entries[-1]
    assert entry.find(f"{ATOM}author").findtext(f"{ATOM}name") == "Amara Okafor"
    assert entry.findtext(f"{ATOM}published")
    assert entry.findtext(f"{ATOM}updated")
    assert [category.get("term") for category in entry.findall(f"{ATOM}category")] == ["Politics", "Housing"]
    assert feed.findtext(f"{ATOM}subtitle")


def test_section_feeds_list_the_sections_articles(client, newsroom):
    channel, items = rss_items(client.get("/section/politics/feed/"))
    _, entries = atom_entries(client.get("/section/politics/feed/atom/"))

    assert "Politics" in channel.findtext("title")
    assert [item.findtext("title") for item in items] == ["Repairs fund", "Council backs new homes"]
    assert [entry.findtext(f"{ATOM}title") for entry in entries] == ["Repairs fund", "Council backs new homes"]


def test_author_feeds_list_the_authors_articles(client, newsroom):
    channel, items = rss_items(client.get("/author/amara-okafor/feed/"))
    _, entries = atom_entries(client.get("/author/amara-okafor/feed/atom/"))

    assert "Amara Okafor" in channel.findtext("title")
    assert [item.findtext("title") for item in items] == ["Repairs fund", "Council backs new homes"]
    assert len(entries) == 2


def test_no_feed_carries_drafts_or_scheduled_articles(client, newsroom):
    for path in ("/feed/", "/feed/atom/", "/section/politics/feed/", "/author/amara-okafor/feed/atom/"):
        content = client.get(path).content.decode()
        assert "Draft homes story" not in content
        assert "Embargoed homes story" not in content


def test_unknown_section_or_author_feed_answers_404(client, db):
    assert client.get("/section/nowhere/feed/").status_code == 404
    assert client.get("/author/nobody/feed/atom/").status_code == 404


def test_pages_announce_their_feeds(client, newsroom):
    home = client.get("/").content.decode()
    section = client.get("/section/politics/").content.decode()
    author = client.get("/author/amara-okafor/").content.decode()
    article = client.get(newsroom["published"].get_absolute_url()).content.decode()

    for page in (home, section, author, article):
        head = page[: page.index("</head>")]
        assertInHTML(
            '<link rel="alternate" type="application/rss+xml" title="Newsroom: latest articles (RSS)" href="/feed/">',
            head,
        )
        assertInHTML(
            '<link rel="alternate" type="application/atom+xml" title="Newsroom: latest articles (Atom)"'
            ' href="/feed/atom/">',
            head,
        )
    assertInHTML(
        '<link rel="alternate" type="application/rss+xml" title="Politics (RSS)" href="/section/politics/feed/">',
        section[: section.index("</head>")],
    )
    assertInHTML(
        '<link rel="alternate" type="application/rss+xml" title="Articles by Amara Okafor (RSS)"'
        ' href="/author/amara-okafor/feed/">',
        author[: author.index("</head>")],
    )
    assert "/section/politics/feed/" not in home
