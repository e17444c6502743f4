from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommentsConfig(AppConfig):
    name = "comments"
    verbose_name = _("Comments")

    def ready(self):
        """Tell the page cache what a commenter's session holds: it fills their remembered details, form token
        and the links to edit their recent comments into cached pages, and renders an article afresh for them
        while their comment on it awaits moderation."""
        from comments import editing, forms, notifications, reports, visitor  # noqa: F401, PLC0415 - models are loaded now; notifications and reports connect their signal receivers
        from pagecache import holes, pages  # noqa: PLC0415

        holes.register("comment_token", forms.fill_comment_token)
        holes.register("commenter", visitor.remembered)
        holes.register("own_comment_links", editing.own_comment_links, applies=visitor.posted_ids)
        pages.ignorable_session_keys.update((visitor.POSTED_KEY, visitor.DETAILS_KEY))
        pages.fresh_render_checks.append(visitor.has_pending_comment_on_page)
