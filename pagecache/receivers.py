"""What the page cache does when objects readers see change (connected in ``PageCacheConfig.ready()``)."""

from pagecache.invalidation import invalidate_on_commit, topics_of


def saved(sender, instance, created, raw=False, **kwargs):
    """A new object that no page shows yet (a draft, a comment awaiting moderation) changes nothing."""
    if raw:
        return
    invalidate_on_commit(instance.shown_on_pages(created=created))


def deleted(sender, instance, **kwargs):
    """Every deletion, bulk and cascades included (Django sends ``post_delete`` for each row)."""
    invalidate_on_commit(instance.shown_on_pages())


def relations_changed(sender, instance, action, model, pk_set, **kwargs):
    """Objects related or unrelated (an article's tags set, added or removed): the pages of both sides."""
    if action not in ("post_add", "post_remove", "post_clear"):
        return
    related = list(model.objects.filter(pk__in=pk_set)) if pk_set and hasattr(model, "shown_on_pages") else []
    invalidate_on_commit(topics_of([instance, *related]))


def changed_without_model_signal(sender, instances=None, **kwargs):
    invalidate_on_commit(topics_of(instances))
