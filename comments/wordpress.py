"""Importing a WordPress export: the WXR file (1.0, 1.1 or 1.2) that WordPress's Tools → Export writes.

Posts become articles: their author becomes an author, their first category the article's section and
any further categories, with their tags, the article's tags. Their comments keep their status, threading,
date, name, email, website and IP address. View counts come from the ``views`` or ``post_views_count``
post meta. A password-protected post (``wp:post_password`` set) becomes a draft, since the site has no
passwords for articles: an editor decides whether to publish it. Pages, attachments, menu items and
other kinds of item are skipped, as are pingbacks and trackbacks. Bodies pass through the articles'
HTML sanitiser (``articles.html.sanitize``), which also drops the block editor's ``<!-- wp:… -->``
markers; excerpts and comments are kept as plain text.

A post's featured image (its ``_thumbnail_id`` post meta, naming an attachment item of the export)
becomes the article's lead image when the attachment's file can be read: ``media_dir`` is a copy of the
site's ``wp-content/uploads`` folder, where ``…/wp-content/uploads/2024/07/photo.jpg`` is
``media_dir/2024/07/photo.jpg``. Nothing is fetched over the network. The file passes the image library's
checks (``images.processing``); the attachment's alt text (else its title) and caption come with it. The
featured images that could not be imported are listed with the reason.

Each article, comment and author remembers its WordPress id (or login), so importing the same export
again updates what the first import created instead of duplicating it; an image already in the library
(the same picture) is reused.

The file is read as a stream (``iterparse``): each ``<item>`` is imported and then dropped, so memory
stays flat however large the export. The whole import is one transaction: a file found malformed or
truncated, even at its very end, leaves nothing behind in the database (image files already stored stay,
unused). Articles and comments are written with queryset operations, so the page cache is invalidated
once, when the import commits.

It lives in ``comments`` because it writes both articles and comments: ``comments`` depends on
``articles``, never the reverse.
"""

import ipaddress
import re
from dataclasses import dataclass, field
from datetime import datetime
from datetime import timezone as dt_timezone
from functools import lru_cache
from html import unescape
from pathlib import Path
from urllib.parse import unquote, urlsplit
from xml.etree.ElementTree import ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import iterparse
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.text import slugify

from articles.counting import forget_counted_views
from articles.html import sanitize, visible_text
from articles.importing import unique_slug
from articles.models import Article, Author, Section, Tag, record_revision
from comments.models import Comment, store_comment_counts
from images.models import Image
from pagecache.signals import pages_changed

WORDPRESS_NAMESPACE = re.compile(r"^https?://wordpress\.org/export/\d+\.\d+/(excerpt/)?$")
OTHER_NAMESPACES = {
    "http://purl.org/rss/1.0/modules/content/": "content",
    "http://purl.org/dc/elements/1.1/": "dc",
}
WORDPRESS_DATE = "%Y-%m-%d %H:%M:%S"
IMPORT_REVISION_COMMENT = "Imported from WordPress."
BLANK_LINE_RUNS = re.compile(r"\n[ \t]*(?:\n[ \t]*)+")

ARTICLE_STATUS = {
    "publish": Article.Status.PUBLISHED,
    "future": Article.Status.PUBLISHED,  # published with a date to come: scheduled
    "draft": Article.Status.DRAFT,
    "pending": Article.Status.REVIEW,
    "private": Article.Status.DRAFT,
}
COMMENT_STATUS = {
    "1": Comment.Status.APPROVED,
    "0": Comment.Status.PENDING,
    "spam": Comment.Status.SPAM,
    "trash": Comment.Status.TRASH,
    "post-trashed": Comment.Status.TRASH,
}
COMMENT_TYPES = {"", "comment"}  # not "pingback" nor "trackback"
VIEW_COUNT_KEYS = ("views", "post_views_count")
UNTITLED = "(no title)"
ANONYMOUS = "Anonymous"
COMMENT_FIELDS = ["article", "author", "email", "url", "ip_address", "body", "status", "created_at", "parent"]


class WXRError(ValueError):
    """The file is not a complete, well-formed WordPress export."""


