"""Cached pages: their keys, storing and finding them, and who may be served one.

A page is kept as plain data (bytes, names, numbers: nothing the cache could run) under a key made of
its scheme, host, path and the query parameters pages read (``KEPT_PARAMETERS``); any other parameter
(``utm_source``, a random string) reaches the same entry. Each process also keeps its most recently
served pages in memory, checked against the shared generations on every request.

Any failure of the cache is logged and the page rendered without it.
"""

import hashlib
import logging
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass
from urllib.parse import urlencode

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse

from newsroom.cache import get_many_and_incr
from pagecache import holes
from pagecache.invalidation import complete_generations, generation_key, pending

logger = logging.getLogger(__name__)

KEPT_PARAMETERS = ("page", "q", "replytocom")  # an empty one is left out, as the views ignore it
RECENT_PAGES = 100
DATA_FORMAT = "page/1"

# Session keys that a cached page may ignore (its holes fill what they hold), and checks that a visitor
# holding one needs a page rendered for them alone: check(request, topics) -> bool. Apps add theirs.
ignorable_session_keys = set()
fresh_render_checks = []


@dataclass
class CachedPage:
    pieces: list  # bytes of the page between its holes
    holes: list  # (name, kwargs) of each hole, in page order
    content_type: str
    generations: dict  # {topic: generation} read before the page's data
    counter: str | None  # cache key of a counter each GET of the page increments (an article's views)
    expires_at: float

    def as_data(self):
        return (
            DATA_FORMAT,
            self.pieces,
            self.holes,
            self.content_type,
            self.generations,
            self.counter,
            self.expires_at,
        )

    @classmethod
    def from_data(cls, data):
        """The page stored as ``data``, or None if it is not one this code wrote (another version, or tampered)."""
        if not (isinstance(data, tuple) and len(data) == 7 and data[0] == DATA_FORMAT):
            return None
        page = cls(*data[1:])
        if len(page.pieces) != len(page.holes) + 1 or any(name not in holes.fillers for name, _ in page.holes):
            return None
        return page

    @property
    def topics(self):
        return self.generations.keys()

    def is_current(self, generations):
        return self.expires_at > time.time() and all(
            generations.get(topic) == generation for topic, generation in self.generations.items()
        )

    def respond(self, request, *, just_rendered=False):
        """The page filled for ``request``; ``X-Page-Cache`` says whether it came from the cache (hit) or not (miss)."""
        response = HttpResponse(holes.fill(request, self.pieces, self.holes), content_type=self.content_type)
        response["X-Page-Cache"] = "miss" if just_rendered else "hit"
        return response


class RecentPages:
    """This process's most recently served pages, by cache key."""

    def __init__(self, size):
        self.size = size
        self.pages = OrderedDict()
        self.lock = threading.Lock()

    def __contains__(self, key):
        return key in self.pages

    def get(self, key):
        with self.lock:
            page = self.pages.get(key)
            if page is not None:
                self.pages.move_to_end(key)
            return page

    def add(self, key, page):
        with self.lock:
            self.pages[key] = page
            self.pages.move_to_end(key)
            while len(self.pages) > self.size:
                self.pages.popitem(last=False)

    def clear(self):
        with self.lock:
            self.pages.clear()


recent_pages = RecentPages(RECENT_PAGES)


def page_cache_applies(request):
    """Whether this request may be answered from the page cache: a GET or HEAD from a visitor who is not
    logged in and whose session, if any, holds only what holes fill in (a commenter's remembered details)."""
    if settings.PAGE_CACHE_SECONDS <= 0 or request.method not in ("GET", "HEAD"):
        return False
    if settings.SESSION_COOKIE_NAME not in request.COOKIES:
        return True
    return set(request.session.keys()) <= ignorable_session_keys


def needs_fresh_render(request, topics):
    """Whether this visitor must get the page rendered for them alone (e.g. their own comment awaits moderation)."""
    if settings.SESSION_COOKIE_NAME not in request.COOKIES:
        return False
    return any(check(request, topics) for check in fresh_render_checks)


def page_key(request):
    """The page's cache key: scheme, host, path and the query parameters pages read, in a fixed order."""
    query = urlencode(sorted((name, request.GET[name]) for name in KEPT_PARAMETERS if request.GET.get(name)))
    url = f"{request.scheme}://{request.get_host()}{request.path}?{query}"
    return "pages:" + hashlib.sha256(url.encode()).hexdigest()


def lookup(request, key):
    """The current page cached under ``key``, or None. A request looks a key up once; asked again, it gets
    the first answer and counts nothing more.

    A GET of a page this process holds with a counter also increments the counter, in the same round trip as
    the check of its generations, whether or not the page is still current; the count is left in
    ``request.page_counts`` for the hole that shows it.
    """
    lookups = request.__dict__.setdefault("page_lookups", {})
    if key not in lookups:
        lookups[key] = find_page(request, key) if cache_usable(request) else None
    return lookups[key]


def cache_usable(request):
    """False (for the rest of this request) while the cache fails or owes this process's invalidations."""
    usable = request.__dict__.get("page_cache_usable")
    if usable is None:
        usable = request.page_cache_usable = not pending or pending.write()
    return usable


def find_page(request, key):
    try:
        generations = {}
        page = recent_pages.get(key)
        if page is not None:
            generations = read_generations(request, page)
            if page.is_current(generations):
                return page
        page = CachedPage.from_data(cache.get(key))
        if page is None:
            return None
        if not page.topics <= generations.keys():
            generations = read_generations(request, page, count=False)
        if not page.is_current(generations):
            return None
    except Exception as error:  # noqa: BLE001 - any cache failure: render without the cache
        cache_failed(request, error)
        return None
    recent_pages.add(key, page)
    return page


def read_generations(request, page, count=True):
    """The current generations of the page's topics; a GET with ``count`` also increments the page's counter."""
    keys = {generation_key(topic): topic for topic in page.topics}
    if count and page.counter and request.method == "GET":
        found, counted = get_many_and_incr(cache, list(keys), page.counter)
        if counted is not None:
            request.page_counts = {page.counter: counted}
    else:
        found = cache.get_many(keys)
    return complete_generations(keys, found)


def store(request, key, page):
    if not cache_usable(request):
        return
    try:
        cache.set(key, page.as_data(), settings.PAGE_CACHE_SECONDS)
    except Exception as error:  # noqa: BLE001 - any cache failure: the page was still rendered
        cache_failed(request, error)
        return
    recent_pages.add(key, page)


def cache_failed(request, error):
    request.page_cache_usable = False
    logger.warning("Page cache unavailable, rendering %s without it: %s", request.path, error)
