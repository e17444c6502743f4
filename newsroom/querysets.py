"""What the content models' querysets share."""

from django.db import models

from pagecache.signals import pages_changed


class ShownQuerySet(models.QuerySet):
    """For a model readers see, whose rows are also changed in bulk (``update()`` sends no model signal)."""

    # Fields whose change this queryset's ``update()`` already tells the page cache of.
    reported_fields = frozenset()

    def update_shown(self, **fields):
        """``update(**fields)`` that also tells the page cache which rows changed (``pages_changed``)."""
        manager = self.model._default_manager
        changing = list(self.values_list("pk", flat=True))
        changed = manager.filter(pk__in=changing).update(**fields)
        if changed and self.reported_fields.isdisjoint(fields):
            pages_changed.send(sender=self.model, instances=manager.filter(pk__in=changing))
        return changed

    def _change_status(self, status, **fields):
        """Give these rows ``status`` (and ``fields``); return how many changed."""
        return self.update_shown(status=status, **fields)
