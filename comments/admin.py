import json
from datetime import timedelta
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import Case, Count, Q, Value, When
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.html import format_html, format_html_join
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from articles import admin as articles_admin
from articles.models import Article
from comments.forms import EditorReplyForm
from comments.models import HISTORY_STATUSES, Comment, CommentBan, CommentReport, DiscussionSettings, Subscriber
from comments.privacy import erase_personal_data, export_personal_data
from newsroom.clients import client_network


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


def ban_expiry():
    """When a ban made from the comment list ends (``COMMENTS_BAN_DAYS``), or None for never."""
    days = settings.COMMENTS_BAN_DAYS
    return timezone.now() + timedelta(days=days) if days > 0 else None


def ban_commenters(request, queryset, field, ban_of):
    """Ban, with ``ban_of(value)``, the distinct non-empty ``field`` values of the selected comments; how many."""
    values = {value for value in queryset.order_by().values_list(field, flat=True).distinct() if value}
    note = _("Banned from the comment list by %(user)s.") % {"user": request.user.get_username()}
    return sum(
        CommentBan.objects.ban(**ban_of(value), expires_at=ban_expiry(), note=note, created_by=request.user)
        for value in sorted(values)
    )


@admin.action(description=_("Ban these commenters' email addresses"), permissions=["ban"])
def ban_emails_action(modeladmin, request, queryset):
    added = ban_commenters(request, queryset, "email", lambda email: {"email": email})
    modeladmin.message_user(request, ngettext("%d email address banned.", "%d email addresses banned.", added) % added)


@admin.action(description=_("Ban these commenters' IP addresses (an IPv6 address by its /64)"), permissions=["ban"])
def ban_addresses_action(modeladmin, request, queryset):
    added = ban_commenters(request, queryset, "ip_address", lambda address: {"network": client_network(address)})
    modeladmin.message_user(request, ngettext("%d IP address banned.", "%d IP addresses banned.", added) % added)


class Leaving:
    """The changelist as a filter sees it when choosing one of its links leaves other filters (``parameters``)."""

    def __init__(self, changelist, parameters):
        self.changelist = changelist
        self.parameters = list(parameters)

    def __getattr__(self, name):
        return getattr(self.changelist, name)

    def get_query_string(self, new_params=None, remove=None):
        return self.changelist.get_query_string(new_params, [*(remove or []), *self.parameters])


class CountingAll:
    """A filter whose counts are of every comment, whatever the other filters and the search say."""

    def get_facet_queryset(self, changelist):
        everything = changelist.root_queryset
        return everything.aggregate(**self.get_facet_counts(changelist.pk_attname, everything))


class QueueFilter(CountingAll, admin.SimpleListFilter):
    """The queues an editor works through, each with how many comments it holds: comments awaiting moderation,
    reported by readers, marked as spam. A queue and a status are not combined: choosing one leaves the other."""

    title = _("queue")
    parameter_name = "queue"

    def lookups(self, request, model_admin):
        return [("pending", _("Pending")), ("reported", _("Reported")), ("spam", _("Spam"))]

    def queryset(self, request, queryset):
        if self.value() == "pending":
            return queryset.pending()
        if self.value() == "reported":
            return queryset.reported()
        if self.value() == "spam":
            return queryset.filter(status=Comment.Status.SPAM)
        return queryset

    def choices(self, changelist):
        return super().choices(Leaving(changelist, ["status__exact", "status__isnull"]))


class StatusFilter(CountingAll, admin.ChoicesFieldListFilter):
    """The status filter, with how many comments each status holds; choosing one leaves the queue."""

    def choices(self, changelist):
        return super().choices(Leaving(changelist, [QueueFilter.parameter_name]))


PENDING_FIRST = Case(When(status=Comment.Status.PENDING, then=Value(0)), default=Value(1))


def moderation_queue_url(**filters):
    """The comments changelist, filtered (``status__exact="pending"``, ``article__id__exact=…``)."""
    url = reverse("admin:comments_comment_changelist")
    return f"{url}?{urlencode(filters)}" if filters else url


