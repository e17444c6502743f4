import json
from urllib.parse import urlencode

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import Case, Count, Q, Value, When
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.decorators import method_decorator
from django.utils.html import format_html, format_html_join
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from articles import admin as articles_admin
from articles.models import Article
from comments.forms import EditorReplyForm
from comments.models import Comment, DiscussionSettings
from comments.privacy import erase_personal_data, export_personal_data


def commenters_emails(queryset):
    """The distinct email addresses (in lower case) of the selected comments, erased ones left out."""
    return sorted({email.lower() for email in queryset.exclude(email="").values_list("email", flat=True)})


@admin.action(description=_("Export personal data of the selected comments' authors"), permissions=["view"])
def export_personal_data_action(modeladmin, request, queryset):
    """A JSON file of everything stored about each commenter (by email) of the selected comments."""
    emails = commenters_emails(queryset)
    if not emails:
        modeladmin.message_user(request, _("The selected comments have no email address."), messages.WARNING)
        return None
    document = {"commenters": [export_personal_data(email) for email in emails]}
    response = HttpResponse(json.dumps(document, indent=2, ensure_ascii=False), content_type="application/json")
    response["Content-Disposition"] = 'attachment; filename="personal-data.json"'
    return response


@admin.action(description=_("Erase personal data of the selected comments' authors"), permissions=["change"])
def erase_personal_data_action(modeladmin, request, queryset):
    """Anonymise every comment of each commenter (by email) of the selected comments, after a confirmation."""
    emails = commenters_emails(queryset)
    if not emails:
        modeladmin.message_user(request, _("The selected comments have no email address."), messages.WARNING)
        return None
    if request.POST.get("confirmed") != "yes":
        context = {
            **modeladmin.admin_site.each_context(request),
            "title": _("Erase personal data?"),
            "opts": modeladmin.model._meta,
            "emails": emails,
            "queryset": queryset,
            "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, "admin/comments/erase_personal_data.html", context)
    delete_text = request.POST.get("delete_text") == "on"
    erased = sum(erase_personal_data(email, delete_text=delete_text) for email in emails)
    modeladmin.message_user(
        request,
        ngettext(
            "Erased the personal data of %(commenters)d commenter (%(comments)d comments).",
            "Erased the personal data of %(commenters)d commenters (%(comments)d comments).",
            len(emails),
        )
        % {"commenters": len(emails), "comments": erased},
        messages.SUCCESS,
    )
    return None


PENDING_FIRST = Case(When(status=Comment.Status.PENDING, then=Value(0)), default=Value(1))


def moderation_queue_url(**filters):
    """The comments changelist, filtered (``status__exact="pending"``, ``article__id__exact=…``)."""
    url = reverse("admin:comments_comment_changelist")
    return f"{url}?{urlencode(filters)}" if filters else url


@admin.display(description=_("comment"))
def excerpt(comment):
    return Truncator(comment.body).chars(80)


@admin.display(description=_("author"), ordering="author")
def commenter(comment):
    """The name, with the email and IP address under it (staff only: this is the admin)."""
    details = [detail for detail in (comment.email, comment.ip_address) if detail]
    return format_html(
        '{}<span class="commenter-details">{}</span>',
        comment.author,
        format_html_join("", "<br>{}", ((detail,) for detail in details)),
    )


# The buttons of each row: (the CommentAdmin action, its label, whether it applies to a comment).
ROW_ACTIONS = [
    ("approve", _("Approve"), lambda comment: comment.status != Comment.Status.APPROVED),
    ("unapprove", _("Unapprove"), lambda comment: comment.status == Comment.Status.APPROVED),
    ("mark_spam", _("Spam"), lambda comment: comment.status != Comment.Status.SPAM),
    ("trash", _("Trash"), lambda comment: comment.status != Comment.Status.TRASH),
]
ROW_FORM = "row-moderation"  # the form, outside the changelist's, that the row buttons submit (with its CSRF token)
REPLIED_TO = (Comment.Status.PENDING, Comment.Status.APPROVED)


@admin.register(Comment)
class CommentAdmin(admin.ModelAdmin):
    """The moderation queue: pending comments first, with counts per status, buttons on each row to moderate
    it or reply to it, and bulk moderation actions."""

    list_display = [commenter, excerpt, "article_link", "status", "created_at"]
    list_display_links = [excerpt]
    list_filter = ["status"]
    show_facets = admin.ShowFacets.ALWAYS
    ordering = [PENDING_FIRST.asc(), "-created_at"]
    search_fields = ["author", "email", "body", "ip_address"]
    date_hierarchy = "created_at"
    list_select_related = ["article"]
    raw_id_fields = ["article", "parent"]
    readonly_fields = ["ip_address", "user_agent", "created_at"]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    actions = ["approve", "unapprove", "mark_spam", "trash", export_personal_data_action, erase_personal_data_action]

    class Media:
        css = {"all": ["css/comment-admin.css"]}

    def get_urls(self):
        return [
            path(
                "<path:object_id>/moderate/<str:action>/",
                self.admin_site.admin_view(self.moderate_view),
                name="comments_comment_moderate",
            ),
            path("<path:object_id>/reply/", self.admin_site.admin_view(self.reply_view), name="comments_comment_reply"),
            *super().get_urls(),
        ]

    def get_list_display(self, request):
        """The moderation buttons come after the comment, for those who may moderate."""
        list_display = super().get_list_display(request)
        if not self.has_change_permission(request):
            return list_display
        position = list_display.index(excerpt) + 1
        return [*list_display[:position], self.row_buttons(request), *list_display[position:]]

    def row_buttons(self, request):
        """The column of each row's buttons; each returns to this very list (its filters, search and page)."""
        back = urlencode({"next": request.get_full_path()})

        @admin.display(description=_("moderate"))
        def moderate(comment):
            buttons = format_html_join(
                "",
                '<button type="submit" class="button" form="{}" formaction="{}?{}">{}</button>',
                (
                    (ROW_FORM, reverse("admin:comments_comment_moderate", args=[comment.pk, action]), back, label)
                    for action, label, applies in ROW_ACTIONS
                    if applies(comment)
                ),
            )
            if comment.status in REPLIED_TO:
                reply_url = reverse("admin:comments_comment_reply", args=[comment.pk])
                buttons += format_html('<a class="button" href="{}?{}">{}</a>', reply_url, back, _("Reply"))
            return format_html('<div class="row-buttons">{}</div>', buttons)

        return moderate

    def back_to_list(self, request, url):
        """A redirect to ``url`` when it is a page of this site, else to the comment list."""
        if not url_has_allowed_host_and_scheme(
            url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        ):
            url = reverse("admin:comments_comment_changelist")
        return redirect(url)

    def moderated_comment(self, request, object_id):
        """The comment of a row's button or reply, if this user may moderate it."""
        comment = self.get_object(request, object_id)
        if comment is None:
            raise Http404
        if not self.has_change_permission(request, comment):
            raise PermissionDenied
        return comment

    @method_decorator(require_POST)
    def moderate_view(self, request, object_id, action):
        """One row's button: the bulk action of that name, on that one comment."""
        if action not in {name for name, _label, _applies in ROW_ACTIONS}:
            raise Http404
        comment = self.moderated_comment(request, object_id)
        getattr(self, action)(request, Comment.objects.filter(pk=comment.pk))
        return self.back_to_list(request, request.GET.get("next", ""))

    def reply_view(self, request, object_id):
        """An editor's reply to a comment, published at once under their name; a pending comment is approved too."""
        comment = self.moderated_comment(request, object_id)
        if comment.status not in REPLIED_TO:
            raise Http404
        back = request.POST.get("next") or request.GET.get("next", "")
        form = EditorReplyForm(request.POST or None)
        if form.is_valid():
            Comment.objects.filter(pk=comment.pk).approve()
            reply = form.save(comment, request.user)
            self.log_addition(request, reply, [{"added": {}}])
            self.message_user(request, _("Your reply to %(author)s is published.") % {"author": comment.author})
            return self.back_to_list(request, back)
        context = {
            **self.admin_site.each_context(request),
            "title": _("Reply to %(author)s") % {"author": comment.author},
            "opts": self.model._meta,
            "comment": comment,
            "form": form,
            "next": back,
        }
        return TemplateResponse(request, "admin/comments/comment/reply.html", context)

    @admin.display(description=_("article"), ordering="article__title")
    def article_link(self, comment):
        return format_html(
            '<a href="{}">{}</a>', reverse("admin:articles_article_change", args=[comment.article_id]), comment.article
        )

    @admin.action(description=_("Approve"), permissions=["change"])
    def approve(self, request, queryset):
        count = queryset.approve()
        self.message_user(request, ngettext("%d comment approved.", "%d comments approved.", count) % count)

    @admin.action(description=_("Unapprove"), permissions=["change"])
    def unapprove(self, request, queryset):
        count = queryset.unapprove()
        self.message_user(request, ngettext("%d comment unapproved.", "%d comments unapproved.", count) % count)

    @admin.action(description=_("Mark as spam"), permissions=["change"])
    def mark_spam(self, request, queryset):
        count = queryset.mark_spam()
        self.message_user(request, ngettext("%d comment marked as spam.", "%d comments marked as spam.", count) % count)

    @admin.action(description=_("Move to trash"), permissions=["change"])
    def trash(self, request, queryset):
        count = queryset.trash()
        self.message_user(
            request, ngettext("%d comment moved to the trash.", "%d comments moved to the trash.", count) % count
        )


class CommentInline(admin.TabularInline):
    """An article's comments on its page, pending first: their status may be changed here, nothing else."""

    model = Comment
    fk_name = "article"
    fields = ["author", excerpt, "status", "created_at"]
    readonly_fields = ["author", excerpt, "created_at"]
    ordering = [PENDING_FIRST.asc(), "-created_at"]
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False


admin.site.unregister(Article)


@admin.register(Article)
class ArticleAdmin(articles_admin.ArticleAdmin):
    """The articles admin, with each article's comment counts and its comments inline."""

    list_display = [*articles_admin.ArticleAdmin.list_display, "approved_comments", "pending_comments"]
    inlines = [*articles_admin.ArticleAdmin.inlines, CommentInline]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                approved_comment_count=Count("comments", filter=Q(comments__status=Comment.Status.APPROVED)),
                pending_comment_count=Count("comments", filter=Q(comments__status=Comment.Status.PENDING)),
            )
        )

    @admin.display(description=_("approved comments"), ordering="approved_comment_count")
    def approved_comments(self, article):
        return article.approved_comment_count

    @admin.display(description=_("pending comments"), ordering="pending_comment_count")
    def pending_comments(self, article):
        if not article.pending_comment_count:
            return 0
        return format_html(
            '<a href="{}">{}</a>',
            moderation_queue_url(article__id__exact=article.pk, status__exact=Comment.Status.PENDING),
            article.pending_comment_count,
        )


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
