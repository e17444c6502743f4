from django.contrib import admin
from django.db import models
from django.shortcuts import redirect
from django.urls import reverse

from comments.models import Comment, DiscussionSettings


@admin.register(Comment)
class CommentAdmin(admin.ModelAdmin):
    list_display = ["author", "article", "status", "created_at"]
    list_filter = ["status"]
    search_fields = ["author", "email", "body"]
    date_hierarchy = "created_at"
    list_select_related = ["article"]
    raw_id_fields = ["article", "parent"]
    readonly_fields = ["ip_address", "user_agent", "created_at"]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}


@admin.register(DiscussionSettings)
class DiscussionSettingsAdmin(admin.ModelAdmin):
    """One page, never a list: the changelist opens the single settings object."""

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def changelist_view(self, request, extra_context=None):
        settings = DiscussionSettings.load()
        return redirect(reverse("admin:comments_discussionsettings_change", args=[settings.pk]))
