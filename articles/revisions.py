"""What changed between two revisions of an article, field by field, for editors.

Revisions are kept by django-reversion (registered in ``articles.models``). A revision of an article
holds the article and its co-author rows; ``compare`` reads two of them back and lists the fields that
differ: text fields as a word-by-word diff (``difflib``), the others as their value before and after.
"""

import difflib
import re
from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from articles.models import Article, ArticleAuthor, Author, Section, Tag

TEXT_FIELDS = ["title", "slug", "standfirst", "body"]
OTHER_FIELDS = ["author", "coauthors", "section", "tags", "status", "published_at", "comments_open"]
PARAGRAPH_BREAK = re.compile(r"\n\s*")  # the blocks the editor stores, one a line, or blank-line paragraphs
TOKENS = re.compile(r"\s+|[^\s]+")


@dataclass
class Change:
    """A field that differs: ``paragraphs`` (lists of ``(kind, text)``, kind "equal", "delete" or "insert")
    for a text field, ``before`` and ``after`` for the others. ``unchanged_paragraphs`` counts the
    paragraphs of a long text left out because they are the same in both."""

    label: str
    before: str = ""
    after: str = ""
    paragraphs: list = field(default_factory=list)
    unchanged_paragraphs: int = 0


def compare(old_version, new_version):
    """The changes from ``old_version`` to ``new_version`` (two ``reversion`` versions of one article)."""
    old, new = article_state(old_version), article_state(new_version)
    changes = []
    for name in TEXT_FIELDS:
        if old[name] != new[name]:
            changes.append(text_change(label(name), old[name], new[name]))
    names = Names(old, new)
    for name in OTHER_FIELDS:
        if old[name] != new[name]:
            changes.append(Change(label(name), before=names.show(name, old[name]), after=names.show(name, new[name])))
    return changes


def label(name):
    if name == "coauthors":
        return ArticleAuthor._meta.verbose_name_plural.capitalize()
    return Article._meta.get_field(name).verbose_name.capitalize()


def article_state(version):
    """The article's editable fields in this version, with its co-authors' ids in byline order (and the
    line breaks of texts as one character, whether they came from a browser's form or not)."""
    data = version.field_dict
    coauthor_type = ContentType.objects.get_for_model(ArticleAuthor)
    coauthors = sorted(
        (other.field_dict for other in version.revision.version_set.filter(content_type=coauthor_type)),
        key=lambda row: (row["position"], row["id"]),
    )
    return {
        **{name: (data[name] or "").replace("\r\n", "\n") for name in TEXT_FIELDS},
        "author": data["author_id"],
        "coauthors": [row["author_id"] for row in coauthors if row["article_id"] == data["id"]],
        "section": data["section_id"],
        "tags": sorted(data.get("tags", [])),
        "status": data["status"],
        "published_at": data["published_at"].replace(microsecond=0),  # the admin's form keeps whole seconds
        "comments_open": data["comments_open"],
    }


class Names:
    """Shows ids as the names of what they point to, looked up once for both versions."""

    def __init__(self, *states):
        author_ids = {author for state in states for author in [state["author"], *state["coauthors"]]}
        self.authors = dict(Author.objects.filter(pk__in=author_ids).values_list("pk", "name"))
        self.sections = dict(Section.objects.filter(pk__in={s["section"] for s in states}).values_list("pk", "name"))
        tag_ids = {tag for state in states for tag in state["tags"]}
        self.tags = dict(Tag.objects.filter(pk__in=tag_ids).values_list("pk", "name"))

    def show(self, name, value):
        if name in ("author", "coauthors"):
            authors = value if name == "coauthors" else [value]
            return ", ".join(self.authors.get(pk, _("a deleted author")) for pk in authors) or _("none")
        if name == "section":
            return self.sections.get(value, _("a deleted section")) if value else _("none")
        if name == "tags":
            return ", ".join(sorted(self.tags.get(pk, _("a deleted tag")) for pk in value)) or _("none")
        if name == "status":
            return Article.Status(value).label
        if name == "published_at":
            return date_format(timezone.localtime(value), "Y-m-d H:i:s")
        return _("yes") if value else _("no")


def text_change(label, old, new):
    """A word-by-word diff of two texts, paragraph by paragraph; paragraphs the same in both are left out."""
    old_paragraphs, new_paragraphs = PARAGRAPH_BREAK.split(old.strip()), PARAGRAPH_BREAK.split(new.strip())
    change = Change(label)
    matcher = difflib.SequenceMatcher(None, old_paragraphs, new_paragraphs, autojunk=False)
    for operation, old_start, old_end, new_start, new_end in matcher.get_opcodes():
        if operation == "equal":
            change.unchanged_paragraphs += old_end - old_start
            continue
        removed = old_paragraphs[old_start:old_end]
        added = new_paragraphs[new_start:new_end]
        if operation == "replace" and len(removed) == len(added):
            change.paragraphs.extend(word_diff(before, after) for before, after in zip(removed, added, strict=True))
        else:
            change.paragraphs.extend([("delete", paragraph)] for paragraph in removed)
            change.paragraphs.extend([("insert", paragraph)] for paragraph in added)
    return change


def word_diff(old, new):
    """``old`` turned into ``new`` as runs of ``(kind, text)``: equal, deleted and inserted words."""
    old_tokens, new_tokens = TOKENS.findall(old), TOKENS.findall(new)
    runs = []
    matcher = difflib.SequenceMatcher(None, old_tokens, new_tokens, autojunk=False)
    for operation, old_start, old_end, new_start, new_end in matcher.get_opcodes():
        if operation == "equal":
            runs.append(("equal", "".join(old_tokens[old_start:old_end])))
            continue
        if old_end > old_start:
            runs.append(("delete", "".join(old_tokens[old_start:old_end])))
        if new_end > new_start:
            runs.append(("insert", "".join(new_tokens[new_start:new_end])))
    return runs
