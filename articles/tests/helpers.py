"""Test code shared by the articles tests."""

from datetime import timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles.models import Article


def article_form_data(author, **changes):
    """What the article add form posts for a draft, with ``changes``."""
    published_at = timezone.localtime() - timedelta(hours=1)
    return {
        "title": "Otters return to the river",
        "slug": "otters-return-to-the-river",
        "author": author.pk,
        "section": "",
        "standfirst": "",
        "body": "The otters are back.\n\nThey were last seen here in 1962.",
        "status": Article.Status.DRAFT,
        "published_at_0": published_at.strftime("%Y-%m-%d"),
        "published_at_1": published_at.strftime("%H:%M:%S"),
        "comments_open": "on",
        "comments-TOTAL_FORMS": "0",
        "comments-INITIAL_FORMS": "0",
        "article_authors-TOTAL_FORMS": "0",
        "article_authors-INITIAL_FORMS": "0",
        "notes-TOTAL_FORMS": "0",
        "notes-INITIAL_FORMS": "0",
        **changes,
    }


def queries_to_get(client, url):
    """How many database queries a GET of ``url`` runs (it must answer 200)."""
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


# Whether the body editor (Tiptap keeps itself on its element) has its caret at the end of a block.
CARET_AT_END_OF_BLOCK = """() => {
  const { $head, empty } = document.querySelector(".ProseMirror[contenteditable]").editor.state.selection;
  return empty && $head.parentOffset === $head.parent.content.size;
}"""

# Where on the screen a word is written in an element: the middle of the first place.
WHERE_THE_WORD_IS = """(element, word) => {
  const texts = document.createTreeWalker(element, NodeFilter.SHOW_TEXT);
  while (texts.nextNode()) {
    const at = texts.currentNode.data.indexOf(word);
    if (at >= 0) {
      const range = document.createRange();
      range.setStart(texts.currentNode, at);
      range.setEnd(texts.currentNode, at + word.length);
      const box = range.getBoundingClientRect();
      return { x: box.x + box.width / 2, y: box.y + box.height / 2 };
    }
  }
  return null;
}"""

# Whether the body editor's selection is exactly the given text.
SELECTION_IS = """(text) => {
  const { state } = document.querySelector(".ProseMirror[contenteditable]").editor;
  return state.doc.textBetween(state.selection.from, state.selection.to) === text;
}"""


def click_after(block):
    """Put the caret at the end of a one-line block of the body editor, as a click right of its text does, and wait
    until the editor has taken the click in (a key pressed at once would find it a few milliseconds early)."""
    block.click(position={"x": block.bounding_box()["width"] - 5, "y": 5})
    block.page.wait_for_function(CARET_AT_END_OF_BLOCK)


def double_click_word(block, word):
    """Select a word in a block of the body editor by double-clicking it, and wait until the editor has the word
    as its selection."""
    block.scroll_into_view_if_needed()
    tab = block.page
    where = block.evaluate(WHERE_THE_WORD_IS, word)
    tab.mouse.dblclick(where["x"], where["y"])
    tab.wait_for_function(SELECTION_IS, arg=word)


# Every list of articles, as a format string (see list_path()).
LIST_PATHS = [
    "/",
    "/{year}/",
    "/{year}/{month:02d}/",
    "/{year}/{month:02d}/{day:02d}/",
    "/author/{author}/",
    "/section/{section}/",
    "/tag/{tag}/",
    "/search/?q={word}",
]


def list_path(path, article, tag, word):
    """``path`` (one of ``LIST_PATHS``) for the list that shows ``article``: by its date, author or section,
    by ``tag``, or searched for ``word``."""
    published = article.published_at
    return path.format(
        year=published.year,
        month=published.month,
        day=published.day,
        author=article.author.slug,
        section=article.section.slug,
        tag=tag.slug,
        word=word,
    )