@dataclass
class ImportCounts:
    items: int = 0
    articles_created: int = 0
    articles_updated: int = 0
    password_protected: int = 0
    items_skipped: int = 0
    comments_created: int = 0
    comments_updated: int = 0
    comments_skipped: int = 0
    authors_created: int = 0
    sections_created: int = 0
    tags_created: int = 0
    images_imported: int = 0
    images_not_imported: list = field(default_factory=list)  # why, for each featured image not imported

    def progress(self):
        return (
            f"{self.items:,} items read: {self.articles_created + self.articles_updated:,} articles, "
            f"{self.comments_created + self.comments_updated:,} comments"
        )

    def summary(self):
        protected = (
            f"{self.password_protected:,} password-protected posts imported as drafts, not published; "
            if self.password_protected
            else ""
        )
        images = self.images_imported + len(self.images_not_imported)
        return (
            f"Created {self.articles_created:,} articles, updated {self.articles_updated:,}, "
            f"skipped {self.items_skipped:,} (pages, attachments and other items that are not posts); {protected}"
            f"created {self.comments_created:,} comments, updated {self.comments_updated:,}, "
            f"skipped {self.comments_skipped:,} (pingbacks and trackbacks); "
            f"new: {self.authors_created:,} authors, {self.sections_created:,} sections, {self.tags_created:,} tags."
        ) + (
            f" Featured images: {self.images_imported:,} imported, {len(self.images_not_imported):,} not."
            if images
            else ""
        )


@lru_cache(maxsize=512)
def short_name(tag):
    """An element's name with the usual WXR prefix: ``{https://wordpress.org/export/1.2/}post_id`` -> ``wp:post_id``.

    Exports name their namespaces by version and with http or https; every variant gets the same prefix.
    """
    if not tag.startswith("{"):
        return tag
    uri, local = tag[1:].split("}", 1)
    if wordpress := WORDPRESS_NAMESPACE.match(uri):
        return f"{'excerpt' if wordpress.group(1) else 'wp'}:{local}"
    prefix = OTHER_NAMESPACES.get(uri)
    return f"{prefix}:{local}" if prefix else tag


def child_texts(element):
    """The text of each child element, by short name (the first one wins)."""
    texts = {}
    for child in element:
        texts.setdefault(short_name(child.tag), (child.text or "").strip())
    return texts


@dataclass
class Term:
    slug: str
    name: str


@dataclass
class Post:
    """What the importer reads of one ``<item>``."""

    fields: dict
    categories: list
    tags: list
    meta: dict
    comments: list

    @classmethod
    def read(cls, item):
        post = cls(fields={}, categories=[], tags=[], meta={}, comments=[])
        for child in item:
            name = short_name(child.tag)
            if name == "category":
                term = Term(child.get("nicename") or "", (child.text or "").strip())
                {"category": post.categories, "post_tag": post.tags}.get(child.get("domain"), []).append(term)
            elif name == "wp:postmeta":
                meta = child_texts(child)
                post.meta.setdefault(meta.get("wp:meta_key", ""), meta.get("wp:meta_value", ""))
            elif name == "wp:comment":
                post.comments.append(child_texts(child))
            else:
                post.fields.setdefault(name, child.text or "")
        return post

    def text(self, name):
        return self.fields.get(name, "").strip()

    def view_count(self):
        """The views recorded by a view-counting plugin, or None."""
        counts = [int(self.meta[key]) for key in VIEW_COUNT_KEYS if self.meta.get(key, "").strip().isdecimal()]
        return max(counts, default=None)


def wordpress_date(gmt, local):
    """The moment of a WordPress date pair: the UTC one, else the local one in the site's time zone, else None.

    Drafts carry ``0000-00-00 00:00:00`` for dates not set yet.
    """
    for value, in_utc in ((gmt, True), (local, False)):
        try:
            moment = datetime.strptime(value.strip(), WORDPRESS_DATE)  # noqa: DTZ007 - the zone is set below
        except ValueError:
            continue
        return moment.replace(tzinfo=dt_timezone.utc) if in_utc else timezone.make_aware(moment)
    return None


def wordpress_id(text):
    return int(text) if text.isdecimal() and int(text) > 0 else None


def plain_text(html):
    """HTML as plain text: sanitised first, so no script's content survives, then without tags or entities."""
    if "<" not in html and "&" not in html:
        return html.strip()
    return unescape(strip_tags(sanitize(html))).strip()


def clip(text, field):
    return text[: field.max_length]


