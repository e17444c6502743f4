"""Test code shared by the articles tests."""

from datetime import timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles.models import Article


def article_form_data(author, **changes):
    """What the article add form posts for a draft, with ``changes``."""
    published_at = timezone.localtime() - timedelta(hours=1)
    return {
        "title": "Otters return to the river",
        "slug": "otters-return-to-the-river",
        "author": author.pk,
        "section": "",
        "standfirst": "",
        "body": "The otters are back.\n\nThey were last seen here in 1962.",
        "status": Article.Status.DRAFT,
        "published_at_0": published_at.strftime("%Y-%m-%d"),
        "published_at_1": published_at.strftime("%H:%M:%S"),
        "comments_open": "on",
        "comments-TOTAL_FORMS": "0",
        "comments-INITIAL_FORMS": "0",
        "article_authors-TOTAL_FORMS": "0",
        "article_authors-INITIAL_FORMS": "0",
        "notes-TOTAL_FORMS": "0",
        "notes-INITIAL_FORMS": "0",
        **changes,
    }


def queries_to_get(client, url):
    """How many database queries a GET of ``url`` runs (it must answer 200)."""
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)
