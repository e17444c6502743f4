from contextlib import contextmanager

import reversion
from django import forms
from django.contrib import admin
from django.contrib.admin.utils import quote, unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from reversion.admin import VersionAdmin
from reversion.models import Version

from articles.forms import ArticleAdminForm
from articles.models import Article, ArticleAuthor, ArticleNote, Author, Section, Tag
from articles.revisions import compare
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


class CoauthorFormSet(forms.BaseInlineFormSet):
    def clean(self):
        super().clean()
        for form in self.forms:
            if form.cleaned_data.get("DELETE") or not form.cleaned_data.get("author"):
                continue
            if form.cleaned_data["author"].pk == self.instance.author_id:
                raise ValidationError(_("%(name)s is already the first byline.") % {"name": self.instance.author})


class ArticleAuthorInline(admin.TabularInline):
    """Bylines after the first, ordered by position."""

    model = ArticleAuthor
    formset = CoauthorFormSet
    fields = ["author", "position"]
    autocomplete_fields = ["author"]
    extra = 0


class ArticleNoteInline(admin.StackedInline):
    """Dated corrections and updates, shown to readers under the body; the latest date is the article's
    "Updated" date."""

    model = ArticleNote
    fields = [("kind", "noted_at"), "text"]
    extra = 0


class PublicationFilter(admin.SimpleListFilter):
    """Where an article stands: a draft, pending review, scheduled, or live on the site."""

    title = _("publication")
    parameter_name = "publication"

    def lookups(self, request, model_admin):
        return [
            (Article.Status.DRAFT, Article.Status.DRAFT.label),
            (Article.Status.REVIEW, Article.Status.REVIEW.label),
            ("scheduled", _("Scheduled")),
            ("live", _("Published and live")),
        ]

    def queryset(self, request, queryset):
        if self.value() in (Article.Status.DRAFT, Article.Status.REVIEW):
            return queryset.filter(status=self.value())
        if self.value() == "scheduled":
            return queryset.scheduled()
        if self.value() == "live":
            return queryset.published()
        return queryset


