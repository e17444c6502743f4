"""Fixtures shared by every app's tests: small factories for authors, sections, tags and articles."""

from datetime import timedelta
from itertools import count

import pytest
from django.utils import timezone

from articles.models import Article, Author, Section, Tag

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
def make_section(db):
    def make(**fields):
        number = next(_sequence)
        fields.setdefault("name", f"Section {number}")
        fields.setdefault("slug", f"section-{number}")
        return Section.objects.create(**fields)

    return make


@pytest.fixture
def make_tag(db):
    def make(**fields):
        number = next(_sequence)
        fields.setdefault("name", f"Tag {number}")
        fields.setdefault("slug", f"tag-{number}")
        return Tag.objects.create(**fields)

    return make


@pytest.fixture
def make_article(db, make_author):
    """A published article from yesterday unless told otherwise; ``tags`` may list Tag objects."""

    def make(*, tags=(), **fields):
        number = next(_sequence)
        fields.setdefault("title", f"Article number {number}")
        fields.setdefault("slug", f"article-number-{number}")
        fields.setdefault("body", f"The body of article {number}.")
        fields.setdefault("status", Article.Status.PUBLISHED)
        fields.setdefault("published_at", timezone.now() - timedelta(days=1))
        if "author" not in fields:
            fields["author"] = make_author()
        article = Article.objects.create(**fields)
        article.tags.set(tags)
        return article

    return make


@pytest.fixture
def article(make_article):
    return make_article()
