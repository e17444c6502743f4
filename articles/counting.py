"""Counting article views.

Two ways, chosen by ``settings.VIEW_COUNTS_IN_CACHE``:

- In the database (the default with a per-process cache): each view is one atomic
  ``UPDATE ... SET view_count = view_count + 1``, so readers arriving together never lose a view.
- In a shared cache (the default with Redis or Memcached): the cache keeps each article's running
  total, started from the stored count, and each view is one atomic increment of it; no database
  row is written on the page view. The stored count is brought up to the running total in batches:
  by ``python manage.py flushviews`` (run it every minute) and by every ``VIEW_COUNT_FOLD_EVERY``-th
  view of an article. Storing only ever raises the count to a total the cache reached, so any number
  of them may run at once; after a flush the stored count is exact. A view whose fold finds the
  database unavailable is still shown (from the page cache, which needs no database); the total waits
  in the cache for the next fold.

The article page shows the running total; other lists (such as "Most read") use the stored count,
which lags by at most the views since the last flush.
"""

import logging
from collections import Counter

from django.conf import settings
from django.core.cache import cache
from django.db import InterfaceError, OperationalError
from django.db.models import F

from articles.models import Article
from articles.templatetags.article_tags import views_label

FLUSH_BATCH_SIZE = 1000

logger = logging.getLogger(__name__)


def views_key(article_id):
    return f"articles:views:{article_id}"


def counted_views_label(request, article_id, view_count):
    """The article page's "N Views" (a page-cache hole, see articles.apps), counting this view if it is a GET."""
    if request.method != "GET":
        return views_label(view_count)
    counted = getattr(request, "page_counts", {}).get(views_key(article_id))
    return views_label(count_view(article_id, counted=counted))


def count_view(article_id, counted=None):
    """Count one view of an article; return its total views.

    ``counted`` is the running total after this view when the cache has already counted it (a page served
    from the page cache increments the count in the same round trip as it checks the page). When the cache
    fails, the view is counted in the database, and added to the cache's total once the cache answers again
    (``owed_views``), so that the next fold, which keeps the larger of the two, loses none of them.
    """
    if not settings.VIEW_COUNTS_IN_CACHE:
        return count_in_database(article_id)
    try:
        total = counted if counted is not None else count_in_cache(article_id)
        total = settle_owed_views(article_id, total)
    except Exception as error:  # noqa: BLE001 - any cache failure: count in the database instead
        logger.warning("View of article %s counted in the database, the cache is unavailable: %s", article_id, error)
        owed_views[article_id] += 1
        return count_in_database(article_id)
    if total % settings.VIEW_COUNT_FOLD_EVERY == 0:
        try:
            store_total(article_id, total)
        except (OperationalError, InterfaceError) as error:
            # The page may come from the page cache and need no database: it is still served.
            logger.warning("Views of article %s not stored, the database is unavailable: %s", article_id, error)
    return total


# Views this process counted in the database while the cache failed, by article: not yet in the cache's totals.
owed_views = Counter()


def count_in_database(article_id):
    Article.objects.filter(pk=article_id).update(view_count=F("view_count") + 1)
    return stored_count(article_id)


def count_in_cache(article_id):
    """One more view in the cache's running total, started from the stored count when the cache has none."""
    key = views_key(article_id)
    try:
        return cache.incr(key)
    except ValueError:
        owed_views.pop(article_id, None)  # the stored count, which the new total starts from, holds them
        cache.add(key, stored_count(article_id), timeout=None)
        return cache.incr(key)


def settle_owed_views(article_id, total):
    owed = owed_views.pop(article_id, 0)
    return cache.incr(views_key(article_id), owed) if owed else total


def stored_count(article_id):
    return Article.objects.filter(pk=article_id).values_list("view_count", flat=True).first() or 0


def store_total(article_id, total):
    """Raise the article's stored count to ``total``; return how many views that added."""
    stored = stored_count(article_id)
    if stored >= total:
        return 0
    Article.objects.filter(pk=article_id, view_count__lt=total).update(view_count=total)
    return total - stored


def forget_counted_views(article_id):
    """Drop the cache's running total, after the stored count was set by other means (an import)."""
    cache.delete(views_key(article_id))


def flush_views():
    """Store every article's running total; return (articles changed, views added)."""
    articles = views = 0
    ids = list(Article.objects.order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(ids), FLUSH_BATCH_SIZE):
        batch = ids[start : start + FLUSH_BATCH_SIZE]
        keys = {views_key(article_id): article_id for article_id in batch}
        for key, total in cache.get_many(keys).items():
            added = store_total(keys[key], total)
            articles += added > 0
            views += added
    return articles, views
