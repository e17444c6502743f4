from datetime import timedelta
from xml.etree import ElementTree

import pytest
from django.utils import timezone

from articles.models import Article

pytestmark = pytest.mark.django_db

SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def sitemap_entries(client):
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    urlset = ElementTree.fromstring(response.content)  # noqa: S314 - the site's own output
    return {url.findtext(f"{SITEMAP}loc"): url.findtext(f"{SITEMAP}lastmod") for url in urlset}


def test_sitemap_lists_published_articles_with_lastmod(client, make_article):
    article = make_article()

    entries = sitemap_entries(client)

    location = "http://testserver" + article.get_absolute_url()
    assert entries[location] == article.updated_at.date().isoformat()
    assert "http://testserver/" in entries


def test_sitemap_lists_authors_sections_and_tags_that_have_published_articles(
    client, make_article, make_section, make_tag, make_author
):
    section, tag = make_section(slug="city"), make_tag(slug="weather")
    coauthor = make_author(slug="second-byline")
    article = make_article(section=section, tags=[tag], coauthors=[coauthor])
    make_section(slug="empty")
    lonely_author = make_author(slug="lonely")
    make_article(author=lonely_author, status=Article.Status.DRAFT, section=make_section(slug="drafts-only"))

    entries = sitemap_entries(client)

    for path in ("/section/city/", "/tag/weather/", article.author.get_absolute_url(), "/author/second-byline/"):
        assert entries["http://testserver" + path], path
    for path in ("/section/empty/", "/author/lonely/", "/section/drafts-only/"):
        assert "http://testserver" + path not in entries


def test_sitemap_never_lists_drafts_or_scheduled_articles(client, make_article):
    draft = make_article(status=Article.Status.DRAFT)
    scheduled = make_article(published_at=timezone.now() + timedelta(days=1))

    content = client.get("/sitemap.xml").content.decode()

    assert draft.slug not in content
    assert scheduled.slug not in content


def test_robots_txt_names_the_sitemap(client, db):
    response = client.get("/robots.txt")

    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    lines = response.content.decode().splitlines()
    assert "Sitemap: http://testserver/sitemap.xml" in lines
    assert "User-agent: *" in lines
