"""Searching the published articles.

Queries are written as on the web, with the same meaning on every database: words (all must match),
``"exact phrases"``, ``or`` between two of them, and ``-word`` or ``-"phrase"`` for what must not be in
the article. A query with a clause of exclusions alone finds nothing, so it never scans the archive.

On PostgreSQL, full-text search: the weighted document of ``articles.models.search_vector``, which each
article stores (``search_document``, served by a GIN index), best rank first, with a highlighted excerpt
of the body; only the ``MAX_RANKED`` newest matches are ranked. On other databases, a simple fallback:
articles whose title, standfirst or body contains the words, newest first. Both look only at the words a
reader sees of a body (``Article.body_text``): never inside HTML comments, scripts or styles.
"""

import re
from dataclasses import dataclass

import nh3
from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank
from django.db import connections
from django.db.models import F, Q
from django.utils.safestring import mark_safe

from articles.models import SEARCH_CONFIG, Article

MAX_QUERY_LENGTH = 200
MAX_FALLBACK_WORDS = 10
# Full-text search ranks the newest matches only, at most this many, so that its cost stays bounded:
# a word found in most of the archive costs no more.
MAX_RANKED = 500
# Private-use characters that PostgreSQL puts around each match in the headline: they survive
# escaping untouched and are then swapped for <mark> tags.
MATCH_START = "\ue000"
MATCH_END = "\ue001"
WORD = re.compile(r"\w+")
TERM = re.compile(r'(-?)(?:"([^"]*)"?|(\S+))')


@dataclass
class Term:
    """A word or a quoted phrase of a query; ``excluded`` when it came after a ``-``."""

    text: str
    excluded: bool = False
    phrase: bool = False

    def matches(self):
        """A filter for articles containing the term: a phrase as typed, a word's every part."""
        parts = [" ".join(WORD.findall(self.text))] if self.phrase else WORD.findall(self.text)
        condition = Q()
        for part in parts:
            condition &= Q(title__icontains=part) | Q(standfirst__icontains=part) | Q(body_text__icontains=part)
        return condition


def parse_query(query):
    """The query's clauses, as in PostgreSQL's ``websearch_to_tsquery``: an article matches when it matches
    every term of one clause (``or`` separates clauses, and binds less tightly than the implied "and")."""
    clauses, clause = [], []
    for match in TERM.finditer(query):
        minus, phrase, word = match.groups()
        text = phrase if phrase is not None else word
        if phrase is None and not minus and text.lower() == "or":
            if clause:
                clauses.append(clause)
            clause = []
        elif WORD.search(text):
            clause.append(Term(text, excluded=bool(minus), phrase=phrase is not None))
    if clause:
        clauses.append(clause)
    return clauses


def has_something_to_find(clauses):
    """Whether every clause holds a word that is not excluded: a clause of exclusions alone matches almost
    every article, so such a query is not searched."""
    return bool(clauses) and all(any(not term.excluded for term in clause) for clause in clauses)


def clean_query(text):
    """The query as searched and shown again in the box: single-spaced, without NUL bytes, length capped."""
    return " ".join(text.replace("\x00", " ").split())[:MAX_QUERY_LENGTH].strip()


def search(text):
    """Published articles matching the query text; none when it holds no word to look for."""
    query = clean_query(text)
    articles = Article.objects.published().with_bylines().select_related("section", "lead_image")
    clauses = parse_query(query)
    if not has_something_to_find(clauses):
        return articles.none()
    if connections[articles.db].vendor == "postgresql":
        return full_text_search(articles, query)
    return contains_terms(articles, clauses)


def full_text_search(articles, query):
    """The matching articles, best rank first, among the newest ``MAX_RANKED`` matches.

    Matching and ranking read each article's stored document, and only the page's articles get a headline
    (cut from their text), so the cost stays bounded whatever the size of the archive.
    """
    search_query = SearchQuery(query, search_type="websearch", config=SEARCH_CONFIG)
    newest = articles.filter(search_document=search_query).order_by("-published_at", "-pk").values("pk")[:MAX_RANKED]
    return (
        articles.filter(pk__in=newest)
        .annotate(
            rank=SearchRank(F("search_document"), search_query),
            headline=SearchHeadline(
                "body_text",
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


def contains_terms(articles, clauses):
    """Articles matching every term of one of the clauses (``MAX_FALLBACK_WORDS`` terms at most)."""
    any_clause = Q()
    for clause in clauses[:MAX_FALLBACK_WORDS]:
        every_term = Q()
        for term in clause[:MAX_FALLBACK_WORDS]:
            every_term &= ~term.matches() if term.excluded else term.matches()
        any_clause |= every_term
    return articles.filter(any_clause)


def highlight(headline):
    """A search headline as safe HTML: plain text with each match in ``<mark>``.

    The headline is cut from a body's visible text, which may still read like markup (an article about
    ``<script>`` tags); an HTML5 parser (nh3) turns whatever it holds into escaped text, and a second pass
    keeps the marks balanced.
    """
    text = " ".join(nh3.clean(headline, tags=set(), clean_content_tags=set()).split())
    marked = text.replace(MATCH_START, "<mark>").replace(MATCH_END, "</mark>")
    return mark_safe(nh3.clean(marked, tags={"mark"}, attributes={}))  # noqa: S308 - sanitised just now
