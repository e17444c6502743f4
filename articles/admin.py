from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from articles.models import Article, Author, Section, Tag
from images.admin import thumbnail_html


@admin.register(Author)
class AuthorAdmin(admin.ModelAdmin):
    list_display = ["name", "email"]
    search_fields = ["name", "email"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Section)
class SectionAdmin(admin.ModelAdmin):
    list_display = ["name", "ordering"]
    list_editable = ["ordering"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    list_display = ["title", "status", "author", "section", "published_at", "view_count"]
    list_filter = ["status", "published_at", "author", "section"]
    search_fields = ["title", "standfirst", "body"]
    date_hierarchy = "published_at"
    prepopulated_fields = {"slug": ["title"]}
    readonly_fields = ["lead_image_preview", "view_count", "created_at", "updated_at"]
    list_select_related = ["author", "section"]
    autocomplete_fields = ["author", "section", "tags", "lead_image"]
    actions = ["publish", "unpublish"]

    @admin.display(description=_("lead image as saved"))
    def lead_image_preview(self, article):
        return thumbnail_html(article.lead_image, width=240) if article.lead_image else "—"

    @admin.action(description=_("Publish"), permissions=["change"])
    def publish(self, request, queryset):
        count = queryset.publish()
        self.message_user(request, ngettext("%d article was published.", "%d articles were published.", count) % count)

    @admin.action(description=_("Unpublish"), permissions=["change"])
    def unpublish(self, request, queryset):
        count = queryset.unpublish()
        self.message_user(
            request, ngettext("%d article was unpublished.", "%d articles were unpublished.", count) % count
        )
