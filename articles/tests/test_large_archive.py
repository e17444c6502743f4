"""Lists whose cost does not grow with the archive: the years of the archive, the most read, search."""

import re
from datetime import datetime, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles import search as search_module
from articles.models import Article
from articles.search import search

pytestmark = pytest.mark.django_db


def aware(*args):
    return timezone.make_aware(datetime(*args))


def test_years_lists_each_year_with_articles_newest_first(client, make_article):
    for year in (2019, 2019, 2021, 2024):
        make_article(published_at=aware(year, 6, 1))
    make_article(published_at=aware(2022, 3, 1), status=Article.Status.DRAFT)

    assert Article.objects.published().years() == [aware(2024, 1, 1), aware(2021, 1, 1), aware(2019, 1, 1)]
    html = client.get("/").content.decode()
    assert [int(year) for year in re.findall(r'href="/(\d{4})/">', html)] == [2024, 2021, 2019]


def test_years_reads_one_row_per_year(make_article):
    for year in (2020, 2020, 2020, 2023):
        make_article(published_at=aware(year, 6, 1))

    with CaptureQueriesContext(connection) as queries:
        Article.objects.published().years()

    assert len(queries.captured_queries) == 3  # 2023, 2020, then nothing older
    assert all("LIMIT 1" in query["sql"] for query in queries.captured_queries)


def test_most_read_is_two_queries_of_at_most_limit_rows(make_article, settings):
    settings.MOST_READ_DAYS = 30
    for days in (1, 2, 100, 200):
        make_article(published_at=timezone.now() - timedelta(days=days))

    with CaptureQueriesContext(connection) as queries:
        most_read = Article.objects.most_read(limit=3)

    assert len(most_read) == 3
    assert len(queries.captured_queries) == 2
    assert all("LIMIT 3" in query["sql"] for query in queries.captured_queries)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="full-text search ranking needs PostgreSQL")
def test_search_ranks_only_the_newest_matches(make_article, monkeypatch):
    monkeypatch.setattr(search_module, "MAX_RANKED", 2)
    oldest = make_article(title="Otters", body="Otters otters otters.", published_at=timezone.now() - timedelta(days=3))
    middle = make_article(title="News", body="An otter.", published_at=timezone.now() - timedelta(days=2))
    newest = make_article(title="Otters seen", body="Otters again.", published_at=timezone.now() - timedelta(days=1))

    results = list(search("otter"))

    assert results == [newest, middle]
    assert oldest not in results
