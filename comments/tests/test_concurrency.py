"""Under load, nothing is lost: parallel comment posts are all stored, parallel article views all counted.

Each client runs in its own thread with its own database connection, as the threads of a server would.
"""

from concurrent.futures import ThreadPoolExecutor

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection, connections
from django.test import Client, RequestFactory

from articles.models import Article
from comments.models import Comment
from comments.tests.helpers import comment_form_data
from newsroom.tests.helpers import read_in_parallel, stored_views
from pagecache.pages import CachedPage, page_key

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="parallel writers need PostgreSQL; SQLite serialises them"
    ),
]

POSTERS = 200


@pytest.fixture(autouse=True)
def quick_posting(settings):
    settings.COMMENTS_FLOOD_SECONDS = 0
    settings.COMMENTS_MIN_SUBMIT_SECONDS = 0


def post_in_parallel(article, posters, workers=20):
    """Each poster sends one comment from their own address; return the status codes."""

    def post(number):
        data = comment_form_data(
            article,
            comment=f"Parallel comment {number}.",
            author=f"Poster {number}",
            email=f"p{number}@readers.example",
        )
        try:
            return Client(REMOTE_ADDR=f"10.1.{number // 250}.{number % 250 + 1}").post(
                f"/comments/post/{article.pk}/", data
            )
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=workers) as pool:
        return [response.status_code for response in pool.map(post, range(posters))]


def test_two_hundred_parallel_comments_are_all_stored(article):
    statuses = post_in_parallel(article, POSTERS)

    assert statuses == [302] * POSTERS
    stored = Comment.objects.filter(article=article)
    assert stored.count() == POSTERS
    assert set(stored.values_list("body", flat=True)) == {f"Parallel comment {number}." for number in range(POSTERS)}
    assert stored.values("ip_address").distinct().count() == POSTERS


@pytest.fixture(params=["in the database", "in Redis, pages from the page cache"])
def counting(request, settings):
    """Where views are counted: in the database, or in Redis (under a key prefix of this test's own, removed
    afterwards) with pages served from the page cache, each cached page counting its view as it is filled.
    Counting in Redis behind freshly rendered pages is articles/tests/test_counting.py's."""
    if request.param == "in the database":
        settings.VIEW_COUNTS_IN_CACHE = False
        yield request.param
        return
    request.getfixturevalue("redis_cache")
    settings.VIEW_COUNTS_IN_CACHE = True
    settings.VIEW_COUNT_FOLD_EVERY = 100
    settings.PAGE_CACHE_SECONDS = 300
    yield request.param


def test_a_thousand_parallel_views_are_exact_after_flushviews(make_article, counting):
    article = make_article(view_count=7)

    statuses = read_in_parallel(article.get_absolute_url(), readers=10, views_each=100)
    call_command("flushviews")

    assert statuses == [200] * 1000
    assert stored_views(article) == 1007
    if counting != "in the database":
        assert CachedPage.from_data(cache.get(page_key(RequestFactory().get(article.get_absolute_url()))))


def test_parallel_published_comments_are_all_counted(article, settings):
    settings.COMMENTS_MODERATION = False

    statuses = post_in_parallel(article, 100)

    assert statuses == [302] * 100
    assert Article.objects.values_list("comment_count", flat=True).get(pk=article.pk) == 100