@admin.display(description=_("comment"))
def excerpt(comment):
    return Truncator(comment.body).chars(80)


@admin.display(description=_("history"))
def commenter_history(comment):
    """The commenter's other comments (same email or IP address) by status, linked to them; from ``with_history()``."""
    counts = {status: getattr(comment, f"history_{status}", 0) or 0 for status in HISTORY_STATUSES}
    text = _("%(approved)d approved, %(spam)d spam, %(trash)d trash") % counts
    search = comment.email or comment.ip_address
    if not search:
        return text
    return format_html('<a href="{}">{}</a>', moderation_queue_url(q=search), text)


@admin.display(description=_("author"), ordering="author")
def commenter(comment):
    """The name, with the email, IP address and history under it (staff only: this is the admin)."""
    details = [detail for detail in (comment.email, comment.ip_address) if detail]
    return format_html(
        '{}<span class="commenter-details">{}</span><span class="commenter-history">{}</span>',
        comment.author,
        format_html_join("", "<br>{}", ((detail,) for detail in details)),
        commenter_history(comment),
    )


@admin.display(description=_("status"), ordering="status")
def status_and_reason(comment):
    """The status; under it, why the comment is not published, and its readers' reports not yet dealt with."""
    parts = [comment.get_status_display()]
    if comment.status != Comment.Status.APPROVED and comment.held_reason:
        parts.append(format_html('<strong class="held-reason">{}</strong>', comment.get_held_reason_display()))
        if comment.held_detail:
            parts.append(format_html('<span class="held-detail">{}</span>', comment.held_detail))
    if open_reports := getattr(comment, "open_report_count", 0):
        parts.append(ngettext("%d open report", "%d open reports", open_reports) % open_reports)
    return format_html_join(mark_safe("<br>"), "{}", ((part,) for part in parts))  # noqa: S308 - a fixed tag


# The buttons of each row: (the CommentAdmin action, its label, its keyboard shortcut, whether it applies to a
# comment). An approved comment with open reports may be approved again, which dismisses them.
ROW_ACTIONS = [
    (
        "approve",
        _("Approve"),
        "a",
        lambda comment: comment.status != Comment.Status.APPROVED or getattr(comment, "open_report_count", 0),
    ),
    ("unapprove", _("Unapprove"), "u", lambda comment: comment.status == Comment.Status.APPROVED),
    ("hold", _("Pending"), "u", lambda comment: comment.status in (Comment.Status.SPAM, Comment.Status.TRASH)),
    ("mark_spam", _("Spam"), "s", lambda comment: comment.status != Comment.Status.SPAM),
    ("trash", _("Trash"), "t", lambda comment: comment.status != Comment.Status.TRASH),
]
ROW_FORM = "row-moderation"  # the form, outside the changelist's, that the row buttons submit (with its CSRF token)
REPLIED_TO = (Comment.Status.PENDING, Comment.Status.APPROVED)


