"""Settings for more than one app server: a shared cache in Redis, sessions, PostgreSQL's connection pool."""

import os
import secrets

import pytest
import redis
from django.core.cache import cache
from django.db import connection

from newsroom.tests.helpers import REDIS_URL, read_setting, redis_answers, run_python


@pytest.mark.slow
def test_cache_url_selects_djangos_own_redis_cache_reusing_its_clients():
    result = read_setting(
        "s.CACHES['default']['BACKEND'], s.CACHES['default']['LOCATION']", DEBUG="on", CACHE_URL=REDIS_URL
    )

    assert result.stdout == f"newsroom.cache.RedisCache {REDIS_URL}\n"


@pytest.mark.slow
def test_redis_gets_short_timeouts():
    result = read_setting("s.CACHES['default']['OPTIONS']", DEBUG="on", CACHE_URL=REDIS_URL, CACHE_TIMEOUT="0.3")

    assert result.stdout == "{'socket_connect_timeout': 0.3, 'socket_timeout': 0.3}\n"


@pytest.mark.slow
def test_a_redis_cache_url_gives_a_working_cache():
    if not redis_answers():
        pytest.skip("Redis does not answer on 127.0.0.1:6379")
    key = f"newsroom-test-{secrets.token_hex(8)}"
    script = (
        "import django; django.setup(); from django.core.cache import cache; "
        f"cache.set('{key}', 41, 30); cache.incr('{key}'); print(cache.get('{key}')); cache.delete('{key}'); "
        "print(cache._cache.get_client() is cache._cache.get_client(write=True))"
    )

    result = run_python("-c", script, DEBUG="on", CACHE_URL=REDIS_URL, DJANGO_SETTINGS_MODULE="newsroom.settings")

    assert result.stdout == "42\nTrue\n", result.stderr


def test_the_redis_cache_carries_on_after_redis_drops_its_connection(redis_cache):
    """The pool replaces a dropped connection before the next command, which is therefore sent once."""
    cache.set("greeting", "hello")
    connection_id = cache._cache.get_client().client_id()

    with redis.Redis.from_url(REDIS_URL) as server:
        assert server.client_kill_filter(_id=connection_id) == 1

    assert cache.get("greeting") == "hello"
    assert cache._cache.get_client().client_id() != connection_id


@pytest.mark.slow
def test_session_engine_is_the_database_unless_set():
    assert read_setting("s.SESSION_ENGINE", DEBUG="on").stdout == "django.contrib.sessions.backends.db\n"
    assert (
        read_setting("s.SESSION_ENGINE", DEBUG="on", SESSION_ENGINE="django.contrib.sessions.backends.cache").stdout
        == "django.contrib.sessions.backends.cache\n"
    )


@pytest.mark.slow
def test_database_pool_needs_postgresql():
    result = read_setting("s.DATABASES", DEBUG="on", DATABASE_POOL="on")

    assert result.returncode != 0
    assert "DATABASE_POOL needs PostgreSQL" in result.stderr


@pytest.mark.slow
def test_database_pool_connects_through_psycopgs_pool():
    if connection.vendor != "postgresql":
        pytest.skip("the connection pool is PostgreSQL's")
    script = (
        "import django; django.setup(); from django.db import connection; connection.ensure_connection(); "
        "pool = connection.pool; print(type(pool).__name__, pool.min_size, pool.max_size, "
        "connection.cursor().execute('SELECT 1').fetchone())"
    )

    result = run_python(
        "-c",
        script,
        DEBUG="on",
        DATABASE_URL=os.environ["DATABASE_URL"],
        DATABASE_POOL="on",
        DJANGO_SETTINGS_MODULE="newsroom.settings",
    )

    assert result.stdout == "ConnectionPool 1 4 (1,)\n", result.stderr