class CompareRevisionsForm(forms.Form):
    """Two revisions of one article, chosen on its history page."""

    old = forms.ModelChoiceField(queryset=Version.objects.none(), label=_("older revision"))
    new = forms.ModelChoiceField(queryset=Version.objects.none(), label=_("newer revision"))

    def __init__(self, versions, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["old"].queryset = self.fields["new"].queryset = versions

    def clean(self):
        cleaned_data = super().clean()
        old, new = cleaned_data.get("old"), cleaned_data.get("new")
        if old and new:
            if old == new:
                raise ValidationError(_("Choose two different revisions to compare."))
            if old.pk > new.pk:
                cleaned_data["old"], cleaned_data["new"] = new, old
        return cleaned_data


@admin.register(Article)
class ArticleAdmin(VersionAdmin):
    """Articles, with their revisions: the history lists them, compares two and restores one.

    Every save through the forms keeps a revision of the article and its co-authors (tags included), by
    the editor; the bulk actions record one revision per article they change (see ``ArticleQuerySet``).
    """

    form = ArticleAdminForm
    list_display = ["title", "publication", "author", "section", "published_at", "view_count"]
    list_filter = [PublicationFilter, "published_at", "author", "section"]
    search_fields = ["title", "standfirst", "body"]
    date_hierarchy = "published_at"
    prepopulated_fields = {"slug": ["title"]}
    readonly_fields = ["lead_image_preview", "view_count", "created_at", "updated_at"]
    list_select_related = ["author", "section"]
    autocomplete_fields = ["author", "section", "tags", "lead_image"]
    inlines = [ArticleAuthorInline, ArticleNoteInline]
    actions = ["publish", "unpublish"]
    history_latest_first = True
    object_history_template = "admin/articles/article/object_history.html"

    class Media:
        js = ["articles/admin/schedule_button.js"]

    @admin.display(description=_("status"), ordering="status")
    def publication(self, article):
        """The status, with "Scheduled for <date>" for a published article whose date is still to come."""
        if article.is_scheduled():
            published_at = date_format(timezone.localtime(article.published_at), "DATETIME_FORMAT")
            return _("Scheduled for %(date)s") % {"date": published_at}
        return article.get_status_display()

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        """Tell the save button whether saving schedules the article (the form's values once posted)."""
        context.update(schedules=context["adminform"].form.instance.is_scheduled(), site_now=timezone.localtime())
        return super().render_change_form(request, context, add, change, form_url, obj)

    @contextmanager
    def create_revision(self, request):
        """The form's revision, filled in by ``save_related`` once the co-authors and tags are saved.

        Left to reversion's signals, the article would be recorded before its inlines, with the co-authors
        it had before the save.
        """
        with reversion.create_revision(manage_manually=True):
            reversion.set_user(request.user)
            yield

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        if reversion.is_active():
            reversion.add_to_revision(form.instance)

    def changelist_view(self, request, extra_context=None):
        """The list without VersionAdmin's single revision around it: each bulk action records one revision
        per article, so that restoring one article never reverts the others changed with it."""
        context = {"has_change_permission": self.has_change_permission(request), **(extra_context or {})}
        return super(VersionAdmin, self).changelist_view(request, context)

    def revision_view(self, request, object_id, version_id, extra_context=None):
        """Restore a revision; the view count, which belongs to no revision, stays as it is."""
        article = self.get_object(request, unquote(object_id))
        response = super().revision_view(request, object_id, version_id, extra_context)
        if request.method == "POST" and response.status_code == 302 and article is not None:
            Article.objects.filter(pk=article.pk).update(view_count=article.view_count)
        return response

    def versions(self, object_id):
        return Version.objects.get_for_object_reference(Article, object_id).select_related("revision__user")

    def history_view(self, request, object_id, extra_context=None):
        versions = self.versions(unquote(object_id)).order_by("-pk")
        context = {
            "versions": versions,
            "compare_url": reverse("admin:articles_article_compare", args=[object_id]),
            "can_compare": self.has_change_permission(request),
            **(extra_context or {}),
        }
        return super().history_view(request, object_id, context)

    def get_urls(self):
        compare_view = self.admin_site.admin_view(self.compare_view)
        return [
            path("<path:object_id>/history/compare/", compare_view, name="articles_article_compare"),
            *super().get_urls(),
        ]

    def compare_view(self, request, object_id):
        """What changed between two revisions (``?old=&new=``, version ids), with a way to restore either."""
        article = self.get_object(request, unquote(object_id))
        if article is None:
            raise Http404
        if not self.has_change_permission(request, article):
            raise PermissionDenied
        form = CompareRevisionsForm(self.versions(article.pk).select_related("revision"), request.GET)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "original": article,
            "title": _("Compare revisions of “%(title)s”") % {"title": article.title},
            "history_url": reverse("admin:articles_article_history", args=[quote(article.pk)]),
            "form": form,
        }
        if not form.is_valid():
            return TemplateResponse(request, "admin/articles/article/revision_compare.html", context, status=400)
        old, new = form.cleaned_data["old"], form.cleaned_data["new"]
        context.update(
            old=old,
            new=new,
            changes=compare(old, new),
            restore_old_url=reverse("admin:articles_article_revision", args=[quote(article.pk), old.pk]),
        )
        return TemplateResponse(request, "admin/articles/article/revision_compare.html", context)

    @admin.display(description=_("lead image as saved"))
    def lead_image_preview(self, article):
        return thumbnail_html(article.lead_image, width=240) if article.lead_image else "—"

    @admin.action(description=_("Publish"), permissions=["change"])
    def publish(self, request, queryset):
        count = queryset.publish(user=request.user)
        self.message_user(request, ngettext("%d article was published.", "%d articles were published.", count) % count)

    @admin.action(description=_("Unpublish"), permissions=["change"])
    def unpublish(self, request, queryset):
        count = queryset.unpublish(user=request.user)
        self.message_user(
            request, ngettext("%d article was unpublished.", "%d articles were unpublished.", count) % count
        )
