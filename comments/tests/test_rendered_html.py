"""A comment's fragments (its name, date line, text and reply link) are rendered when it changes, not per request.

They must always match the comment: after a save, an admin edit, ``update()``, a bulk status change, personal
data erasure, an import, and a change of the settings they depend on.
"""

import json
import re
from datetime import UTC, datetime
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from comments.html import FragmentRenderer, fragment_version
from comments.models import Comment
from comments.privacy import erase_personal_data
from comments.tests.helpers import comment_form_data

pytestmark = pytest.mark.django_db

# What the card, the pending card and the reply link of FRAGMENT_CASES were when Django templates rendered them.
PINNED_FRAGMENTS = json.loads((Path(__file__).parent / "fixtures" / "comment_fragments.json").read_text())


def comment_item(client, comment):
    """The HTML of one comment's <article> on its article page, as ``client`` sees it."""
    html = client.get(comment.article.get_absolute_url()).content.decode()
    start = html.index(f'<li id="comment-{comment.pk}"')
    return html[start : html.index("</article>", start)]


def test_a_new_comment_stores_its_fragments_without_its_email(make_comment):
    comment = make_comment(
        author="Ann Lee", email="ann@readers.example", url="https://ann.example", body="See https://example.com"
    )

    stored = Comment.objects.get(pk=comment.pk)
    assert stored.rendered_version == fragment_version()
    assert '<a href="https://ann.example" rel="external nofollow ugc">Ann Lee</a>' in stored.rendered_html
    assert f'<a href="#comment-{comment.pk}">' in stored.rendered_html
    assert '<a href="https://example.com" rel="nofollow ugc">https://example.com</a>' in stored.rendered_html
    assert f'href="?replytocom={comment.pk}#respond"' in stored.rendered_reply
    for fragment in (stored.rendered_html, stored.rendered_reply):
        assert "ann@readers.example" not in fragment
        assert "readers.example" not in fragment


def test_the_page_shows_the_stored_fragments(client, make_comment):
    comment = make_comment(body="As posted.")
    Comment.objects.filter(pk=comment.pk).update(rendered_html="<p>As stored.</p>")

    item = comment_item(client, comment)

    assert "As stored." in item
    assert "As posted." not in item


def test_saving_renders_the_fragments_again(client, make_comment):
    comment = make_comment(author="Ann Lee", body="First words.")
    comment_item(client, comment)

    comment.author, comment.body = "Ann Lea", "Second words."
    comment.save(update_fields=["author", "body"])

    item = comment_item(client, comment)
    assert "Second words." in item
    assert "Reply to Ann Lea" in item
    assert "First words." not in item


def test_an_edit_in_the_admin_renders_the_fragments_again(editor_client, client, article, make_comment):
    comment = make_comment(author="Ann Lee", url="", body="Before the edit.")

    response = editor_client.post(
        reverse("admin:comments_comment_change", args=[comment.pk]),
        {
            "article": article.pk,
            "parent": "",
            "author": "Ann Lee",
            "email": comment.email,
            "url": "https://ann.example",
            "body": "After the edit.",
            "status": Comment.Status.APPROVED,
        },
    )

    assert response.status_code == 302
    item = comment_item(client, comment)
    assert "After the edit." in item
    assert '<a href="https://ann.example" rel="external nofollow ugc">Ann Lee</a>' in item


def test_update_renders_the_changed_rows_again(client, make_comment):
    changed, untouched = make_comment(body="Old text."), make_comment(body="Other text.")

    Comment.objects.filter(pk=changed.pk).update(body="New text, see https://example.com")

    item = comment_item(client, changed)
    assert '<a href="https://example.com" rel="nofollow ugc">https://example.com</a>' in item
    assert "Old text." not in item
    assert "Other text." in comment_item(client, untouched)


def test_bulk_create_and_bulk_update_store_the_fragments(client, article):
    comments = Comment.objects.bulk_create(
        Comment(article=article, author=f"Reader {n}", email=f"r{n}@readers.example", body=f"Imported {n}.")
        for n in range(3)
    )
    Comment.objects.filter(pk__in=[c.pk for c in comments]).approve()
    for comment in comments:
        comment.body = f"Updated {comment.author}."
    Comment.objects.bulk_update(comments, ["body"])

    for comment in Comment.objects.filter(pk__in=[c.pk for c in comments]):
        assert comment.rendered_version == fragment_version()
        assert f"Updated {comment.author}." in comment.rendered_html
        assert f"#comment-{comment.pk}" in comment.rendered_html


