"""Whole public pages from the cache, with holes for what differs per request.

A page rendered for a visitor without a session cookie (not logged in, no comment of theirs awaiting
moderation, no remembered name) is the same for every such visitor except for a few values: the CSRF
token, the article's view count, the comment form's signed token. The page is cached with placeholders
("holes") in their places, each with the function that fills it, and filled in for each request; a page
served from the cache renders no template and runs no query. Visitors with a session always get a freshly
rendered page.

Any change a reader could see calls ``invalidate()``, which gives the cache a new generation: every
page stored under an older one is stale at once. Pages also expire after ``PAGE_CACHE_SECONDS``,
which bounds how late a scheduled article appears on lists. Page caching needs a cache shared by
every server process (Redis, Memcached): with a per-process cache, one process could not invalidate
the others' pages.

Each process also keeps its most recently served pages in memory, checked against the shared
generation on every request, so a popular page is not fetched whole from the shared cache each time;
``RecentPageMiddleware`` answers these before URL resolving and the view.
A page may name a counter in the cache that each GET of it increments (an article's views): for a
page this process holds, the increment travels in the same round trip as the generation check, and
its total is left in ``request.page_counts`` for the hole that shows it.
"""

import hashlib
import re
import threading
import time
import uuid
from collections import OrderedDict
from dataclasses import dataclass, field

from django.conf import settings
from django.core.cache import cache
from django.db import models, transaction
from django.http import HttpResponse
from django.utils.module_loading import import_string

from newsroom.cache import get_and_incr

GENERATION_KEY = "pages:generation"
CSRF_HOLE = "page-cache-hole-csrf-token"
RECENT_PAGES = 100


@dataclass
class CachedPage:
    """A rendered page, kept as the bytes between its holes so that filling them copies no text twice."""

    parts: list  # in page order: bytes of the page, and the placeholder (str) of each hole
    content_type: str
    generation: str
    expires_at: float
    holes: dict = field(default_factory=dict)  # placeholder: (dotted path of fill(request, **kwargs), kwargs)
    counter: str | None = None  # cache key of a counter that each GET of the page increments

    @classmethod
    def from_response(cls, response, *, holes, **fields):
        content = response.content.decode(response.charset)
        pieces = re.split("(" + "|".join(map(re.escape, holes)) + ")", content) if holes else [content]
        parts = [piece if piece in holes else piece.encode(response.charset) for piece in pieces if piece]
        holes = {
            hole: filler for hole, filler in holes.items() if hole in parts
        }  # a hole not on the page costs nothing
        return cls(parts=parts, content_type=response["Content-Type"], holes=holes, **fields)

    def respond(self, request):
        fills = {
            hole: import_string(filler)(request, **kwargs).encode() for hole, (filler, kwargs) in self.holes.items()
        }
        return HttpResponse(
            b"".join(fills[part] if isinstance(part, str) else part for part in self.parts),
            content_type=self.content_type,
        )


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


recent_pages = RecentPages(RECENT_PAGES)


def page_cache_applies(request):
    """Whether this request may be answered from, and stored in, the page cache."""
    return (
        settings.PAGE_CACHE_SECONDS > 0
        and request.method in ("GET", "HEAD")
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
    )


def invalidate():
    """Make every cached page stale, at once: pages are served only while their generation is current."""
    cache.set(GENERATION_KEY, uuid.uuid4().hex, timeout=None)


def invalidate_on_commit():
    """Make every cached page stale once the current transaction commits (at once outside of one).

    For changes that do not go through ``ShownOnPages.save()``, such as a queryset's ``update()``.
    """
    transaction.on_commit(invalidate)


def current_generation(known=None):
    """The cache's generation (``known``: the value just read from the cache, if any)."""
    generation = known or cache.get(GENERATION_KEY)
    if generation is None:
        cache.add(GENERATION_KEY, uuid.uuid4().hex, timeout=None)
        generation = cache.get(GENERATION_KEY)
    return generation


def page_key(request):
    return "pages:" + hashlib.sha256(request.build_absolute_uri().encode()).hexdigest()