@admin.register(Comment)
class CommentAdmin(admin.ModelAdmin):
    """The moderation queue: pending comments first, with counts per queue and status, each commenter's history,
    why each comment is held, buttons (and keyboard shortcuts) on each row to moderate it or reply to it, bulk
    moderation actions and bans."""

    list_display = [commenter, excerpt, "article_link", status_and_reason, "created_at"]
    list_display_links = [excerpt]
    list_filter = [QueueFilter, ("status", StatusFilter)]
    show_facets = admin.ShowFacets.ALWAYS
    ordering = [PENDING_FIRST.asc(), "-created_at"]
    search_fields = ["author", "email", "body", "ip_address"]
    date_hierarchy = "created_at"
    list_select_related = ["article"]
    raw_id_fields = ["article", "parent"]
    readonly_fields = [
        "ip_address",
        "user_agent",
        "created_at",
        "edited_at",
        "held_reason",
        "held_detail",
        commenter_history,
    ]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    actions = [
        "approve",
        "unapprove",
        "hold",
        "mark_spam",
        "trash",
        ban_emails_action,
        ban_addresses_action,
        export_personal_data_action,
        erase_personal_data_action,
    ]

    class Media:
        css = {"all": ["css/comment-admin.css"]}
        js = ["js/comment-moderation.js"]

    def get_queryset(self, request):
        """Each comment with its commenter's history and its open reports, in the list's one query."""
        return super().get_queryset(request).with_history().with_open_reports()

    def has_ban_permission(self, request):
        return request.user.has_perm("comments.add_commentban")

    def changelist_view(self, request, extra_context=None):
        """The list, with the keyboard shortcuts for those who may moderate."""
        extra_context = {"may_moderate": self.has_change_permission(request), **(extra_context or {})}
        return super().changelist_view(request, extra_context)

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
                '<button type="submit" class="button" form="{}" formaction="{}?{}" data-shortcut="{}"'
                ' aria-keyshortcuts="{}">{}</button>',
                (
                    (
                        ROW_FORM,
                        reverse("admin:comments_comment_moderate", args=[comment.pk, action]),
                        back,
                        key,
                        key,
                        label,
                    )
                    for action, label, key, applies in ROW_ACTIONS
                    if applies(comment)
                ),
            )
            if comment.status in REPLIED_TO:
                reply_url = reverse("admin:comments_comment_reply", args=[comment.pk])
                buttons += format_html('<a class="button" href="{}?{}">{}</a>', reply_url, back, _("Reply"))
            return format_html('<div class="row-buttons" data-comment="{}">{}</div>', comment, buttons)

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
        if action not in {name for name, _label, _key, _applies in ROW_ACTIONS}:
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
        """Publish the comments, and dismiss the open reports of those already published."""
        count = queryset.approve()
        self.message_user(request, ngettext("%d comment approved.", "%d comments approved.", count) % count)
        if dismissed := queryset.dismiss_reports():
            self.message_user(
                request,
                ngettext(
                    "The reports of %d comment were dismissed.", "The reports of %d comments were dismissed.", dismissed
                )
                % dismissed,
            )

    @admin.action(description=_("Unapprove"), permissions=["change"])
    def unapprove(self, request, queryset):
        count = queryset.unapprove()
        self.message_user(request, ngettext("%d comment unapproved.", "%d comments unapproved.", count) % count)

    @admin.action(description=_("Move back to pending"), permissions=["change"])
    def hold(self, request, queryset):
        count = queryset.hold()
        self.message_user(
            request, ngettext("%d comment moved back to pending.", "%d comments moved back to pending.", count) % count
        )

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


@admin.register(Subscriber)
class SubscriberAdmin(admin.ModelAdmin):
    """Addresses that asked for comment notifications: looked up and unsubscribed, never added by hand."""

    list_display = ["email", "created_at", "confirmed_at", "unsubscribed_at"]
    list_filter = [("confirmed_at", admin.EmptyFieldListFilter), ("unsubscribed_at", admin.EmptyFieldListFilter)]
    search_fields = ["email"]
    readonly_fields = ["email", "created_at", "confirmation_sent_at", "confirmed_at"]

    def has_add_permission(self, request):
        return False


@admin.register(CommentBan)
class CommentBanAdmin(admin.ModelAdmin):
    """Email addresses and networks whose comments are refused; an expired ban stays listed but no longer applies."""

    list_display = ["__str__", "expires_at", "is_active", "note", "created_at", "created_by"]
    list_filter = [("expires_at", admin.EmptyFieldListFilter)]
    search_fields = ["email", "network", "note"]
    fields = ["email", "network", "expires_at", "note"]

    @admin.display(description=_("applies now"), boolean=True)
    def is_active(self, ban):
        return ban.is_active()

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(CommentReport)
class CommentReportAdmin(admin.ModelAdmin):
    """Readers' reports, newest first; who reported is not shown (only a hash of it is stored)."""

    list_display = ["comment", "reason", "text", "created_at", "reviewed"]
    list_filter = ["reason", "reviewed"]
    list_select_related = ["comment"]
    raw_id_fields = ["comment"]
    readonly_fields = ["comment", "reason", "text", "created_at"]

    def has_add_permission(self, request):
        return False
