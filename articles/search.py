"""Searching the published articles.

On PostgreSQL, full-text search: the weighted document of ``articles.models.search_vector`` (served by
the ``article_search`` GIN index) matched against a web-search style query (``"exact phrase"``, ``or``,
``-word``), best rank first, with a highlighted excerpt of the body. On other databases, a simple
fallback: articles whose title, standfirst or body contains every word of the query, newest first.
"""

import re

import nh3
from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank
from django.db import connections
from django.db.models import Q
from django.utils.safestring import mark_safe

from articles.models import SEARCH_CONFIG, Article, search_vector

MAX_QUERY_LENGTH = 200
MAX_FALLBACK_WORDS = 10
# Private-use characters that PostgreSQL puts around each match in the headline: they survive
# escaping untouched and are then swapped for <mark> tags.
MATCH_START = "\ue000"
MATCH_END = "\ue001"
WORD = re.compile(r"\w+")


def clean_query(text):
    """The query as searched and shown again in the box: single-spaced, without NUL bytes, length capped."""
    return " ".join(text.replace("\x00", " ").split())[:MAX_QUERY_LENGTH].strip()


def search(text):
    """Published articles matching the query text; none when it holds no word to look for."""
    query = clean_query(text)
    articles = Article.objects.published().select_related("author", "section", "lead_image")
    if not WORD.search(query):
        return articles.none()
    if connections[articles.db].vendor == "postgresql":
        return full_text_search(articles, query)
    return contains_every_word(articles, query)


def full_text_search(articles, query):
    search_query = SearchQuery(query, search_type="websearch", config=SEARCH_CONFIG)
    return (
        articles.annotate(document=search_vector())
        .filter(document=search_query)
        .annotate(
            rank=SearchRank(search_vector(), search_query),
            headline=SearchHeadline(
                "body",
                search_query,
                config=SEARCH_CONFIG,
                start_sel=MATCH_START,
                stop_sel=MATCH_END,
                max_words=40,
                min_words=20,
            ),
        )
        .order_by("-rank", "-published_at", "-pk")
    )


def contains_every_word(articles, query):
    for word in WORD.findall(query)[:MAX_FALLBACK_WORDS]:
        articles = articles.filter(Q(title__icontains=word) | Q(standfirst__icontains=word) | Q(body__icontains=word))
    return articles


def highlight(headline):
    """A search headline as safe HTML: plain text with each match in ``<mark>``.

    The headline is cut from a body's raw HTML, so it may hold any broken markup; an HTML5 parser (nh3)
    turns it into escaped text, and a second pass keeps the marks balanced.
    """
    text = " ".join(nh3.clean(headline, tags=set(), clean_content_tags=set()).split())
    marked = text.replace(MATCH_START, "<mark>").replace(MATCH_END, "</mark>")
    return mark_safe(nh3.clean(marked, tags={"mark"}, attributes={}))  # noqa: S308 - sanitised just now
