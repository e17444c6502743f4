"""Counting article views.

Two ways, chosen by ``settings.VIEW_COUNTS_IN_CACHE``:

- In the database (the default with a per-process cache): each view is one atomic
  ``UPDATE ... SET view_count = view_count + 1``, so readers arriving together never lose a view.
- In a shared cache (the default with Redis or Memcached): each view is one atomic cache increment,
  and no database row is written on the page view. Pending views are folded into the database in
  batches: by ``python manage.py flushviews`` (run it every minute), and by the request that brings
  an article's pending count to ``VIEW_COUNT_FOLD_EVERY``. Every fold moves an amount from the cache
  to the database with one atomic decrement and one ``F()`` update, so stored plus pending always
  equals the views counted, whatever runs at the same time; after a flush the stored total is exact.

The article page shows the total of views counted, kept in the cache beside the pending count (and
started from the stored count the first time); other lists (such as "Most read") use the stored
count, which lags by at most the views since the last flush.
"""

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import F

from articles.models import Article

FLUSH_BATCH_SIZE = 1000


def pending_views_key(article_id):
    return f"articles:pending-views:{article_id}"


def total_views_key(article_id):
    return f"articles:total-views:{article_id}"


def count_view(article_id, stored_views):
    """Count one view of an article whose stored count was ``stored_views``; return the total to show."""
    articles = Article.objects.filter(pk=article_id)
    if not settings.VIEW_COUNTS_IN_CACHE:
        articles.update(view_count=F("view_count") + 1)
        return articles.values_list("view_count", flat=True).get()
    key = pending_views_key(article_id)
    cache.add(key, 0, timeout=None)
    pending = cache.incr(key)
    if pending == settings.VIEW_COUNT_FOLD_EVERY:
        fold(article_id, pending)
    cache.add(total_views_key(article_id), stored_views + pending - 1, timeout=None)
    return cache.incr(total_views_key(article_id))


def fold(article_id, views):
    """Move ``views`` pending views of one article from the cache into the database."""
    with transaction.atomic():
        Article.objects.filter(pk=article_id).update(view_count=F("view_count") + views)
        cache.decr(pending_views_key(article_id), views)


def flush_views():
    """Fold every article's pending views into the database; return (articles changed, views moved)."""
    articles = views = 0
    ids = list(Article.objects.order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(ids), FLUSH_BATCH_SIZE):
        batch = ids[start : start + FLUSH_BATCH_SIZE]
        pending = cache.get_many([pending_views_key(article_id) for article_id in batch])
        for article_id in batch:
            count = pending.get(pending_views_key(article_id), 0)
            if count:
                fold(article_id, count)
                articles += 1
                views += count
    return articles, views
