from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ArticlesConfig(AppConfig):
    name = "articles"
    verbose_name = _("Articles")

    def ready(self):
        from articles.counting import counted_views_label  # noqa: PLC0415 - models are loaded now
        from pagecache import holes  # noqa: PLC0415

        holes.register("article_views", counted_views_label)
