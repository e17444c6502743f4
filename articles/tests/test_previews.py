import json
import re
from datetime import datetime
from datetime import timezone as dt_timezone

import pytest
from django.utils.html import escape
from pytest_django.asserts import assertInHTML

pytestmark = pytest.mark.django_db

HOSTILE_TITLE = "Breaking </script><script>alert(1)</script> & <b>news</b>"


@pytest.fixture
def story(make_author, make_section, make_tag, make_article):
    return make_article(
        title="Otters return to the Aske",
        slug="otters-return",
        standfirst="A survey finds otters in every stretch of the river.",
        author=make_author(name="Tomasz Lindqvist", slug="tomasz-lindqvist", email="tomasz@newsroom.example"),
        section=make_section(name="Science", slug="science"),
        tags=[make_tag(name="Wildlife"), make_tag(name="River Aske")],
        published_at=datetime(2024, 4, 19, 8, 30, tzinfo=dt_timezone.utc),
    )


def head_of(client, article):
    html = client.get(article.get_absolute_url()).content.decode()
    return html[: html.index("</head>")]


def meta(head, key):
    match = re.search(rf'<meta (?:property|name)="{re.escape(key)}" content="([^"]*)">', head)
    return match and match.group(1)


def json_ld(head):
    scripts = re.findall(r'<script type="application/ld\+json">(.*?)</script>', head, re.DOTALL)
    assert len(scripts) == 1
    return json.loads(scripts[0])


def test_article_page_has_a_canonical_link(client, story):
    head = head_of(client, story)

    assertInHTML('<link rel="canonical" href="http://testserver/2024/04/19/otters-return/">', head)


def test_article_page_has_opengraph_and_twitter_meta(client, story):
    head = head_of(client, story)

    assert meta(head, "og:type") == "article"
    assert meta(head, "og:title") == "Otters return to the Aske"
    assert meta(head, "og:description") == "A survey finds otters in every stretch of the river."
    assert meta(head, "og:url") == "http://testserver/2024/04/19/otters-return/"
    assert meta(head, "og:site_name") == "Newsroom"
    assert meta(head, "article:published_time") == "2024-04-19T08:30:00+00:00"
    assert meta(head, "article:modified_time")
    assert meta(head, "article:author") == "Tomasz Lindqvist"
    assert meta(head, "article:section") == "Science"
    assert re.findall(r'<meta property="article:tag" content="([^"]*)">', head) == ["River Aske", "Wildlife"]
    assert meta(head, "twitter:card") == "summary"
    assert meta(head, "twitter:title") == "Otters return to the Aske"


def test_article_page_describes_itself_as_a_news_article(client, story):
    data = json_ld(head_of(client, story))

    assert data["@context"] == "https://schema.org"
    assert data["@type"] == "NewsArticle"
    assert data["headline"] == "Otters return to the Aske"
    assert data["datePublished"] == "2024-04-19T08:30:00+00:00"
    assert data["dateModified"]
    assert data["author"] == [
        {"@type": "Person", "name": "Tomasz Lindqvist", "url": "http://testserver/author/tomasz-lindqvist/"}
    ]
    assert data["publisher"]["@type"] == "Organization"
    assert data["publisher"]["name"] == "Newsroom"
    assert data["mainEntityOfPage"]["@id"] == "http://testserver/2024/04/19/otters-return/"
    assert data["articleSection"] == "Science"
    assert data["keywords"] == ["River Aske", "Wildlife"]
    assert "tomasz@newsroom.example" not in json.dumps(data)


def test_a_hostile_title_cannot_break_out_of_the_previews(client, make_article):
    article = make_article(title=HOSTILE_TITLE, standfirst='He said "hi" <img src=x onerror=alert(1)>')

    html = client.get(article.get_absolute_url()).content.decode()
    head = html[: html.index("</head>")]

    assert "<script>alert(1)" not in html
    assert "<img src=x" not in html
    assert head.count("</script>") == 1
    assert json_ld(head)["headline"] == HOSTILE_TITLE
    assert meta(head, "og:title") == escape(HOSTILE_TITLE)
    assert meta(head, "og:description") == "He said &quot;hi&quot; &lt;img src=x onerror=alert(1)&gt;"


def test_description_falls_back_to_the_start_of_the_body(client, make_article):
    article = make_article(standfirst="", body="<p>First <strong>words</strong> &amp; more.</p>\n\nSecond paragraph.")

    head = head_of(client, article)

    assert meta(head, "og:description") == "First words &amp; more. Second paragraph."
    assert article.summary == "First words & more. Second paragraph."