def test_bulk_create_stores_the_fragments_of_every_comment(article):
    Comment.objects.bulk_create(
        Comment(article=article, author=f"Reader {n}", body=f"Imported {n}.") for n in range(40)
    )

    for comment in Comment.objects.filter(article=article):
        assert comment.rendered_version == fragment_version()
        assert comment.rendered_html == FragmentRenderer().card(comment)
        assert comment.rendered_reply == FragmentRenderer().reply_link(comment)
        assert f"Imported {comment.author.split()[1]}." in comment.rendered_html


def test_renderhtml_writes_fragments_in_batches(article, make_comment):
    comments = [make_comment(body=f"Text {n}.") for n in range(5)]
    Comment.objects.update_shown(rendered_html="", rendered_reply="", rendered_version="")

    assert Comment.objects.render_html(batch_size=2) == 5

    for comment in comments:
        stored = Comment.objects.get(pk=comment.pk)
        assert stored.rendered_html == FragmentRenderer().card(comment)
        assert stored.rendered_reply == FragmentRenderer().reply_link(comment)
        assert stored.rendered_version == fragment_version()


def test_erasing_personal_data_renders_the_fragments_again(client, make_comment):
    comment = make_comment(author="Ann Lee", email="ann@readers.example", url="https://ann.example")

    erase_personal_data("ANN@readers.example", delete_text=True)

    item = comment_item(client, comment)
    assert "Anonymous" in item
    for trace in ("Ann Lee", "ann.example", comment.body):
        assert trace not in item
    assert "This comment was removed at its author" in item


def test_a_bulk_approval_shows_the_links_and_a_pending_comment_never_does(client, article, make_comment):
    client.post(
        reverse("comments:post", args=[article.pk]),
        comment_form_data(article, url="https://ann.example", comment="See https://example.com"),
    )
    comment = Comment.objects.get()
    assert '<a href="https://example.com"' in comment.rendered_html  # ready for when it is approved

    own_view = comment_item(client, comment)
    assert not re.search(r"<a[\s>]", own_view)
    assert "Your comment is awaiting moderation." in own_view

    Comment.objects.filter(pk=comment.pk).approve()

    public_view = comment_item(Client(), comment)
    assert '<a href="https://example.com" rel="nofollow ugc">https://example.com</a>' in public_view
    assert '<a href="https://ann.example" rel="external nofollow ugc">Ann Lee</a>' in public_view
    assert "awaiting moderation" not in public_view


def test_fragments_of_other_settings_are_rendered_afresh_and_by_renderhtml(client, settings, make_comment):
    comment = make_comment()
    utc_item = comment_item(client, comment)

    settings.TIME_ZONE = "Pacific/Kiritimati"  # UTC+14: the date line moves
    kiritimati_item = comment_item(client, comment)

    assert kiritimati_item != utc_item
    assert "+14:00" in kiritimati_item
    assert Comment.objects.stale_html().count() == 1
    call_command("renderhtml", stdout=None)
    stored = Comment.objects.get(pk=comment.pk)
    assert stored.rendered_version == fragment_version()
    assert "+14:00" in stored.rendered_html


def test_renderhtml_renders_rows_without_fragments(make_comment, make_article):
    comment = make_comment()
    Comment.objects.filter(pk=comment.pk).update(rendered_html="", rendered_reply="", rendered_version="")

    call_command("renderhtml", stdout=None)

    stored = Comment.objects.get(pk=comment.pk)
    assert comment.body in stored.rendered_html
    assert f"?replytocom={comment.pk}" in stored.rendered_reply


def test_the_date_line_uses_the_languages_formats(client, make_comment):
    comment = make_comment()
    comment.created_at = comment.created_at.replace(year=2024, month=7, day=12, hour=15, minute=4)
    comment.save(update_fields=["created_at"])

    assert '<time datetime="2024-07-12T15:04:' in comment_item(client, comment)
    assert "12 July 2024 at 15:04" in comment_item(client, comment)


