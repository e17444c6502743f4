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

    The article is matched on its slug (made from the title), so importing the same page again updates
    it. Without ``published_at`` a new article is dated now and an existing one keeps its date.
    """
    page = parse_page(text)
    author = find_or_create_author(page.author_name, page.author_email)
    fields = {
        "title": page.title,
        "author": author,
        "body": "\n\n".join(page.paragraphs),
        "view_count": page.view_count,
        "status": status,
    }
    if published_at:
        fields["published_at"] = published_at
    article, created = Article.objects.update_or_create(
        slug=slugify(page.title), defaults=fields, create_defaults={"published_at": timezone.now(), **fields}
    )
    record_revision(article, "Imported from a saved page.")
    forget_counted_views(article.pk)
    return article, created


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
