"""Counting article views.

Each counted view is one atomic ``UPDATE ... SET view_count = view_count + 1`` in the database, so
readers arriving at the same moment never overwrite each other's view.
"""

from django.db.models import F

from articles.models import Article


def count_view(article):
    """Add one view to the article, in the database and on the instance the page is showing."""
    Article.objects.filter(pk=article.pk).update(view_count=F("view_count") + 1)
    article.view_count += 1
