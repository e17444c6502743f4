"""Topics and their generations: how a change makes exactly the pages that show it stale.

A page is stored with the topics it shows (``"site"`` for every page, ``"articles"`` for any list of
articles, ``"article:42"`` for what belongs to one article…) and the generation each topic had before
the page read its data. A change gives each topic of the changed object (its model's
``shown_on_pages()``) a new random generation when the transaction commits; a page whose stored
generations are no longer all current is stale and rendered again. Generations are integers, so Redis
keeps them as plain numbers.

When the cache cannot be reached, the change still commits: the new generations wait in this
process and are written before this process serves or stores any page again (every page request
retries them), and once more when the process exits. Until they are written, this process renders
every page afresh. Pages cached by other processes are still bounded by ``PAGE_CACHE_SECONDS``.
"""

import atexit
import logging
import secrets
import threading

from django.core.cache import cache
from django.db import transaction

logger = logging.getLogger(__name__)

EVERY_PAGE = "site"


def generation_key(topic):
    return f"pages:topic:{topic}"


def new_generation():
    return secrets.randbits(62)


class PendingGenerations:
    """New generations that could not be written to the cache yet, in this process."""

    def __init__(self):
        self.topics = set()
        self.lock = threading.Lock()
        self.exit_hook = False

    def __bool__(self):
        return bool(self.topics)

    def write(self, topics=()):
        """Give ``topics`` (and any waiting ones) new generations; return whether the cache took them."""
        with self.lock:
            self.topics.update(topics)
            if not self.topics:
                return True
            try:
                cache.set_many({generation_key(topic): new_generation() for topic in self.topics}, timeout=None)
            except Exception as error:  # noqa: BLE001 - any cache failure: keep the change and retry
                logger.warning("Page cache not invalidated (%s), will retry: %s", ", ".join(sorted(self.topics)), error)
                if not self.exit_hook:
                    atexit.register(self.write)
                    self.exit_hook = True
                return False
            self.topics.clear()
            return True


pending = PendingGenerations()


def invalidate(topics=(EVERY_PAGE,)):
    """Make every cached page that shows one of ``topics`` stale, now."""
    pending.write(topics)


def invalidate_on_commit(topics=(EVERY_PAGE,)):
    """Make the pages showing ``topics`` stale once the current transaction commits (at once outside of one)."""
    topics = set(topics)
    if topics:
        transaction.on_commit(lambda: invalidate(topics), robust=True)


def topics_of(instances):
    """The topics of the pages that show these objects (``None``: every page)."""
    if instances is None:
        return {EVERY_PAGE}
    return {topic for instance in instances for topic in instance.shown_on_pages()}


def current_generations(topics):
    """The current generation of each topic, giving a topic that has none (new, or evicted) a new one."""
    keys = {generation_key(topic): topic for topic in topics}
    found = cache.get_many(keys)
    return complete_generations(keys, found)


def complete_generations(keys, found):
    """{topic: generation} from the values ``found`` under ``keys`` ({key: topic}), filling in missing ones."""
    missing = [key for key in keys if key not in found]
    for key in missing:
        cache.add(key, new_generation(), timeout=None)
    if missing:
        found = {**found, **cache.get_many(missing)}
    return {topic: found[key] for key, topic in keys.items()}
