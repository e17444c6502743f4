import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import OperationalError, connection

from articles.counting import count_view, flush_views, forget_counted_views, store_total, views_key
from newsroom.tests.helpers import read_in_parallel, stored_views


@pytest.fixture
def counting_in_cache(settings):
    settings.VIEW_COUNTS_IN_CACHE = True
    settings.VIEW_COUNT_FOLD_EVERY = 100
    return settings


@pytest.mark.django_db
def test_each_view_is_one_atomic_update_in_the_database(article):
    assert [count_view(article.pk), count_view(article.pk)] == [1, 2]
    assert stored_views(article) == 2


@pytest.mark.django_db
def test_views_counted_in_the_cache_write_no_row_until_flushed(client, make_article, counting_in_cache):
    article = make_article(view_count=10)
    url = article.get_absolute_url()

    pages = [client.get(url).content.decode() for _ in range(3)]

    assert "13 Views" in pages[-1]
    assert stored_views(article) == 10
    assert cache.get(views_key(article.pk)) == 13
    assert flush_views() == (1, 3)
    assert stored_views(article) == 13
    assert flush_views() == (0, 0)
    assert "14 Views" in client.get(url).content.decode()


@pytest.mark.django_db
def test_every_nth_view_stores_the_total(make_article, counting_in_cache):
    counting_in_cache.VIEW_COUNT_FOLD_EVERY = 5
    article = make_article(view_count=3)

    shown = [count_view(article.pk) for _ in range(4)]

    assert shown == [4, 5, 6, 7]
    assert stored_views(article) == 5


def database_unreachable(execute, sql, params, many, context):
    raise OperationalError("connection to server at 127.0.0.1, port 5432 failed: Connection refused")


@pytest.mark.django_db
def test_a_cached_page_is_served_when_its_fold_finds_the_database_unreachable(
    client, make_article, counting_in_cache, caplog
):
    counting_in_cache.VIEW_COUNT_FOLD_EVERY = 5
    counting_in_cache.PAGE_CACHE_SECONDS = 300
    article = make_article(view_count=3)
    client.get(article.get_absolute_url())

    with connection.execute_wrapper(database_unreachable):
        page = client.get(article.get_absolute_url())

    assert page.status_code == 200
    assert "5 Views" in page.content.decode()
    assert f"Views of article {article.pk} not stored, the database is unavailable" in caplog.text
    assert stored_views(article) == 3
    assert flush_views() == (1, 2)
    assert stored_views(article) == 5


@pytest.mark.django_db
def test_views_counted_in_the_database_while_the_cache_fails_are_kept(make_article, counting_in_cache, monkeypatch):
    article = make_article(view_count=10)
    for _ in range(3):
        count_view(article.pk)
    call_command("flushviews")
    real_incr, cache_down = cache.incr, [True]

    def incr(*args, **kwargs):
        if cache_down[0]:
            raise ConnectionError("the cache is unreachable")
        return real_incr(*args, **kwargs)

    monkeypatch.setattr(cache, "incr", incr)
    assert [count_view(article.pk) for _ in range(2)] == [14, 15]
    cache_down[0] = False
    assert count_view(article.pk) == 16
    call_command("flushviews")

    assert stored_views(article) == 16


def test_storing_never_lowers_the_count(article, counting_in_cache):
    for _ in range(5):
        count_view(article.pk)

    assert store_total(article.pk, 5) == 5
    assert store_total(article.pk, 3) == 0  # a slower flusher with an older total
    assert store_total(article.pk, 5) == 0
    assert stored_views(article) == 5


@pytest.mark.django_db
def test_a_count_set_by_an_import_restarts_the_total(article, counting_in_cache):
    count_view(article.pk)
    article.view_count = 1204
    article.save()
    forget_counted_views(article.pk)

    assert count_view(article.pk) == 1205


@pytest.mark.django_db
def test_flushviews_command(make_article, counting_in_cache, capsys):
    first, second = make_article(), make_article()
    for article in (first, first, second):
        count_view(article.pk)

    call_command("flushviews")

    assert "Stored 3 views of 2 articles." in capsys.readouterr().out
    assert (stored_views(first), stored_views(second)) == (2, 1)


@pytest.mark.django_db
def test_flushviews_without_cache_counting_says_so(settings, capsys):
    settings.VIEW_COUNTS_IN_CACHE = False

    call_command("flushviews")

    assert "counted straight into the database" in capsys.readouterr().out


@pytest.mark.django_db(transaction=True)
def test_parallel_readers_lose_no_view(make_article):
    if connection.vendor != "postgresql":
        pytest.skip("parallel writers need PostgreSQL; SQLite serialises them")
    article = make_article()

    statuses = read_in_parallel(article.get_absolute_url(), readers=8, views_each=25)

    assert statuses == [200] * 200
    assert stored_views(article) == 200


@pytest.mark.django_db(transaction=True)
def test_a_thousand_parallel_views_through_redis_are_exact_after_a_flush(make_article, settings, redis_cache):
    if connection.vendor != "postgresql":
        pytest.skip("parallel writers need PostgreSQL; SQLite serialises them")
    settings.VIEW_COUNTS_IN_CACHE = True
    settings.VIEW_COUNT_FOLD_EVERY = 100
    article = make_article()

    statuses = read_in_parallel(article.get_absolute_url(), readers=10, views_each=100)
    call_command("flushviews")

    assert statuses == [200] * 1000
    assert stored_views(article) == 1000