def web_address(url):
    """A commenter's website if it is an http or https address that fits, else empty."""
    url = url.strip()
    if len(url) > Comment._meta.get_field("url").max_length:
        return ""
    try:
        parts = urlsplit(url)
    except ValueError:
        return ""
    return url if parts.scheme.lower() in ("http", "https") and parts.netloc else ""


def ip_address(text):
    try:
        return str(ipaddress.ip_address(text.strip()))
    except ValueError:
        return None


@dataclass
class Attachment:
    url: str
    alt: str
    caption: str


UPLOADS_PATH = "/wp-content/uploads/"


def uploads_path(url):
    """Where an attachment's URL points inside the uploads folder: ``2024/07/photo.jpg``."""
    path = unquote(urlsplit(url).path)
    return path.split(UPLOADS_PATH, 1)[1] if UPLOADS_PATH in path else path.lstrip("/")


def term_slug(term):
    return slugify(unquote(term.slug)) or slugify(term.name)


class WXRImporter:
    """Imports one export; keeps the ids of the authors, sections and tags already met."""

    def __init__(self, on_progress=None, progress_every=1000, media_dir=None):
        self.counts = ImportCounts()
        self.media_dir = Path(media_dir).resolve() if media_dir else None
        self.attachments = {}  # attachment post id: Attachment
        self.featured = {}  # article id: (post id, attachment post id)
        self.on_progress = on_progress
        self.progress_every = progress_every
        self.author_names = {}
        self.author_ids = {}
        self.section_ids = {}
        self.tag_ids = {}
        self.commented_article_ids = set()  # whose comment counts the import may change

    def run(self, source):
        """Import the export at ``source`` (a path or a binary file); return the counts."""
        with transaction.atomic():
            self.read(source)
            store_comment_counts(self.commented_article_ids)
            self.import_featured_images()
            pages_changed.send(sender=Article, instances=None)
        return self.counts

    def read(self, source):
        channel = None
        version = None
        try:
            for event, element in iterparse(source, events=("start", "end")):
                name = short_name(element.tag)
                if event == "start":
                    if name == "channel" and channel is None:
                        channel = element
                elif name == "item":
                    self.import_item(Post.read(element))
                    element.clear()
                    if channel is not None:
                        channel.clear()  # drop the items already imported
                elif name == "wp:author":
                    author = child_texts(element)
                    self.author_names[author.get("wp:author_login", "")] = author.get("wp:author_display_name", "")
                elif name == "wp:wxr_version":
                    version = (element.text or "").strip()
        except ParseError as error:
            line, column = error.position
            reason = str(error).split(":")[0]
            raise WXRError(f"not well-formed XML at line {line}, column {column + 1} ({reason})") from error
        except DefusedXmlException as error:
            raise WXRError(f"it declares XML entities, which a WordPress export never does ({error})") from error
        if version is None:
            raise WXRError("not a WordPress export: it has no <wp:wxr_version>")

    def import_item(self, post):
        self.counts.items += 1
        status = ARTICLE_STATUS.get(post.text("wp:status"))
        post_id = wordpress_id(post.text("wp:post_id"))
        if post.text("wp:post_type") != "post" or status is None or post_id is None:
            self.counts.items_skipped += 1
            if post.text("wp:post_type") == "attachment" and post_id and post.text("wp:attachment_url"):
                self.attachments[post_id] = Attachment(
                    url=post.text("wp:attachment_url"),
                    alt=post.meta.get("_wp_attachment_image_alt", "").strip() or post.text("title"),
                    caption=plain_text(post.fields.get("excerpt:encoded", "")),
                )
        else:
            if post.text("wp:post_password"):
                status = Article.Status.DRAFT
                self.counts.password_protected += 1
            article_id = self.import_article(post, post_id, status)
            self.import_comments(article_id, post.comments)
            if thumbnail_id := wordpress_id(post.meta.get("_thumbnail_id", "").strip()):
                self.featured[article_id] = (post_id, thumbnail_id)
        if self.on_progress and self.counts.items % self.progress_every == 0:
            self.on_progress(self.counts)

    def import_article(self, post, post_id, status):
        published_at = (
            wordpress_date(post.text("wp:post_date_gmt"), post.text("wp:post_date"))
            or wordpress_date("", post.text("wp:post_modified"))
            or timezone.now()
        )
        title = clip(post.text("title"), Article._meta.get_field("title")) or UNTITLED
        fields = {
            "title": title,
            "slug": self.article_slug(post, post_id, title, published_at),
            "author_id": self.author_id(post.text("dc:creator")),
            "section_id": self.term_id(Section, self.section_ids, post.categories[0]) if post.categories else None,
            "standfirst": plain_text(post.fields.get("excerpt:encoded", "")),
            "body": (body := BLANK_LINE_RUNS.sub("\n\n", sanitize(post.fields.get("content:encoded", ""))).strip()),
            "body_text": visible_text(body),
            "status": status,
            "published_at": published_at,
            "comments_open": post.text("wp:comment_status") == "open",
        }
        if (view_count := post.view_count()) is not None:
            fields["view_count"] = view_count
        article_id = Article.objects.filter(wordpress_id=post_id).values_list("pk", flat=True).first()
        if article_id is None:
            article = Article(wordpress_id=post_id, **fields)
            Article.objects.bulk_create([article])
            article_id = article.pk
            self.counts.articles_created += 1
        else:
            Article.objects.filter(pk=article_id).update(updated_at=timezone.now(), **fields)
            forget_counted_views(article_id)
            self.counts.articles_updated += 1
        tag_ids = {self.term_id(Tag, self.tag_ids, term) for term in post.tags + post.categories[1:]}
        ArticleTag = Article.tags.through
        ArticleTag.objects.filter(article_id=article_id).exclude(tag_id__in=tag_ids).delete()
        ArticleTag.objects.bulk_create(
            [ArticleTag(article_id=article_id, tag_id=tag_id) for tag_id in tag_ids], ignore_conflicts=True
        )
        record_revision(Article.objects.get(pk=article_id), IMPORT_REVISION_COMMENT)
        return article_id

    def import_featured_images(self):
        """Give each article whose post had a featured image that image (the attachments may come after it)."""
        images = {}  # attachment post id: Image, or why it could not be imported
        for article_id, (post_id, attachment_id) in self.featured.items():
            if attachment_id not in images:
                images[attachment_id] = self.featured_image(attachment_id)
            image = images[attachment_id]
            if isinstance(image, Image):
                Article.objects.filter(pk=article_id).update(lead_image=image)
                self.counts.images_imported += 1
            else:
                self.counts.images_not_imported.append(f"post {post_id}: {image}")

    def featured_image(self, attachment_id):
        """The library image of an attachment, or why there is none."""
        attachment = self.attachments.get(attachment_id)
        if attachment is None:
            return f"its featured image (attachment {attachment_id}) is not in the export"
        if self.media_dir is None:
            return f"{attachment.url}: no uploads folder given (--media-dir)"
        path = (self.media_dir / uploads_path(attachment.url)).resolve()
        if not path.is_relative_to(self.media_dir) or not path.is_file():
            return f"{attachment.url}: no file {path}"
        alt = clip(attachment.alt, Image._meta.get_field("alt"))
        try:
            with path.open("rb") as file:
                image, _created = Image.objects.get_or_create_from_file(
                    file, path.name, alt=alt, caption=attachment.caption
                )
        except OSError as error:
            return f"{attachment.url}: cannot read {path} ({error.strerror})"
        except ValidationError as error:
            return f"{attachment.url}: {' '.join(error.messages)}"
        return image

    def article_slug(self, post, post_id, title, published_at):
        """The post's slug, made unique among the articles of its day (the slug's scope in addresses)."""
        slug = slugify(unquote(post.text("wp:post_name"))) or slugify(title) or f"post-{post_id}"
        slug = slug[: Article._meta.get_field("slug").max_length - 21].strip("-")
        same_day = Article.objects.filter(slug=slug, published_at__date=timezone.localdate(published_at))
        return f"{slug}-{post_id}" if same_day.exclude(wordpress_id=post_id).exists() else slug

    def author_id(self, login):
        """The author imported from this WordPress login; else an author of the same name; else a new one."""
        if login not in self.author_ids:
            name = clip(self.author_names.get(login) or login, Author._meta.get_field("name")) or "WordPress"
            author = (
                Author.objects.filter(wordpress_login=login).first()
                or Author.objects.filter(name=name, wordpress_login=None).first()
            )
            if author is None:
                author = Author.objects.create(name=name, slug=unique_slug(Author, name), wordpress_login=login)
                self.counts.authors_created += 1
            elif author.wordpress_login is None:
                Author.objects.filter(pk=author.pk).update(wordpress_login=login)
            self.author_ids[login] = author.pk
        return self.author_ids[login]

    def term_id(self, model, known_ids, term):
        """The section or tag of a WordPress category or tag: found by slug, else by name, else created."""
        slug = clip(term_slug(term), model._meta.get_field("slug"))
        name = clip(term.name or term.slug, model._meta.get_field("name"))
        key = slug or name
        if key not in known_ids:
            found = (slug and model.objects.filter(slug=slug).first()) or model.objects.filter(name=name).first()
            if found is None:
                found = model.objects.create(name=name, slug=slug or unique_slug(model, name))
                counter = "sections_created" if model is Section else "tags_created"
                setattr(self.counts, counter, getattr(self.counts, counter) + 1)
            known_ids[key] = found.pk
        return known_ids[key]

    def import_comments(self, article_id, comments):
        """Create or update the post's comments, threaded (a reply may come before its parent in the file)."""
        new, changed, parents = [], [], {}
        kept = [raw for raw in comments if raw.get("wp:comment_type", "") in COMMENT_TYPES]
        self.counts.comments_skipped += len(comments) - len(kept)
        ids = [wordpress_id(raw.get("wp:comment_id", "")) for raw in kept]
        existing = {}
        for comment_id, pk, former_article_id in Comment.objects.filter(
            wordpress_id__in=[i for i in ids if i]
        ).values_list("wordpress_id", "pk", "article_id"):
            existing[comment_id] = pk
            self.commented_article_ids.add(former_article_id)
        if kept:
            self.commented_article_ids.add(article_id)
        for raw, comment_id in zip(kept, ids, strict=True):
            if comment_id is None:
                self.counts.comments_skipped += 1
                continue
            comment = Comment(
                pk=existing.get(comment_id), article_id=article_id, wordpress_id=comment_id, **comment_fields(raw)
            )
            (changed if comment.pk else new).append(comment)
            parents[comment_id] = wordpress_id(raw.get("wp:comment_parent", ""))
        pks = {comment.wordpress_id: comment.pk for comment in changed}
        waiting = {comment.wordpress_id: comment for comment in new}
        while waiting:
            # New comments go in by generations, each once its parent has a primary key. A loop of
            # replies (a damaged export) has no generation ready: its comments go in unthreaded.
            generation = [comment for comment in waiting.values() if parents[comment.wordpress_id] not in waiting]
            generation = generation or list(waiting.values())
            for comment in generation:
                comment.parent_id = pks.get(parents[comment.wordpress_id])
            Comment.objects.bulk_create(generation)
            for comment in generation:
                pks[comment.wordpress_id] = comment.pk
                del waiting[comment.wordpress_id]
        for comment in changed:
            comment.parent_id = pks.get(parents[comment.wordpress_id])
        Comment.objects.bulk_update(changed, COMMENT_FIELDS)
        self.counts.comments_created += len(new)
        self.counts.comments_updated += len(changed)


