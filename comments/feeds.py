"""An article's approved comments as RSS 2.0 and Atom: names and text, never an email."""

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _

from articles.feeds import FEED_LENGTH, AtomFeed
from articles.models import Article
from comments.models import Comment


class ArticleCommentsFeed(Feed):
    def get_object(self, request, article_id):
        return get_object_or_404(Article.objects.published(), pk=article_id)

    def items(self, article):
        comments = list(
            Comment.objects.approved()
            .filter(article=article)
            .select_related("article")
            .order_by("-created_at", "-pk")[:FEED_LENGTH]
        )
        links = Comment.objects.permalinks(article, comments)
        for comment in comments:
            comment.link = links[comment.pk]
        return comments

    def item_link(self, comment):
        """The comment on its comment page."""
        return comment.link

    def title(self, article):
        return _("Comments on “%(title)s” – %(site)s") % {"title": article.title, "site": settings.SITE_NAME}

    def link(self, article):
        return f"{article.get_absolute_url()}#comments"

    def description(self, article):
        return _("The latest readers' comments on “%(title)s”.") % {"title": article.title}

    def item_title(self, comment):
        return _("By %(author)s") % {"author": comment.author}

    def item_description(self, comment):
        return comment.body_html

    def item_author_name(self, comment):
        return comment.author

    def item_pubdate(self, comment):
        return comment.created_at

    def item_updateddate(self, comment):
        """When its author last edited it (Atom's ``updated``), else when it was posted."""
        return comment.edited_at or comment.created_at


class ArticleCommentsAtomFeed(AtomFeed, ArticleCommentsFeed):
    pass
