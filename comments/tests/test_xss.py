"""Stored XSS: hostile text in every comment field, shown in a real browser, never runs.

Each payload of ``fixtures/xss_payloads.txt`` is posted through the Leave a Reply form (as comment, name,
email and website wherever the form accepts it, with the box ticked so the details come back into the
form) and also stored directly in every field, as an import could. The article pages are opened in
headless Chromium while the comments await moderation (seen by their poster), after approval (seen by
everyone) and in the moderation queue of the admin. No payload may open a dialog, set ``window.__xss``,
leave an event-handler attribute, a script of another origin (or inline), or a ``javascript:``, ``vbscript:`` or
``data:`` address in a link, frame or form.
"""

from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from comments.forms import CommentForm
from comments.models import Comment
from comments.tests.helpers import comment_form_data

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PAYLOADS = (Path(__file__).parent / "fixtures" / "xss_payloads.txt").read_text().splitlines()
PAYLOADS_PER_PAGE = 36
SAFE_EMAIL = "reader@readers.example"

# Everything in the page that could run a script, as readable lines.
FIND_ACTIVE_CONTENT = """() => {
  const addressAttributes = ["href", "src", "action", "formaction", "xlink:href", "data", "poster", "background"];
  const found = [];
  for (const element of document.querySelectorAll("*")) {
    for (const attribute of element.attributes) {
      const name = attribute.name.toLowerCase();
      const address = attribute.value.replace(/[\\u0000-\\u0020]/g, "").toLowerCase();
      if (name.startsWith("on") || name === "srcdoc") found.push(`${element.tagName} ${name}`);
      if (addressAttributes.includes(name) && /^(javascript|vbscript|data):/.test(address)) {
        found.push(`${element.tagName} ${name}=${attribute.value}`);
      }
    }
  }
  for (const script of document.scripts) {
    if (script.type === "application/ld+json") continue;
    if (!script.src || new URL(script.src).origin !== location.origin) found.push(`script ${script.src || "inline"}`);
  }
  return {marker: window.__xss === undefined ? null : String(window.__xss), found};
}"""


@pytest.fixture(autouse=True)
def quick_posting(settings):
    settings.COMMENTS_FLOOD_SECONDS = 0
    settings.COMMENTS_MIN_SUBMIT_SECONDS = 0
    settings.COMMENTS_PER_PAGE = 0  # every comment of an article on its one page


def test_the_corpus_is_large_and_covers_every_kind_of_attack():
    assert len(PAYLOADS) >= 100
    assert all(PAYLOADS)
    for kind in ("<script", "onerror=", "javascript:", "data:text/html", "<svg", "<math", "&#", "{{", "{%"):
        assert any(kind in payload for payload in PAYLOADS), kind


def accepted(field, value, fallback):
    """``value`` if the comment form's ``field`` accepts it, else ``fallback``."""
    try:
        CommentForm.base_fields[field].clean(value)
    except ValidationError:
        return fallback
    return value


def post_through_the_form(tab, article, payload):
    token = tab.locator("#commentform input[name=csrfmiddlewaretoken]").input_value()
    data = comment_form_data(
        article,
        comment=payload,
        author=payload,
        email=accepted("email", payload, SAFE_EMAIL),
        url=accepted("url", payload, ""),
    )
    data.update({"csrfmiddlewaretoken": token, "wp-comment-cookies-consent": "yes"})
    response = tab.request.post(f"/comments/post/{article.pk}/", form=data, max_redirects=0)
    assert response.status == 302, f"{payload!r} was refused: {response.status}"


def store_in_every_field(article, payload):
    """An approved comment holding the payload in every field, cut to the field's length, as an import could."""
    fields = {name: payload[: Comment._meta.get_field(name).max_length] for name in ("author", "email", "url", "body")}
    Comment.objects.create(article=article, status=Comment.Status.APPROVED, **fields)


def assert_nothing_runs(tab, path, dialogs):
    tab.goto(path)
    tab.wait_for_load_state("networkidle")
    active = tab.evaluate(FIND_ACTIVE_CONTENT)

    assert dialogs == [], f"a dialog opened on {path}"
    assert active == {"marker": None, "found": []}, path
    # The page's text, not its markup: a comment's id (in its anchor) may well be 1338.
    assert "1338" not in tab.locator("body").inner_text(), f"template syntax was evaluated on {path}"


def test_no_payload_runs_in_any_comment_field(page, make_article, admin_user):
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    articles = []
    for start in range(0, len(PAYLOADS), PAYLOADS_PER_PAGE):
        article = make_article()
        articles.append(article)
        page.goto(article.get_absolute_url())
        for payload in PAYLOADS[start : start + PAYLOADS_PER_PAGE]:
            post_through_the_form(page, article, payload)
            store_in_every_field(article, payload)
        pending_shown = page.goto(article.get_absolute_url()).text()
        assert "Your comment is awaiting moderation." in pending_shown
        assert_nothing_runs(page, article.get_absolute_url(), dialogs)

    Comment.objects.update(status=Comment.Status.APPROVED)
    page.context.clear_cookies()
    for article in articles:
        public = page.goto(article.get_absolute_url()).text()
        assert public.count('class="comment depth-') == article.comments.count()
        assert_nothing_runs(page, article.get_absolute_url(), dialogs)

    editor = Client()
    editor.force_login(admin_user)
    page.context.add_cookies([{"name": "sessionid", "value": editor.cookies["sessionid"].value, "url": page.url}])
    for queue_page in range(len(PAYLOADS) * 2 // 100 + 1):
        assert_nothing_runs(page, f"/admin/comments/comment/?p={queue_page + 1}", dialogs)
