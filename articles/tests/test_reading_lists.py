from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles.models import Article

pytestmark = pytest.mark.django_db

NOW = timezone.now()


def days_ago(days):
    return NOW - timedelta(days=days)


def test_most_read_ranks_recent_articles_by_views(make_article, settings):
    settings.MOST_READ_DAYS = 30
    popular = make_article(view_count=500, published_at=days_ago(2))
    quieter = make_article(view_count=50, published_at=days_ago(10))
    make_article(view_count=9999, status=Article.Status.DRAFT, published_at=days_ago(1))
    make_article(view_count=9999, published_at=NOW + timedelta(days=1))

    assert list(Article.objects.most_read()) == [popular, quieter]


def test_most_read_puts_the_window_first_then_tops_up_with_older_articles(make_article, settings):
    settings.MOST_READ_DAYS = 30
    old_hit = make_article(view_count=10_000, published_at=days_ago(400))
    old_quiet = make_article(view_count=5, published_at=days_ago(300))
    recent = make_article(view_count=20, published_at=days_ago(3))

    assert list(Article.objects.most_read(limit=2)) == [recent, old_hit]
    assert list(Article.objects.most_read()) == [recent, old_hit, old_quiet]


def test_most_read_of_an_old_archive_is_the_most_read_overall(make_article, settings):
    settings.MOST_READ_DAYS = 7
    articles = [make_article(view_count=views, published_at=days_ago(500)) for views in (3, 300, 30)]

    assert list(Article.objects.most_read()) == [articles[1], articles[2], articles[0]]


def test_related_prefers_the_most_shared_tags_then_the_section(make_article, make_section, make_tag):
    city, sport = make_section(), make_section()
    weather, roads, health = make_tag(), make_tag(), make_tag()
    article = make_article(section=city, tags=[weather, roads])
    two_tags = make_article(section=sport, tags=[weather, roads], published_at=days_ago(30))
    tag_and_section = make_article(section=city, tags=[health, weather], published_at=days_ago(20))
    section_only = make_article(section=city, published_at=days_ago(2))
    one_tag = make_article(section=sport, tags=[roads], published_at=days_ago(1))
    make_article(section=sport, tags=[health])
    make_article(section=city, tags=[weather], status=Article.Status.DRAFT)

    related = list(Article.objects.related_to(article))

    assert related[:2] == [tag_and_section, two_tags]
    assert set(related[2:]) == {section_only, one_tag}
    assert article not in related
    assert list(Article.objects.related_to(article, limit=1)) == [tag_and_section]


def test_an_article_without_section_or_tags_has_no_related(make_article, make_section):
    make_article(section=make_section())

    assert list(Article.objects.related_to(make_article())) == []


def test_article_page_shows_related_and_most_read(client, make_article, make_section):
    section = make_section()
    article = make_article(section=section)
    neighbour = make_article(title="Neighbouring story", section=section)
    hit = make_article(title="Everyone read this", view_count=1000)

    html = client.get(article.get_absolute_url()).content.decode()

    related = html[html.index('id="related-title"') : html.index('id="most-read-title"')]
    most_read_start = html.index('id="most-read-title"')
    most_read = html[most_read_start : html.index("</aside>", most_read_start)]
    assert neighbour.get_absolute_url() in related
    assert hit.get_absolute_url() not in related
    assert most_read.index(hit.get_absolute_url()) < most_read.index(neighbour.get_absolute_url())
    assert article.get_absolute_url() not in most_read


def test_home_page_shows_most_read(client, make_article):
    hit = make_article(title="Everyone read this", view_count=1000)

    html = client.get("/").content.decode()

    aside = html[html.index('class="front__aside"') :]
    assert "Most read" in aside
    assert hit.get_absolute_url() in aside


def build_neighbourhood(make_article, make_section, make_tag, size):
    section, tags = make_section(), [make_tag() for _ in range(3)]
    article = make_article(section=section, tags=tags)
    for number in range(size):
        make_article(section=section, tags=tags[: number % 3 + 1], view_count=number)
    return article


def test_article_page_queries_do_not_grow_with_its_lists(
    client, make_article, make_section, make_tag, django_assert_num_queries
):
    small = build_neighbourhood(make_article, make_section, make_tag, size=1)
    with CaptureQueriesContext(connection) as baseline:
        client.get(small.get_absolute_url())

    large = build_neighbourhood(make_article, make_section, make_tag, size=8)
    with django_assert_num_queries(len(baseline)):
        html = client.get(large.get_absolute_url()).content.decode()

    related = html[html.index('id="related-title"') : html.index('id="most-read-title"')]
    assert related.count("<li>") == 4
    assert html[html.index('id="most-read-title"') : html.index('id="sidebar-sections-title"')].count("<li>") == 5


def test_home_page_queries_do_not_grow_with_most_read(client, make_article, django_assert_num_queries):
    make_article()
    with CaptureQueriesContext(connection) as baseline:
        client.get("/")

    for _ in range(6):
        make_article()
    with django_assert_num_queries(len(baseline)):
        client.get("/")
