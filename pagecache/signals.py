"""The page cache's one signal, for changes that Django's model signals do not report."""

from django.dispatch import Signal

# Sent by code that changes rows readers see without ``Model.save()`` or ``Model.delete()``:
# ``QuerySet.update()`` (status changes, personal-data erasure), bulk imports, raw SQL.
#
# Arguments:
#   sender     the model class of the changed rows.
#   instances  an iterable of the changed rows (their ``shown_on_pages()`` names the pages that show them),
#              or None when the change may touch any page that shows this model (an import).
#
# The pages that show them are made stale when the current transaction commits (at once outside of one).
# If the cache cannot be reached, the change is kept and retried (see pagecache.invalidation).
pages_changed = Signal()
