"""Posting a comment: form, moderation, save, redirect to the comment; on refusal the article page again."""

from django.core.exceptions import ValidationError
from django.core.validators import validate_ipv46_address
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.views import View

from articles.models import Article
from articles.views import ArticleDetailView
from comments import moderation, visitor
from comments.forms import CommentForm


def client_details(request):
    """The poster's IP address (None if the server did not give a valid one) and user agent."""
    ip_address = request.META.get("REMOTE_ADDR")
    try:
        validate_ipv46_address(ip_address)
    except ValidationError:
        ip_address = None
    user_agent = request.META.get("HTTP_USER_AGENT", "").replace("\x00", "")[:255]
    return {"ip_address": ip_address, "user_agent": user_agent}


class CommentPostView(View):
    http_method_names = ["post"]

    def post(self, request, article_id):
        article = get_object_or_404(Article.objects.published().select_related("author"), pk=article_id)
        form = CommentForm(article, data=request.POST)
        if not moderation.comments_are_open(article):
            return self.refuse(article, form, status=403)
        if not form.is_valid():
            return self.refuse(article, form, status=400)
        comment = moderation.receive(form.build_comment(**client_details(request)), request.build_absolute_uri("/"))
        visitor.remember_posted(request, comment)
        visitor.remember_details(request, form.cleaned_data)
        return redirect(f"{article.get_absolute_url()}#{comment.anchor}")

    def refuse(self, article, form, status):
        """The article page again, with the form as it was sent and what was wrong with it."""
        page = ArticleDetailView()
        page.setup(self.request)
        page.object = article
        context = page.get_context_data(object=article, comment_form=form)
        return TemplateResponse(self.request, page.get_template_names(), context, status=status)