def comment_fields(raw):
    """A comment's fields from its ``<wp:comment>`` element's texts."""
    email = raw.get("wp:comment_author_email", "")
    return {
        "author": clip(raw.get("wp:comment_author", ""), Comment._meta.get_field("author")) or ANONYMOUS,
        "email": email if len(email) <= Comment._meta.get_field("email").max_length else "",
        "url": web_address(raw.get("wp:comment_author_url", "")),
        "ip_address": ip_address(raw.get("wp:comment_author_IP", "")),
        "body": clip(plain_text(raw.get("wp:comment_content", "")), Comment._meta.get_field("body")),
        "status": COMMENT_STATUS.get(raw.get("wp:comment_approved", ""), Comment.Status.PENDING),
        "created_at": wordpress_date(raw.get("wp:comment_date_gmt", ""), raw.get("wp:comment_date", ""))
        or timezone.now(),
    }


def import_wxr(source, on_progress=None, progress_every=1000, media_dir=None):
    """Import a WordPress export (a path or a binary file); return its ``ImportCounts``.

    ``media_dir``: a copy of the site's uploads folder, to bring featured images in from.
    Raises ``WXRError`` for a file that is not a complete, well-formed export; nothing of it is kept then.
    """
    return WXRImporter(on_progress=on_progress, progress_every=progress_every, media_dir=media_dir).run(source)
