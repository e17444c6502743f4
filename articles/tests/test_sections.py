from datetime import timedelta

import pytest
from django.db.models import ProtectedError
from django.utils import timezone
from pytest_django.asserts import assertContains

from articles.models import Article
from newsroom.tests.helpers import main_column

pytestmark = pytest.mark.django_db


def test_section_page_lists_its_published_articles_only(client, make_section, make_article):
    world = make_section(name="World", slug="world", description="News from abroad.")
    story = make_article(title="Summit ends", section=world)
    make_article(title="Drafted summit", section=world, status=Article.Status.DRAFT)
    make_article(title="Embargoed summit", section=world, published_at=timezone.now() + timedelta(days=1))
    make_article(title="Local story", section=make_section())

    response = client.get("/section/world/")

    assert response.status_code == 200
    assert list(response.context["article_list"]) == [story]
    html = response.content.decode()
    assert "News from abroad." in html
    assert "Drafted summit" not in html
    assert "Embargoed summit" not in html
    assert "Local story" not in main_column(html)


def test_tag_page_lists_its_published_articles_only(client, make_tag, make_article):
    housing = make_tag(name="Housing", slug="housing")
    story = make_article(title="New homes", tags=[housing])
    make_article(title="Secret homes", tags=[housing], status=Article.Status.DRAFT)
    make_article(title="Untagged")

    response = client.get("/tag/housing/")

    assert response.status_code == 200
    assert list(response.context["article_list"]) == [story]
    assert "Housing" in response.content.decode()


def test_section_and_tag_pages_are_paginated(client, make_section, make_tag, make_article, settings):
    settings.ARTICLES_PER_PAGE = 2
    section, tag = make_section(slug="city"), make_tag(slug="weather")
    for day in range(3):
        make_article(section=section, tags=[tag], published_at=timezone.now() - timedelta(days=day + 1))

    for path in ("/section/city/", "/tag/weather/"):
        assert len(client.get(path).context["article_list"]) == 2
        assert len(client.get(f"{path}?page=2").context["article_list"]) == 1
        assert client.get(f"{path}?page=3").status_code == 404


def test_unknown_section_or_tag_answers_404(client, db):
    assert client.get("/section/nowhere/").status_code == 404
    assert client.get("/tag/nothing/").status_code == 404


@pytest.mark.parametrize(
    "unpublished",
    [{"status": Article.Status.DRAFT}, {"published_at": timezone.now() + timedelta(days=1)}],
    ids=["draft", "scheduled"],
)
def test_a_section_or_tag_carried_only_by_unpublished_articles_answers_404(
    client, make_section, make_tag, make_article, unpublished
):
    merger = make_section(name="Merger", slug="merger")
    takeover = make_tag(name="Takeover", slug="takeover")
    make_article(section=merger, tags=[takeover], **unpublished)

    for path in ("/section/merger/", "/section/merger/feed/", "/section/merger/feed/atom/", "/tag/takeover/"):
        assert client.get(path).status_code == 404, path
    assert 'href="/section/merger/"' not in client.get("/").content.decode()

    make_article(section=merger, tags=[takeover])
    for path in ("/section/merger/", "/section/merger/feed/", "/tag/takeover/"):
        assert client.get(path).status_code == 200, path


def test_article_page_links_its_section_and_tags(client, make_section, make_tag, make_article):
    section = make_section(name="Politics", slug="politics")
    tags = [make_tag(name="Housing", slug="housing"), make_tag(name="Council", slug="council")]
    article = make_article(section=section, tags=tags)

    html = client.get(article.get_absolute_url()).content.decode()

    kicker = html.index('class="article__kicker"')
    assert html.index('href="/section/politics/"', kicker) < html.index('class="article__title"')
    body_end = html.index('class="article__footer"')
    assert html.index('href="/tag/housing/"', body_end) > body_end
    assert html.index('href="/tag/council/"', body_end) > body_end


def test_masthead_lists_sections_in_their_order(client, make_section, make_article):
    make_article(section=make_section(name="Sport", slug="sport", ordering=2))
    make_article(section=make_section(name="World", slug="world", ordering=1))

    html = client.get("/").content.decode()

    nav = html[html.index('class="section-nav"') :]
    assert nav.index('href="/section/world/"') < nav.index('href="/section/sport/"')


def test_section_page_marks_itself_in_the_masthead(client, make_section, make_article):
    make_article(section=make_section(name="World", slug="world"))

    response = client.get("/section/world/")

    assertContains(response, '<a href="/section/world/" aria-current="page">World</a>', html=True)


def test_a_section_holding_articles_cannot_be_deleted(make_section, make_article):
    section = make_section()
    make_article(section=section)

    with pytest.raises(ProtectedError):
        section.delete()