def lookup(request, key):
    """The current generation and the page cached under ``key`` (None if missing, old or expired).

    The generation is read before a missing page is rendered, so a page rendered from data older than a
    change is stored under the generation that the change has already replaced. A GET of a page this
    process holds with a counter also increments the counter, whether or not the page is still current.
    A request looks a key up once: asked again, it gets the first answer and counts nothing more.
    """
    lookups = request.__dict__.setdefault("page_lookups", {})
    if key not in lookups:
        lookups[key] = find_page(request, key)
    return lookups[key]


def find_page(request, key):
    page = recent_pages.get(key)
    if page is not None and page.counter and request.method == "GET":
        generation, count = get_and_incr(cache, GENERATION_KEY, page.counter)
        generation = current_generation(known=generation)
        if count is not None:
            request.page_counts = {page.counter: count}
    else:
        generation = current_generation()
    if not is_current(page, generation):
        page = cache.get(key)
        if not is_current(page, generation):
            return generation, None
        recent_pages.add(key, page)
    return generation, page


def is_current(page, generation):
    return page is not None and page.generation == generation and page.expires_at > time.time()


def store(key, page):
    cache.set(key, page, settings.PAGE_CACHE_SECONDS)
    recent_pages.add(key, page)


class ShownOnPages(models.Model):
    """A model whose rows readers see on public pages: saving or deleting one invalidates the page cache.

    Invalidation waits for the transaction to commit, so a page rendered in between cannot keep the old
    state (an article's tags, for instance, are saved after the article).
    """

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        changes_pages = self.changes_pages_when_saved()
        super().save(*args, **kwargs)
        if changes_pages:
            invalidate_on_commit()

    def changes_pages_when_saved(self):
        return True

    def delete(self, *args, **kwargs):
        result = super().delete(*args, **kwargs)
        invalidate_on_commit()
        return result


class CachedPageMixin:
    """For a template view whose page differs between anonymous visitors only by its holes.

    ``rendering_for_cache`` tells the view to put placeholders in its context instead of per-request
    values; ``page_holes()`` names each placeholder's filling function. A template tag that renders a
    per-request value asks the view (the ``view`` of its context) for a placeholder with ``page_hole()``.
    """

    rendering_for_cache = False
    tag_holes = None

    def dispatch(self, request, *args, **kwargs):
        if not page_cache_applies(request):
            return super().dispatch(request, *args, **kwargs)
        key = page_key(request)
        generation, page = lookup(request, key)
        if page is None:
            self.rendering_for_cache = True
            response = super().dispatch(request, *args, **kwargs)
            if response.status_code != 200 or not hasattr(response, "render"):
                return response
            response.render()
            page = CachedPage.from_response(
                response,
                holes=self.page_holes(),
                counter=self.page_counter(),
                generation=generation,
                expires_at=time.time() + settings.PAGE_CACHE_SECONDS,
            )
            store(key, page)
        return page.respond(request)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if self.rendering_for_cache:
            context["csrf_token"] = CSRF_HOLE
        return context

    def page_hole(self, filler, **kwargs):
        """A placeholder that each request replaces with ``filler(request, **kwargs)`` (a dotted path)."""
        placeholder = "page-cache-hole-" + hashlib.sha256(repr((filler, sorted(kwargs.items()))).encode()).hexdigest()
        self.tag_holes = {**(self.tag_holes or {}), placeholder: (filler, kwargs)}
        return placeholder

    def page_holes(self):
        return {CSRF_HOLE: ("django.middleware.csrf.get_token", {}), **(self.tag_holes or {})}

    def page_counter(self):
        """The cache key of a counter that each GET of the page increments, if it has one."""


class RecentPageMiddleware:
    """Answer a GET or HEAD for a page this process holds before URL resolving, the view and the middleware after it.

    Other pages go on to their views (``CachedPageMixin``), which look them up in the shared cache and
    render and store them when missing or stale. Placed after ``CsrfViewMiddleware``, which reads the
    visitor's CSRF cookie for the page's token and sets a new visitor's cookie on the way out.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if page_cache_applies(request):
            key = page_key(request)
            if key in recent_pages:
                page = lookup(request, key)[1]
                if page is not None:
                    return page.respond(request)
        return self.get_response(request)
