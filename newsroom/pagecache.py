"""Whole public pages from the cache, with holes for what differs per request.

A page rendered for a visitor without a session cookie (not logged in, no comment of theirs awaiting
moderation, no remembered name) is the same for every such visitor except for a few values: the CSRF
token, the article's view count. The page is cached with placeholders ("holes") in their places and
filled in for each request, so a cached view re-renders no template and runs no query. Visitors with
a session always get a freshly rendered page.

Any change a reader could see calls ``invalidate()``, which moves every page to a new cache
generation at once. Pages also expire after ``PAGE_CACHE_SECONDS``, which bounds how late a
scheduled article appears on lists. Page caching needs a cache shared by every server process
(Redis, Memcached): with a per-process cache, one process could not invalidate the others' pages.
"""

import hashlib
from dataclasses import dataclass, field

from django.conf import settings
from django.core.cache import cache
from django.db import models, transaction
from django.http import HttpResponse
from django.middleware.csrf import get_token

GENERATION_KEY = "pages:generation"
CSRF_HOLE = "page-cache-hole-csrf-token"


@dataclass
class CachedPage:
    content: str
    content_type: str
    details: dict = field(default_factory=dict)


def page_cache_applies(request):
    """Whether this request may be answered from, and stored in, the page cache."""
    return (
        settings.PAGE_CACHE_SECONDS > 0
        and request.method in ("GET", "HEAD")
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
    )


def invalidate():
    """Make every cached page stale, at once."""
    if cache.add(GENERATION_KEY, 1, timeout=None):
        return
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:  # evicted in between
        cache.add(GENERATION_KEY, 1, timeout=None)


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
            transaction.on_commit(invalidate)

    def changes_pages_when_saved(self):
        return True

    def delete(self, *args, **kwargs):
        result = super().delete(*args, **kwargs)
        transaction.on_commit(invalidate)
        return result


def page_key(request):
    generation = cache.get_or_set(GENERATION_KEY, 1, timeout=None)
    address = hashlib.sha256(request.build_absolute_uri().encode()).hexdigest()
    return f"pages:{generation}:{address}"


class CachedPageMixin:
    """For a template view whose page differs between anonymous visitors only by its holes.

    ``rendering_for_cache`` tells the view to put holes in its context instead of per-request values;
    ``page_details()`` keeps what filling the holes needs; ``fill_holes()`` returns the values.
    """

    rendering_for_cache = False

    def dispatch(self, request, *args, **kwargs):
        if not page_cache_applies(request):
            return super().dispatch(request, *args, **kwargs)
        key = page_key(request)
        page = cache.get(key)
        if page is None:
            self.rendering_for_cache = True
            response = super().dispatch(request, *args, **kwargs)
            if response.status_code != 200 or not hasattr(response, "render"):
                return response
            response.render()
            page = CachedPage(response.content.decode(), response["Content-Type"], self.page_details())
            cache.set(key, page, settings.PAGE_CACHE_SECONDS)
        content = page.content
        for hole, value in self.fill_holes(request, page).items():
            content = content.replace(hole, value)
        return HttpResponse(content, content_type=page.content_type)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if self.rendering_for_cache:
            context["csrf_token"] = CSRF_HOLE
        return context

    def page_details(self):
        return {}

    def fill_holes(self, request, page):
        return {CSRF_HOLE: get_token(request)} if CSRF_HOLE in page.content else {}
