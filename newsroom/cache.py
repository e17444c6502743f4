"""Django's Redis cache, made cheaper for counters and many small calls, and quick to give up when Redis fails.

- Django builds a new ``redis.Redis`` client for every cache call, and redis-py's client sets up its
  table of response callbacks each time it is built; on a page served from the cache that set-up
  costs more than the round trips. A client is thread-safe and only wraps its pool, so one per pool
  is kept. Each call still borrows a connection from the pool, which checks it first: a connection
  that Redis dropped is replaced before a command is sent, so no increment is ever sent twice.
- Django's ``incr`` asks whether the key exists, then increments it: two round trips, and a key that
  expires in between is recreated from zero. Here one server-side script does both, atomically.
- ``get_many_and_incr`` reads several keys and increments another in a single round trip, for a page
  served from the page cache that also counts a view (see pagecache).
- A Redis that is down, or accepts connections and never answers, costs each call at most the short
  connect and read timeouts (``CACHE_TIMEOUT``). After a failure, every call in this process fails at
  once for ``DOWN_SECONDS`` instead of waiting again, so a request that uses the cache several times
  waits once. Callers treat the cache's errors as a miss (see pagecache and articles.counting).
"""

import contextlib
import time

import redis
from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient

DOWN_SECONDS = 5

INCREMENT_IF_EXISTS = """
if redis.call("EXISTS", KEYS[1]) == 1 then
    return redis.call("INCRBY", KEYS[1], ARGV[1])
end
return false
"""

# KEYS: the keys to read, then the counter to increment if it exists.
GET_MANY_AND_INCREMENT_IF_EXISTS = """
local counter = table.remove(KEYS)
local values = redis.call("MGET", unpack(KEYS))
if redis.call("EXISTS", counter) == 1 then
    return {values, redis.call("INCRBY", counter, ARGV[1])}
end
return {values, false}
"""


class FailFastConnection(redis.Connection):
    """A connection that marks Redis as down for ``DOWN_SECONDS`` when a call fails, and fails at once meanwhile."""

    down_until = 0.0  # shared by every connection of this process

    def connect(self):
        if time.monotonic() < FailFastConnection.down_until:
            raise redis.ConnectionError(f"Redis failed less than {DOWN_SECONDS} s ago; not trying yet")
        with marking_failures():
            super().connect()

    def send_packed_command(self, *args, **kwargs):
        with marking_failures():
            return super().send_packed_command(*args, **kwargs)

    def read_response(self, *args, **kwargs):
        with marking_failures():
            return super().read_response(*args, **kwargs)


@contextlib.contextmanager
def marking_failures():
    try:
        yield
    except (redis.ConnectionError, redis.TimeoutError, OSError):
        FailFastConnection.down_until = time.monotonic() + DOWN_SECONDS
        raise


class ReusingRedisCacheClient(RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}
        self._increment_scripts = {}
        self._get_many_and_increment_scripts = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        if pool not in self._clients:
            client = self._client(connection_pool=pool)
            self._increment_scripts[client] = client.register_script(INCREMENT_IF_EXISTS)
            self._get_many_and_increment_scripts[client] = client.register_script(GET_MANY_AND_INCREMENT_IF_EXISTS)
            self._clients[pool] = client
        return self._clients[pool]

    def incr(self, key, delta):
        increment = self._increment_scripts[self.get_client(key, write=True)]
        value = increment(keys=[key], args=[delta])
        if value is None:
            raise ValueError(f"Key '{key}' not found.")
        return value

    def get_many_and_incr(self, keys, counter_key, delta):
        get_many_and_increment = self._get_many_and_increment_scripts[self.get_client(counter_key, write=True)]
        values, count = get_many_and_increment(keys=[*keys, counter_key], args=[delta])
        return [None if value is None else self._serializer.loads(value) for value in values], count


class RedisCache(DjangoRedisCache):
    """OPTIONS: ``socket_connect_timeout`` and ``socket_timeout`` in seconds (settings take them from CACHE_TIMEOUT)."""

    def __init__(self, server, params):
        options = {"connection_class": FailFastConnection, **params.get("OPTIONS", {})}
        super().__init__(server, {**params, "OPTIONS": options})
        self._class = ReusingRedisCacheClient

    def get_many_and_incr(self, keys, counter_key, delta=1):
        """The values of ``keys`` (a dict of those found) and ``counter_key`` incremented (None if missing),
        in one round trip."""
        made = {self.make_and_validate_key(key): key for key in keys}
        values, count = self._cache.get_many_and_incr(list(made), self.make_and_validate_key(counter_key), delta)
        return {key: value for key, value in zip(made.values(), values, strict=True) if value is not None}, count


def get_many_and_incr(cache, keys, counter_key, delta=1):
    """``RedisCache.get_many_and_incr`` for any cache: two calls where the cache has no single one."""
    if hasattr(cache, "get_many_and_incr"):
        return cache.get_many_and_incr(keys, counter_key, delta)
    try:
        count = cache.incr(counter_key, delta)
    except ValueError:
        count = None
    return cache.get_many(keys), count
