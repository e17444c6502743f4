from django.contrib import admin
from django.db import models

from comments.models import Comment


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
