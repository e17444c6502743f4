from datetime import timedelta
from xml.etree import ElementTree

import pytest
from django.utils import timezone
from pytest_django.asserts import assertInHTML

from articles.models import Article
from comments.models import Comment

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture
def comments(article, make_comment):
    return {
        status: make_comment(
            article=article,
            status=status,
            author=f"{status.label} reader",
            email=f"{status}@readers.example",
            body=f"{status} text",
        )
        for status in Comment.Status
    }


def test_rss_feed_lists_approved_comments_only(client, article, comments):
    response = client.get(f"/comments/feed/{article.pk}/")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/rss+xml")
    channel = ElementTree.fromstring(response.content).find("channel")  # noqa: S314 - the site's own output
    items = channel.findall("item")
    assert [item.findtext("title") for item in items] == ["By Approved reader"]
    assert items[0].findtext("link").endswith(f"{article.get_absolute_url()}#comment-{comments['approved'].pk}")
    assert "approved text" in items[0].findtext("description")
    assert article.title in channel.findtext("title")


def test_atom_feed_lists_approved_comments_only(client, article, comments):
    response = client.get(f"/comments/feed/{article.pk}/atom/")

    feed = ElementTree.fromstring(response.content)  # noqa: S314 - the site's own output
    entries = feed.findall(f"{ATOM}entry")
    assert [entry.findtext(f"{ATOM}author/{ATOM}name") for entry in entries] == ["Approved reader"]


@pytest.mark.parametrize("path", ["/comments/feed/{pk}/", "/comments/feed/{pk}/atom/"])
def test_no_commenter_email_in_any_feed(client, article, comments, path):
    content = client.get(path.format(pk=article.pk)).content.decode()

    assert "@readers.example" not in content
    for status in ("pending", "spam", "trash"):
        assert f"{status} text" not in content


@pytest.mark.parametrize(
    "fields",
    [{"status": Article.Status.DRAFT}, {"published_at": timezone.now() + timedelta(days=1)}],
    ids=["draft", "scheduled"],
)
def test_unpublished_articles_have_no_comments_feed(client, make_article, make_comment, fields):
    article = make_article(**fields)
    make_comment(article=article)

    assert client.get(f"/comments/feed/{article.pk}/").status_code == 404
    assert client.get("/comments/feed/999999/").status_code == 404


def test_article_page_links_its_comments_feeds(client, article):
    html = client.get(article.get_absolute_url()).content.decode()
    head = html[: html.index("</head>")]

    assertInHTML(
        f'<link rel="alternate" type="application/rss+xml" title="Comments on “{article.title}” (RSS)"'
        f' href="/comments/feed/{article.pk}/">',
        head,
    )
    assertInHTML(
        f'<link rel="alternate" type="application/atom+xml" title="Comments on “{article.title}” (Atom)"'
        f' href="/comments/feed/{article.pk}/atom/">',
        head,
    )
