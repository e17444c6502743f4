"""Fixtures shared by every app's tests: small factories for authors, articles and comments."""

from datetime import timedelta
from itertools import count

import pytest
from django.utils import timezone

from articles.models import Article, Author
from comments.models import Comment

_sequence = count(1)


@pytest.fixture
def make_author(db):
    def make(**fields):
        number = next(_sequence)
        fields.setdefault("name", f"Author {number}")
        fields.setdefault("slug", f"author-{number}")
        fields.setdefault("email", f"author{number}@newsroom.example")
        return Author.objects.create(**fields)

    return make


@pytest.fixture
def make_article(db, make_author):
    """A published article from yesterday unless told otherwise."""

    def make(**fields):
        number = next(_sequence)
        fields.setdefault("title", f"Article number {number}")
        fields.setdefault("slug", f"article-number-{number}")
        fields.setdefault("body", f"The body of article {number}.")
        fields.setdefault("status", Article.Status.PUBLISHED)
        fields.setdefault("published_at", timezone.now() - timedelta(days=1))
        if "author" not in fields:
            fields["author"] = make_author()
        return Article.objects.create(**fields)

    return make


@pytest.fixture
def article(make_article):
    return make_article()


@pytest.fixture
def make_comment(db, article):
    """An approved comment on the ``article`` fixture unless told otherwise."""

    def make(**fields):
        number = next(_sequence)
        fields.setdefault("article", article)
        fields.setdefault("author", f"Reader {number}")
        fields.setdefault("email", f"reader{number}@readers.example")
        fields.setdefault("body", f"Comment number {number}.")
        fields.setdefault("status", Comment.Status.APPROVED)
        return Comment.objects.create(**fields)

    return make
