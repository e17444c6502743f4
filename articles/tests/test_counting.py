from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection, connections
from django.test import Client

from articles.counting import count_view
from articles.models import Article


@pytest.mark.django_db
def test_counting_from_stale_copies_loses_no_view(article):
    first_reader = Article.objects.get(pk=article.pk)
    second_reader = Article.objects.get(pk=article.pk)

    count_view(first_reader)
    count_view(second_reader)

    article.refresh_from_db()
    assert article.view_count == 2


@pytest.mark.django_db(transaction=True)
def test_parallel_readers_lose_no_view(make_article):
    if connection.vendor != "postgresql":
        pytest.skip("parallel writers need PostgreSQL; SQLite serialises them")
    article = make_article()
    url = article.get_absolute_url()
    readers, views_each = 8, 25

    def read_repeatedly(_):
        client = Client()
        try:
            return [client.get(url).status_code for _ in range(views_each)]
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=readers) as pool:
        statuses = [status for batch in pool.map(read_repeatedly, range(readers)) for status in batch]

    assert statuses == [200] * readers * views_each
    article.refresh_from_db()
    assert article.view_count == readers * views_each
