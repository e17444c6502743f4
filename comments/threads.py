"""Arranging an article's comments into threads, in Python, from one query."""

from dataclasses import dataclass, field

# Like WordPress's setting, nesting stops at ten levels, which also keeps the recursive template shallow.
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
