"""Posting a comment: form, moderation, save, redirect to the comment; on refusal the article page again.

The form posts to the article's own address (``ArticleDetailView.post`` hands it here), so that a refused
comment is shown again, with everything typed, at the address of the article; ``/comments/post/<id>/``
takes the same posts.
"""

from urllib.parse import parse_qsl

from django.conf import settings
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views import View

from articles.models import Article
from articles.rendering import render_article
from comments import moderation, visitor
from comments.forms import CommentForm


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
        visitor.remember_posted(request, comment)
        visitor.remember_details(request, form.cleaned_data)
        return redirect(comment)

    def refuse(self, article, form, status, message=None):
        """The article page again, with the form as it was sent and what was wrong with it."""
        if message:
            form.add_error(None, message)
        return render_article(self.request, article, status=status, comment_form=form)
