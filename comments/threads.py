"""Arranging an article's comments into threads and pages."""

from dataclasses import dataclass, field

from django.conf import settings
from django.core.paginator import Page, Paginator

from comments.html import fragment_version
from comments.models import Comment

# Like WordPress's setting, nesting stops at ten levels.
DEEPEST = 10


@dataclass
class ThreadNode:
    comment: object
    depth: int
    replies: list = field(default_factory=list)


def build_threads(comments, max_depth):
    """Nest comments (oldest first) under their parents, at most ``max_depth`` (1 to 10) levels deep.

    A reply deeper than ``max_depth`` is shown after its parent, at the deepest level. A reply whose
    parent is not among the comments (it was never approved, or was removed) starts a thread of its own.
    """
    max_depth = min(max(max_depth, 1), DEEPEST)
    threads = []
    nodes = {}
    reply_lists = {}  # comment id -> the list its replies join
    for comment in comments:
        parent = nodes.get(comment.parent_id)
        if parent is None:
            node, siblings = ThreadNode(comment, 1), threads
        else:
            node, siblings = ThreadNode(comment, min(parent.depth + 1, max_depth)), reply_lists[parent.comment.pk]
        siblings.append(node)
        nodes[comment.pk] = node
        reply_lists[comment.pk] = node.replies if node.depth < max_depth else siblings
    return threads


@dataclass
class CommentPage:
    """One page of an article's comments: its threads, and what its heading and page links need."""

    threads: list
    comment_count: int  # approved comments of the whole article
    page: Page  # the page of threads (``number``, ``paginator.num_pages``...)


def comment_page(article, number, own_pending_ids=()):
    """Page ``number`` of the article's comments, like WordPress's "break comments into pages".

    A page holds ``COMMENTS_PER_PAGE`` threads (0: all of them), oldest first, each with all of its
    replies; it costs the same few queries whatever the number of comments. The reader's own comments
    awaiting moderation are shown in their thread, or on the last page when they start a thread.
    Raises ``InvalidPage`` for a page that does not exist.
    """
    counts = Comment.objects.page_counts(article)
    per_page = settings.COMMENTS_PER_PAGE if settings.COMMENTS_PER_PAGE > 0 else max(counts["threads"], 1)
    page = Paginator(range(counts["threads"]), per_page, allow_empty_first_page=True).page(number)
    comments = approved_on_page(article, page.start_index() - 1, per_page) if counts["threads"] else []
    if own_pending_ids:
        comments = with_own_pending(comments, Comment.objects.own_pending(article, own_pending_ids), page)
    return CommentPage(build_threads(comments, settings.COMMENTS_THREAD_DEPTH), counts["comments"], page)


@dataclass(slots=True)
class StoredComment:
    """What the page needs of an approved comment whose stored fragments are current: cheaper than a model."""

    pk: int
    parent_id: int | None
    created_at: object
    rendered_html: str
    rendered_reply: str

    is_pending = False
    anchor = property(Comment.anchor.fget)

    def page_fragments(self, version):
        return self.rendered_html, self.rendered_reply


def approved_on_page(article, offset, limit):
    """The approved comments of the threads ``offset`` to ``offset + limit``, oldest first.

    Those whose stored fragments are current come as ``StoredComment``; the others (stored for other templates
    or settings) as comments, fetched in one more query, that render theirs afresh.
    """
    version = fragment_version()
    rows = list(
        Comment.objects.in_threads(article, offset, limit).values_list(
            "pk", "parent_id", "created_at", "rendered_html", "rendered_reply", "rendered_version"
        )
    )
    comments = [StoredComment(*row[:-1]) for row in rows]
    stale = {row[0] for row in rows if row[-1] != version}
    if stale:
        fresh = Comment.objects.in_bulk(stale)
        comments = [fresh.get(comment.pk, comment) if comment.pk in stale else comment for comment in comments]
    return comments


def with_own_pending(comments, own_pending, page):
    """``comments`` and, in date order, the reader's pending comments that this page shows.

    Those replying to a comment of the page, and, on the last page, those that start a thread (their
    parent is not approved).
    """
    shown = {comment.pk for comment in comments}
    added = []
    for comment in own_pending:
        in_a_thread_here = comment.parent_id in shown
        starts_a_thread = comment.parent_id is None or comment.parent_status != Comment.Status.APPROVED
        if in_a_thread_here or (starts_a_thread and not page.has_next()):
            added.append(comment)
            shown.add(comment.pk)
    return sorted([*comments, *added], key=lambda comment: (comment.created_at, comment.pk))