# Comments that cover what a fragment shows: a website or none (or one that may not be a link), characters to escape
# in every field, an edit, a reply, links and paragraphs in the text, and dates that move with the time zone.
FRAGMENT_CASES = {
    "website": {"author": "Ann Lee", "url": "https://ann.example/?a=1&b=2", "body": "See https://example.com now."},
    "no website, edited": {
        "author": "Bob",
        "body": "First paragraph.\n\nSecond\nline, mail bob@example.com",
        "edited_at": (2024, 7, 12, 16, 30),
    },
    "characters to escape": {
        "author": "<script>alert('O\"Brien & co')</script> %(name)s 100%",
        "url": 'https://x.example/"><script>',
        "body": '<b>bold</b> & \'quoted\' "text" <a href="javascript:alert(1)">x</a>',
    },
    "website that is no link": {"author": "Eve", "url": "javascript:alert(1)", "body": "Click my name."},
    "reply": {"author": "Zoë Ünal", "body": "Agreed.", "parent_id": 41, "edited_at": (2024, 3, 5, 23, 59)},
}
FRAGMENT_SETTINGS = [
    ("en-us", "UTC"),
    ("en-us", "Pacific/Kiritimati"),
    ("de", "Europe/Berlin"),
    ("fr", "America/New_York"),
]
# The fragments' strings in German (the site has no catalogue of its own yet), with a character to escape.
GERMAN = {
    "Your comment is awaiting moderation.": "Ihr Kommentar wartet auf Freischaltung.",
    "%(date)s at %(time)s": "%(date)s um %(time)s",
    "(edited)": "(bearbeitet)",
    "Report the comment by %(name)s": "Den Kommentar von %(name)s melden",
    "Report": "Melden & verbergen",
    "Reply to %(name)s": "%(name)s antworten",
    "Reply": "Antworten",
}


@pytest.fixture
def german(monkeypatch):
    """Django's German catalogue, with the fragments' strings added for the test."""
    catalogue = translation.trans_real.translation("de")._catalog._catalogs[0]
    for message, translated in GERMAN.items():
        monkeypatch.setitem(catalogue, message, translated)


def fragment_comment(number, fields):
    """An unsaved comment with a fixed id and dates, so that its fragments are the same on every run."""
    fields = dict(fields)
    if edited_at := fields.pop("edited_at", None):
        fields["edited_at"] = datetime(*edited_at, tzinfo=UTC)
    return Comment(pk=100 + number, created_at=datetime(2024, 3, 5, 7, 8, 9, tzinfo=UTC), **fields)


@pytest.mark.parametrize(("language", "zone"), FRAGMENT_SETTINGS)
@pytest.mark.parametrize("case", FRAGMENT_CASES)
@pytest.mark.usefixtures("german")
def test_fragments_are_rendered_exactly_as_pinned(language, zone, case):
    """The fragments as the site has always rendered them, byte for byte, in each language and time zone."""
    comment = fragment_comment(list(FRAGMENT_CASES).index(case), FRAGMENT_CASES[case])

    with translation.override(language), timezone.override(zone):
        renderer = FragmentRenderer()
        rendered = {
            "card": renderer.card(comment),
            "pending card": renderer.card(comment, pending=True),
            "reply link": renderer.reply_link(comment),
        }

    assert rendered == PINNED_FRAGMENTS[f"{case} ({language}, {zone})"]


@pytest.mark.parametrize("comment_id", [1, 9, 10, 2**63 - 1])
def test_a_renderer_gives_the_address_reverse_gives(comment_id):
    renderer = FragmentRenderer()
    renderer.url("comments:report", 5)

    assert renderer.url("comments:report", comment_id) == reverse("comments:report", args=[comment_id])


def test_a_renderer_translates_the_message_and_escapes_the_values_put_in(german):
    with translation.override("de"):
        translated = FragmentRenderer().translate("Reply to %(name)s", name="<Ann & Bob's>")

    assert translated == "&lt;Ann &amp; Bob&#x27;s&gt; antworten"
