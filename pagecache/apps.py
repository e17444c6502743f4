from django.apps import AppConfig, apps
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.middleware.csrf import get_token
from django.utils.translation import gettext_lazy as _


class PageCacheConfig(AppConfig):
    """Wires the page cache to the models readers see: every installed model with a ``shown_on_pages()`` method."""

    name = "pagecache"
    verbose_name = _("Page cache")

    def ready(self):
        from pagecache import holes, receivers, signals  # noqa: PLC0415 - the app registry is ready now

        holes.register("csrf_token", get_token)
        signals.pages_changed.connect(receivers.changed_without_model_signal)
        for model in apps.get_models():
            if not hasattr(model, "shown_on_pages"):
                continue
            post_save.connect(receivers.saved, sender=model, dispatch_uid=f"pagecache.saved.{model._meta.label}")
            post_delete.connect(receivers.deleted, sender=model, dispatch_uid=f"pagecache.deleted.{model._meta.label}")
            for field in model._meta.many_to_many:
                through = field.remote_field.through
                m2m_changed.connect(
                    receivers.relations_changed, sender=through, dispatch_uid=f"pagecache.m2m.{through._meta.label}"
                )
