"""Posting a comment: form, moderation, save, redirect to the comment; on refusal the article page again.

The form posts to the article's own address (``ArticleDetailView.post`` hands it here), so that a refused
comment is shown again, with everything typed, at the address of the article; ``/comments/post/<id>/``
takes the same posts.
"""

from urllib.parse import parse_qsl

from django.conf import settings
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views import View
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.generic import TemplateView

from articles.models import Article
from articles.rendering import render_article
from comments import editing, moderation, notifications, reports, visitor
from comments.forms import CommentEditForm, CommentForm, ReportForm
from comments.models import Comment, Subscriber


def has_undecodable_text(request):
    """Whether a form-encoded body holds bytes that are not text in its encoding (Django would replace them)."""
    if request.content_type != "application/x-www-form-urlencoded":
        return False
    encoding = request.encoding or settings.DEFAULT_CHARSET
    try:
        parse_qsl(request.body.decode(encoding), keep_blank_values=True, encoding=encoding, errors="strict")
    except UnicodeDecodeError:
        return True
    return False


class CommentPostView(View):
    http_method_names = ["post"]

    def post(self, request, article_id):
        article = get_object_or_404(Article.objects.published().select_related("author", "lead_image"), pk=article_id)
        form = CommentForm(article, data=request.POST)
        if not moderation.comments_are_open(article):
            return self.refuse(article, form, status=403)
        if has_undecodable_text(request):
            message = _("Your comment contains characters that could not be read. Please check it and post it again.")
            return self.refuse(article, form, status=400, message=message)
        if not form.is_valid():
            return self.refuse(article, form, status=400)
        comment = form.build_comment(**visitor.client_details(request))
        try:
            moderation.receive(comment, caught_by_honeypot=form.caught_by_honeypot, own_ids=visitor.posted_ids(request))
        except moderation.CommentRefused as refusal:
            return self.refuse(article, form, status=refusal.status, message=refusal.message)
        notifications.comment_posted(comment)
        visitor.remember_posted(request, comment)
        visitor.remember_details(request, form.cleaned_data)
        return redirect(comment)

    def refuse(self, article, form, status, message=None):
        """The article page again, with the form as it was sent and what was wrong with it."""
        if message:
            form.add_error(None, message)
        return render_article(self.request, article, status=status, comment_form=form)


class SubscriberLinkView(TemplateView):
    """A signed link from a mail: GET shows what it does and a button, POST does it."""

    template_name = "comments/subscriber_link.html"
    purpose = None  # "confirm" or "unsubscribe"

    def get(self, request, token):
        subscriber = Subscriber.objects.from_token(token, self.purpose)
        return self.render_to_response(
            self.get_context_data(purpose=self.purpose, valid=subscriber is not None),
            status=200 if subscriber else 400,
        )

    def post(self, request, token):
        subscriber = Subscriber.objects.from_token(token, self.purpose)
        if subscriber is not None:
            getattr(subscriber, self.purpose)()
        return self.render_to_response(
            self.get_context_data(purpose=self.purpose, valid=subscriber is not None, done=subscriber is not None),
            status=200 if subscriber else 400,
        )


@method_decorator(csrf_exempt, name="dispatch")
class UnsubscribeView(SubscriberLinkView):
    """Its POST needs no CSRF token, so that mail clients can unsubscribe in one click (RFC 8058): the signed
    token in the address is what allows it, and all it can do is stop mail."""

    purpose = "unsubscribe"


class ReportCommentView(TemplateView):
    """Report a published comment: the form (GET), the report recorded (POST). One report per visitor."""

    template_name = "comments/report.html"

    def dispatch(self, request, comment_id):
        self.comment = get_object_or_404(Comment.objects.approved().select_related("article"), pk=comment_id)
        return super().dispatch(request, comment_id)

    def get(self, request, comment_id):
        return self.show(ReportForm(), reported=reports.already_reported(request, self.comment))

    def post(self, request, comment_id):
        form = ReportForm(request.POST)
        if not form.is_valid():
            return self.show(form, status=400)
        recorded = reports.report(
            self.comment, reports.reporter_of(request), form.cleaned_data["reason"], form.cleaned_data["text"]
        )
        return self.show(form, done=recorded, reported=not recorded, status=200 if recorded else 409)

    def show(self, form, status=200, **context):
        context = self.get_context_data(form=form, comment=self.comment, article=self.comment.article, **context)
        return self.render_to_response(context, status=status)


@method_decorator(never_cache, name="dispatch")
class OwnCommentView(TemplateView):
    """A page where commenters change their own comment (see comments.editing); 403, saying why, for anyone
    else, after ``COMMENTS_EDIT_MINUTES``, or for a comment no longer shown."""

    def dispatch(self, request, comment_id):
        try:
            self.comment = editing.own_comment(request, comment_id)
        except editing.NotAllowed as refusal:
            return self.locked(refusal.reason, refusal.article)
        return super().dispatch(request, comment_id)

    def locked(self, reason, article=None):
        context = {"reason": reason, "article": article}
        return TemplateResponse(self.request, "comments/comment_locked.html", context, status=403)

    def show(self, status=200, **context):
        return self.render_to_response(self.get_context_data(comment=self.comment, **context), status=status)

    def link(self, name):
        """The address of this comment's page ``name``, with the signed token this page was opened with."""
        return editing.with_token(reverse(name, args=[self.comment.pk]), self.request.GET.get(editing.TOKEN_PARAMETER))


class EditCommentView(OwnCommentView):
    """Its form with the comment's text (GET); the text saved and moderated again (POST)."""

    template_name = "comments/comment_edit.html"

    def get(self, request, comment_id):
        return self.show(form=CommentEditForm(initial={"comment": self.comment.body}))

    def post(self, request, comment_id):
        form = CommentEditForm(data=request.POST)
        if has_undecodable_text(request):
            message = _("Your comment contains characters that could not be read. Please check it and save it again.")
            return self.form_refused(form, message, 400)
        if not form.is_valid():
            return self.form_refused(form, None, 400)
        was_approved = self.comment.status == Comment.Status.APPROVED
        try:
            editing.refuse_too_many(request)
            moderation.revise(self.comment, form.cleaned_data["comment"])
        except moderation.CommentRefused as refusal:
            return self.form_refused(form, refusal.message, refusal.status)
        visitor.remember_posted(request, self.comment)
        if was_approved and self.comment.is_pending:
            return self.show(held=True)
        return redirect(self.comment)

    def form_refused(self, form, message, status):
        """The form again, with what was typed and what was wrong with it."""
        if message:
            form.add_error(None, message)
        return self.show(form=form, status=status)

    def get_context_data(self, **kwargs):
        return super().get_context_data(delete_url=self.link("comments:delete"), **kwargs)


class DeleteCommentView(OwnCommentView):
    """A confirmation (GET); the comment moved to the trash (POST)."""

    template_name = "comments/comment_delete.html"

    def get(self, request, comment_id):
        return self.show()

    def post(self, request, comment_id):
        try:
            editing.refuse_too_many(request)
        except moderation.CommentRefused as refusal:
            return self.show(error=refusal.message, status=refusal.status)
        editing.withdraw(self.comment)
        return self.show(done=True)
