"""Parts of pages kept in the cache: ``{% fragment "name" vary... on "topic"... %}...{% endfragment %}``.

A fragment is a part of a page that shows the same to every visitor and depends only on what its topics
name (the sidebar's most read articles, sections and years; an article's related articles; a page of its
comments): rendered once, it is kept with the generations its topics (and ``"site"``, every page's) had
before it was rendered, and used again by every page that shows it until one of them changes (see
pagecache.invalidation) or ``FRAGMENT_CACHE_SECONDS`` pass. Reading it costs one round trip to the cache,
the generations included; the queries its template would run are not run, so what it shows should be read
lazily, by the template (a queryset, or an object read on first use).

A fragment holds nothing of one visitor: what differs per visitor in it is a hole (see pagecache.holes),
kept with the fragment as a hole and given for each page that shows it (the visitor's value, or the page's
marker when the page is rendered for the cache). Pass the request for that; without one, a fragment must
have no hole.

Usage, in a template::

    {% load pagecache %}
    {% fragment "related" article.pk on "articles" %}
      {% for related in related_articles %}…{% endfor %}
    {% endfragment %}

Any failure of the cache is logged and the fragment rendered without it.
"""

import hashlib
import logging

from django.conf import settings
from django.core.cache import cache
from django.utils import translation
from django.utils.safestring import mark_safe

from pagecache import holes
from pagecache.invalidation import EVERY_PAGE, complete_generations, generation_key, pending

logger = logging.getLogger(__name__)

DATA_FORMAT = "fragment/2"
GENERATIONS_ATTRIBUTE = "pagecache_fragment_generations"


def fragment_key(name, vary):
    """The fragment's cache key: its name, what it varies on and the active language."""
    identity = repr((name, [str(value) for value in vary], translation.get_language()))
    return "fragments:" + hashlib.sha256(identity.encode()).hexdigest()


def cached_fragment(name, vary, topics, render, request=None):
    """The fragment's HTML from the cache if its topics have not changed since it was kept, else ``render()``'s,
    kept for the next page. Its holes are given for ``request``."""
    if settings.FRAGMENT_CACHE_SECONDS <= 0 or (pending and not pending.write()):
        return render()
    key = fragment_key(name, vary)
    topics = {EVERY_PAGE, *topics}
    known = generations_read(request)
    topic_keys = {generation_key(topic): topic for topic in topics - known.keys()}
    try:
        found = cache.get_many([key, *topic_keys])
        known.update(complete_generations(topic_keys, found))
        stored = found.get(key)
    except Exception as error:  # noqa: BLE001 - any cache failure: render without it
        logger.warning("Fragment cache unavailable, rendering %s without it: %s", name, error)
        return render()
    generations = {topic: known[topic] for topic in topics}
    if is_current(stored, generations):
        return fill(request, stored[2], stored[3])
    pieces, fragment_holes = render_with_holes(render, request)
    try:
        cache.set(key, (DATA_FORMAT, generations, pieces, fragment_holes), settings.FRAGMENT_CACHE_SECONDS)
    except Exception as error:  # noqa: BLE001 - any cache failure: the fragment was still rendered
        logger.warning("Fragment %s not kept, the cache is unavailable: %s", name, error)
    return fill(request, pieces, fragment_holes)


def generations_read(request):
    """The generations of topics this request's fragments have read: each is read once per page, before the
    fragments that it keeps are rendered."""
    if request is None:
        return {}
    return request.__dict__.setdefault(GENERATIONS_ATTRIBUTE, {})


def is_current(stored, generations):
    """Whether ``stored`` is a fragment this code kept, under these generations (not another version, nor
    anything else found under its key)."""
    if not (isinstance(stored, tuple) and len(stored) == 4 and stored[:2] == (DATA_FORMAT, generations)):
        return False
    pieces, kept_holes = stored[2:]
    return (
        isinstance(pieces, list)
        and isinstance(kept_holes, list)
        and len(pieces) == len(kept_holes) + 1
        and all(isinstance(piece, str) for piece in pieces)
        and all(name in holes.fillers for name, _ in kept_holes)
    )


def render_with_holes(render, request):
    """``render()``'s text as its pieces between its holes, and the holes."""
    if request is None:
        return [str(render())], []
    with holes.kept_as_markers(request) as markers:
        text = str(render())
    return markers.cut(text)


def fill(request, pieces, fragment_holes):
    if not fragment_holes:
        return mark_safe(pieces[0])  # noqa: S308 - HTML this code rendered and kept
    return holes.refill(request, pieces, fragment_holes)
