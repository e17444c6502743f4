"""A failing cache slows the site down, never breaks it, and loses no change."""

import contextlib
import socket
import threading
import time

import pytest
from django.core.cache import cache
from django.test import Client

from articles.models import Article
from comments.models import Comment
from comments.tests.helpers import comment_form_data
from newsroom.cache import FailFastConnection
from newsroom.tests.helpers import manage
from pagecache.pages import recent_pages

pytestmark = pytest.mark.django_db


@contextlib.contextmanager
def broken_redis(kind):
    """The address of a Redis that is down (nothing listens) or accepts connections and never says a word."""
    listener = socket.create_server(("127.0.0.1", 0))
    port = listener.getsockname()[1]
    accepted = []
    if kind == "down":
        listener.close()
    else:

        def accept():
            with contextlib.suppress(OSError):
                while True:
                    accepted.append(listener.accept()[0])

        threading.Thread(target=accept, daemon=True).start()
    try:
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        for sock in [listener, *accepted]:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
            sock.close()


@pytest.fixture(params=["down", "silent"])
def failing_redis(request, settings):
    FailFastConnection.down_until = 0
    with broken_redis(request.param) as url:
        settings.CACHES = {
            "default": {
                "BACKEND": "newsroom.cache.RedisCache",
                "LOCATION": url,
                "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2},
            }
        }
        settings.PAGE_CACHE_SECONDS = 300
        settings.VIEW_COUNTS_IN_CACHE = True
        yield request.param
    FailFastConnection.down_until = 0


def test_pages_render_without_a_failing_redis_and_views_are_counted_in_the_database(
    failing_redis, make_article, caplog
):
    article = make_article(title="Still readable", view_count=5)
    started = time.monotonic()

    responses = [Client().get(path) for path in [article.get_absolute_url()] * 3 + ["/", "/search/?q=readable"]]

    assert [response.status_code for response in responses] == [200] * 5
    assert "Still readable" in responses[0].content.decode()
    assert time.monotonic() - started < 3
    article.refresh_from_db()
    assert article.view_count == 8
    assert "Page cache unavailable" in caplog.text
    assert "counted in the database" in caplog.text


def test_a_comment_is_posted_without_a_failing_redis(failing_redis, article, settings, caplog):
    settings.COMMENTS_FLOOD_SECONDS = 15
    settings.COMMENTS_MIN_SUBMIT_SECONDS = 0

    response = Client().post(article.get_absolute_url(), comment_form_data(article, comment="Kept."))

    assert response.status_code == 302
    assert Comment.objects.get().body == "Kept."


class FlakyCache:
    """This process's cache, with writes that fail while ``down``."""

    def __init__(self, monkeypatch):
        self.down = False
        for method in ("set", "set_many", "add"):
            real = getattr(cache, method)
            monkeypatch.setattr(cache, method, self.failing(real))

    def failing(self, real):
        def call(*args, **kwargs):
            if self.down:
                raise ConnectionError("the cache is unreachable")
            return real(*args, **kwargs)

        return call


def test_a_save_commits_while_the_cache_is_down_and_no_old_page_outlives_it(
    page_cache, article, monkeypatch, caplog, django_capture_on_commit_callbacks
):
    flaky = FlakyCache(monkeypatch)
    Client().get(article.get_absolute_url())
    flaky.down = True

    article.title = "Corrected while the cache was down"
    with django_capture_on_commit_callbacks(execute=True):
        article.save()

    assert Article.objects.get(pk=article.pk).title == "Corrected while the cache was down"
    assert "Page cache not invalidated" in caplog.text
    assert "Corrected while" in Client().get(article.get_absolute_url()).content.decode()  # rendered, not stored
    flaky.down = False
    assert "Corrected while" in Client().get(article.get_absolute_url()).content.decode()
    recent_pages.clear()  # as another process would find the shared cache
    assert "Corrected while" in Client().get(article.get_absolute_url()).content.decode()


@pytest.mark.slow
def test_loaddemo_succeeds_with_redis_unreachable(tmp_path):
    environment = {"DEBUG": "on", "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}"}
    assert manage("migrate", "--noinput", **environment).returncode == 0

    result = manage("loaddemo", **environment, CACHE_URL="redis://127.0.0.1:9/0", LOG_LEVEL="WARNING")

    assert result.returncode == 0, result.stderr
    assert "Page cache not invalidated" in result.stderr
