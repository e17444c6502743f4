"""Bringing articles in from elsewhere.

``import_page`` reads an article saved as plain text from a web page: its title on the first line,
an optional "N Views" line, the body's paragraphs, then the byline's name and email; WordPress's
trailing comment-form boilerplate ("Leave a Reply" and what follows) is dropped.
"""

import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from articles.counting import forget_counted_views
from articles.models import Article, Author, record_revision

VIEWS_LINE = re.compile(r"^([\d,]+) Views?$")
BOILERPLATE_START = "Leave a Reply"


class PageFormatError(ValueError):
    """The text does not have the shape of a saved article page."""


class PageConflictError(ValueError):
    """Another article already has the page's slug, and no date says which one the page is."""


@dataclass
class SavedPage:
    title: str
    view_count: int
    paragraphs: list
    author_name: str
    author_email: str


def is_email(text):
    try:
        validate_email(text)
    except ValidationError:
        return False
    return True


def parse_page(text):
    """Split a saved article page into its parts."""
    blocks = [block.strip() for block in re.split(r"\n\s*\n", text.replace("\r\n", "\n").strip())]
    blocks = [block for block in blocks if block]
    if BOILERPLATE_START in blocks:
        blocks = blocks[: blocks.index(BOILERPLATE_START)]
    if not blocks:
        raise PageFormatError("The page is empty: expected a title on its first line.")
    title, *rest = blocks
    if "\n" in title or len(title) > Article._meta.get_field("title").max_length:
        raise PageFormatError("The first line must be the title (at most 255 characters), then a blank line.")
    view_count = 0
    if rest and (views := VIEWS_LINE.match(rest[0])):
        view_count = int(views.group(1).replace(",", ""))
        rest = rest[1:]
    if not rest:
        raise PageFormatError("The page has a title but no body and no byline.")
    byline = rest.pop().splitlines()
    if len(byline) != 2 or not is_email(byline[1].strip()):
        raise PageFormatError(
            "The page must end with the byline: the author's name, then their email on the next line."
        )
    if not rest:
        raise PageFormatError("The page has no body paragraphs between the title and the byline.")
    return SavedPage(title, view_count, rest, byline[0].strip(), byline[1].strip())


@transaction.atomic
def import_page(text, published_at=None, status=Article.Status.PUBLISHED):
    """Create or update the article a saved page holds; return ``(article, created)``.

    An article's address is its date and slug, so the page updates the article with its slug (made from
    the title) on the day of ``published_at`` (dating it ``published_at``), or else becomes a new article.
    Without ``published_at`` the page is a new article dated now; if an article with its slug already
    exists, ``PageConflictError`` says which, and nothing changes: another day's page with the same title
    never overwrites a different article.
    """
    page = parse_page(text)
    slug = slugify(page.title)
    if published_at is None:
        existing = Article.objects.filter(slug=slug).order_by("published_at").first()
        if existing is not None:
            day = timezone.localdate(existing.published_at).isoformat()
            raise PageConflictError(
                f"An article with the slug “{slug}” already exists, published on {day} "
                f"({existing.get_absolute_url()}). Give --date {day} to update it, or another date "
                "to import this page as a new article."
            )
        article = None
    else:
        article = Article.objects.filter(slug=slug, published_at__date=timezone.localdate(published_at)).first()
    author = find_or_create_author(page.author_name, page.author_email)
    fields = {
        "title": page.title,
        "author": author,
        "body": "\n\n".join(page.paragraphs),
        "view_count": page.view_count,
        "status": status,
    }
    if article is None:
        article = Article.objects.create(slug=slug, published_at=published_at or timezone.now(), **fields)
        record_revision(article, "Imported from a saved page.")
        return article, True
    for name, value in {**fields, "published_at": published_at}.items():
        setattr(article, name, value)
    article.save()
    record_revision(article, "Imported from a saved page.")
    forget_counted_views(article.pk)
    return article, False


def find_or_create_author(name, email):
    """The author with this email, else with this name, else a new one."""
    author = Author.objects.filter(email__iexact=email).first() or Author.objects.filter(name=name).first()
    if author is None:
        author = Author.objects.create(name=name, slug=unique_slug(Author, name), email=email)
    return author


def unique_slug(model, name):
    """A slug made from ``name`` that no row of ``model`` has yet (``author-2``, ``author-3``… if taken)."""
    max_length = model._meta.get_field("slug").max_length - 10
    base = slugify(name)[:max_length].strip("-") or model._meta.model_name
    slug, number = base, 1
    while model.objects.filter(slug=slug).exists():
        number += 1
        slug = f"{base}-{number}"
    return slug
