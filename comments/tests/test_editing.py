"""Commenters edit or delete their own comment for a while after posting it, from their browser or a signed link."""

import re
import time
from datetime import timedelta
from urllib.parse import quote_plus

import pytest
from django.core import mail, signing
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from comments import editing
from comments.mail import approval_notice
from comments.models import Comment, DiscussionSettings, Subscriber
from comments.tests.helpers import comment_form_data, posted_from

pytestmark = pytest.mark.django_db

EMAIL = "ann@readers.example"


def edit_url(comment, token=None):
    return editing.with_token(reverse("comments:edit", args=[comment.pk]), token)


def delete_url(comment, token=None):
    return editing.with_token(reverse("comments:delete", args=[comment.pk]), token)


def comment_item(html, comment):
    """The HTML of one comment's ``<li>`` up to its replies."""
    start = html.index(f'<li id="comment-{comment.pk}"')
    end = html.find("<ol", start)
    return html[start : end if end != -1 else None]


@pytest.fixture
def own_comment(client, make_comment):
    """An approved comment of Ann's, posted a minute ago from the test client's browser."""
    comment = make_comment(
        author="Ann Lee", email=EMAIL, body="Firstt thought.", created_at=timezone.now() - timedelta(minutes=1)
    )
    posted_from(client, comment)
    return comment


@pytest.fixture
def edit(client, django_capture_on_commit_callbacks):
    """Send the edit form as ``client`` (by default the test client), running what commits."""

    def send(comment, text, *, token=None, as_client=None):
        with django_capture_on_commit_callbacks(execute=True):
            return (as_client or client).post(edit_url(comment, token), {"comment": text})

    return send


def test_the_edit_page_shows_the_text_in_a_form_and_never_the_email(client, own_comment):
    response = client.get(edit_url(own_comment))

    assert response.status_code == 200
    html = response.content.decode()
    assert re.search(r'<textarea name="comment"[^>]*id="comment"[^>]*>\s*Firstt thought.</textarea>', html)
    assert "csrfmiddlewaretoken" in html
    assert EMAIL not in html
    assert "private" in response["Cache-Control"]
    assert "no-store" in response["Cache-Control"]


def test_an_edit_is_saved_marked_edited_and_shown_at_once(client, article, own_comment, edit):
    response = edit(own_comment, "First thought.")

    assert response.status_code == 302
    assert response["Location"] == own_comment.get_absolute_url()
    own_comment.refresh_from_db()
    assert own_comment.body == "First thought."
    assert own_comment.status == Comment.Status.APPROVED
    assert own_comment.edited_at is not None
    assert '<span class="comment__edited">(edited)</span>' in own_comment.rendered_html
    item = comment_item(Client().get(article.get_absolute_url()).content.decode(), own_comment)
    assert "First thought." in item
    assert "Firstt" not in item
    assert "(edited)" in item


def test_a_comment_never_edited_says_nothing_of_it(client, article, own_comment):
    assert "(edited)" not in client.get(article.get_absolute_url()).content.decode()


def test_the_same_text_again_changes_nothing(client, own_comment, edit):
    assert edit(own_comment, "Firstt thought.  ").status_code == 302

    own_comment.refresh_from_db()
    assert own_comment.edited_at is None


def test_the_text_is_checked_as_the_reply_form_checks_it_and_kept_when_refused(client, own_comment, edit):
    empty = edit(own_comment, "   ")
    control = edit(own_comment, "Bell\x07 text")

    assert empty.status_code == 400
    assert "Please type your comment." in empty.content.decode()
    assert control.status_code == 400
    html = control.content.decode()
    assert "Remove the invisible control characters from this field." in html
    assert "Bell\x07 text</textarea>" in html
    own_comment.refresh_from_db()
    assert own_comment.body == "Firstt thought."


def test_invalid_utf8_is_refused_with_the_text_kept(client, own_comment):
    body = "comment=" + quote_plus("Fixed, with a bad byte: ") + "%FF"

    response = client.post(edit_url(own_comment), body, content_type="application/x-www-form-urlencoded")

    assert response.status_code == 400
    html = response.content.decode()
    assert "Your comment contains characters that could not be read." in html
    assert "Fixed, with a bad byte: \ufffd</textarea>" in html
    own_comment.refresh_from_db()
    assert own_comment.body == "Firstt thought."


def test_another_browser_is_refused_without_learning_anything(own_comment, make_comment):
    stranger = Client()

    for url in (edit_url(own_comment), delete_url(own_comment), "/comments/999999/edit/"):
        response = stranger.get(url)
        assert response.status_code == 403
        html = response.content.decode()
        assert "A comment can be changed only from the browser it was posted from" in html
        assert "Firstt thought." not in html
        assert EMAIL not in html
    assert stranger.post(edit_url(own_comment), {"comment": "Hijacked."}).status_code == 403
    assert stranger.post(delete_url(own_comment)).status_code == 403
    own_comment.refresh_from_db()
    assert (own_comment.body, own_comment.status) == ("Firstt thought.", Comment.Status.APPROVED)


def test_a_browser_may_change_only_the_comments_it_posted(client, own_comment, make_comment):
    other = make_comment(body="Someone else's.")

    assert client.get(edit_url(other)).status_code == 403
    assert client.post(delete_url(other)).status_code == 403


def test_the_window_closes_after_the_set_minutes(client, own_comment, settings, edit):
    settings.COMMENTS_EDIT_MINUTES = 15
    Comment.objects.filter(pk=own_comment.pk).update(created_at=timezone.now() - timedelta(minutes=16))

    for response in (
        client.get(edit_url(own_comment)),
        edit(own_comment, "Too late."),
        client.post(delete_url(own_comment)),
    ):
        assert response.status_code == 403
        assert "can be edited or deleted for 15 minutes after it is posted" in response.content.decode()
    own_comment.refresh_from_db()
    assert (own_comment.body, own_comment.status) == ("Firstt thought.", Comment.Status.APPROVED)


def test_the_window_follows_the_setting(client, own_comment, settings):
    settings.COMMENTS_EDIT_MINUTES = 0
    assert client.get(edit_url(own_comment)).status_code == 403

    settings.COMMENTS_EDIT_MINUTES = 60 * 24
    Comment.objects.filter(pk=own_comment.pk).update(created_at=timezone.now() - timedelta(hours=23))
    assert client.get(edit_url(own_comment)).status_code == 200


@pytest.mark.parametrize("status", [Comment.Status.SPAM, Comment.Status.TRASH])
def test_a_comment_no_longer_shown_cannot_be_changed(client, own_comment, status):
    Comment.objects.filter(pk=own_comment.pk).update(status=status)

    response = client.get(edit_url(own_comment))

    assert response.status_code == 403
    assert "This comment is no longer shown on the site." in response.content.decode()


def test_the_signed_link_works_from_another_browser(own_comment, edit):
    reader = Client()
    token = editing.edit_token(own_comment)

    page = reader.get(edit_url(own_comment, token))
    assert page.status_code == 200
    assert f'href="{delete_url(own_comment, token)}"'.replace("&", "&amp;") in page.content.decode()
    assert edit(own_comment, "Fixed from my phone.", token=token, as_client=reader).status_code == 302

    own_comment.refresh_from_db()
    assert own_comment.body == "Fixed from my phone."
    assert own_comment.pk in reader.session["comments_posted"]


def test_the_signed_link_carries_the_id_and_never_the_email(own_comment):
    token = editing.edit_token(own_comment)

    assert EMAIL not in token
    assert signing.TimestampSigner(salt=editing.TOKEN_SALT).unsign_object(token) == own_comment.pk


def test_an_expired_signed_link_is_refused(own_comment, monkeypatch, settings):
    settings.COMMENTS_EDIT_MINUTES = 15
    signed_at = time.time() - 16 * 60
    monkeypatch.setattr(signing.time, "time", lambda: signed_at)
    token = editing.edit_token(own_comment)
    monkeypatch.undo()

    assert own_comment.may_still_be_changed()
    assert Client().get(edit_url(own_comment, token)).status_code == 403


@pytest.mark.parametrize(
    "tamper",
    [
        lambda token, comment: token[:-1] + ("A" if token[-1] != "A" else "B"),
        lambda token, comment: editing.edit_token(Comment(pk=comment.pk + 1)),
        lambda token, comment: signing.TimestampSigner(salt="comments.subscriber.confirm").sign_object(comment.pk),
        lambda token, comment: str(comment.pk),
    ],
    ids=["changed", "another-comment", "another-salt", "bare-id"],
)
def test_a_changed_or_foreign_signed_link_is_refused(own_comment, tamper):
    token = tamper(editing.edit_token(own_comment), own_comment)

    assert Client().get(edit_url(own_comment, token)).status_code == 403
    assert Client().post(delete_url(own_comment, token)).status_code == 403


def test_the_forms_need_their_csrf_token(own_comment):
    browser = Client(enforce_csrf_checks=True)
    posted_from(browser, own_comment)

    assert browser.post(edit_url(own_comment), {"comment": "Forged."}).status_code == 403
    assert browser.post(delete_url(own_comment)).status_code == 403
    own_comment.refresh_from_db()
    assert (own_comment.body, own_comment.status) == ("Firstt thought.", Comment.Status.APPROVED)


def test_edits_are_rate_limited_keeping_the_text(client, own_comment, edit, monkeypatch):
    monkeypatch.setattr(editing, "EDITS_PER_MINUTE", 1)
    assert edit(own_comment, "Once.").status_code == 302

    again = edit(own_comment, "Twice, too quickly.")

    assert again.status_code == 429
    html = again.content.decode()
    assert "You are changing comments too quickly. Slow down." in html
    assert "Twice, too quickly.</textarea>" in html
    assert client.post(delete_url(own_comment)).status_code == 429
    own_comment.refresh_from_db()
    assert (own_comment.body, own_comment.status) == ("Once.", Comment.Status.APPROVED)


def test_an_approved_comment_edited_to_hold_links_goes_back_to_moderation(
    client, article, own_comment, edit, settings, run_tasks
):
    settings.COMMENTS_MAX_LINKS = 1
    settings.COMMENTS_NOTIFY_EMAILS = ["desk@news.example"]

    response = edit(own_comment, "See https://a.example and https://b.example")

    assert response.status_code == 200
    assert "your comment awaits moderation again" in response.content.decode()
    own_comment.refresh_from_db()
    assert own_comment.status == Comment.Status.PENDING
    article.refresh_from_db()
    assert article.comment_count == 0
    assert "https://a.example" not in Client().get(article.get_absolute_url()).content.decode()
    own_view = comment_item(client.get(article.get_absolute_url()).content.decode(), own_comment)
    assert "Your comment is awaiting moderation." in own_view
    assert "(edited)" in own_view
    assert '<a href="https://a.example"' not in own_view  # the links of a pending comment stay inert
    run_tasks()
    [notice] = mail.outbox
    assert notice.to == ["desk@news.example"]
    assert "https://b.example" in notice.body


def test_an_approved_comment_edited_to_hold_a_moderation_key_goes_back_to_moderation(own_comment, edit):
    DiscussionSettings.objects.create(moderation_keys="casino")

    assert edit(own_comment, "Meet me at the Casino.").status_code == 200

    own_comment.refresh_from_db()
    assert own_comment.status == Comment.Status.PENDING


def test_an_edit_with_a_disallowed_key_is_refused_keeping_the_text(client, own_comment, edit):
    DiscussionSettings.objects.create(disallowed_keys="pills")

    response = edit(own_comment, "Buy cheap PILLS here")

    assert response.status_code == 400
    html = response.content.decode()
    assert "Your comment was not saved: it contains words this site does not publish." in html
    assert "Buy cheap PILLS here</textarea>" in html
    own_comment.refresh_from_db()
    assert (own_comment.body, own_comment.status, own_comment.edited_at) == (
        "Firstt thought.",
        Comment.Status.APPROVED,
        None,
    )


def test_a_clean_edit_keeps_the_comment_published_even_from_the_signed_link(own_comment, edit, settings):
    settings.COMMENTS_MODERATION = True

    edit(own_comment, "A clean correction.", token=editing.edit_token(own_comment), as_client=Client())

    own_comment.refresh_from_db()
    assert own_comment.status == Comment.Status.APPROVED


def test_a_pending_comment_stays_pending_and_its_author_sees_it_edited(client, article, own_comment, edit):
    Comment.objects.filter(pk=own_comment.pk).update(status=Comment.Status.PENDING)

    assert edit(own_comment, "Now with https://example.com").status_code == 302

    own_comment.refresh_from_db()
    assert own_comment.status == Comment.Status.PENDING
    own_view = comment_item(client.get(article.get_absolute_url()).content.decode(), own_comment)
    assert "Now with https://example.com" in own_view
    assert "(edited)" in own_view
    assert '<a href="https://example.com"' not in own_view


@pytest.mark.parametrize("fragment_seconds", [0, 60])
def test_the_cached_page_shows_an_edit_at_once(client, article, own_comment, edit, settings, fragment_seconds):
    settings.PAGE_CACHE_SECONDS = 300
    settings.FRAGMENT_CACHE_SECONDS = fragment_seconds  # the comment list kept as a fragment too
    reader = Client()
    assert "Firstt thought." in reader.get(article.get_absolute_url()).content.decode()

    edit(own_comment, "Second thought.")

    html = reader.get(article.get_absolute_url()).content.decode()
    assert "Second thought." in html
    assert "Firstt thought." not in html


@pytest.mark.parametrize("fragment_seconds", [0, 60])
def test_only_its_author_sees_the_links_on_the_cached_page(client, article, own_comment, settings, fragment_seconds):
    settings.PAGE_CACHE_SECONDS = 300
    settings.FRAGMENT_CACHE_SECONDS = fragment_seconds  # the comment list kept as a fragment too
    stranger = Client()
    stranger_html = stranger.get(article.get_absolute_url()).content.decode()  # rendered and stored

    own_html = client.get(article.get_absolute_url()).content.decode()

    own_links = comment_item(own_html, own_comment)
    assert f'href="{edit_url(own_comment)}"' in own_links
    assert f'href="{delete_url(own_comment)}"' in own_links
    for html in (stranger_html, stranger.get(article.get_absolute_url()).content.decode()):
        assert edit_url(own_comment) not in html
        assert delete_url(own_comment) not in html
        assert "comment__own" not in html
    assert EMAIL not in own_html


def test_the_links_go_once_the_window_closes(client, article, own_comment, settings, monkeypatch):
    settings.PAGE_CACHE_SECONDS = 300
    assert edit_url(own_comment) in client.get(article.get_absolute_url()).content.decode()
    later = time.time() + settings.COMMENTS_EDIT_MINUTES * 60
    monkeypatch.setattr(editing.time, "time", lambda: later)

    assert edit_url(own_comment) not in client.get(article.get_absolute_url()).content.decode()


def test_old_comments_get_no_links(client, article, make_comment):
    old = make_comment(created_at=timezone.now() - timedelta(days=1))
    posted_from(client, old)

    assert edit_url(old) not in client.get(article.get_absolute_url()).content.decode()


def test_a_posted_comment_offers_its_links_to_its_author(client, article):
    client.post(reverse("comments:post", args=[article.pk]), comment_form_data(article, comment="Just posted."))
    comment = Comment.objects.get()

    own_view = comment_item(client.get(article.get_absolute_url()).content.decode(), comment)

    assert "Your comment is awaiting moderation." in own_view
    assert f'href="{edit_url(comment)}"' in own_view


def test_delete_asks_first_then_moves_the_comment_to_the_trash(client, article, own_comment, make_comment):
    reply = make_comment(parent=own_comment, body="A reply that stays.")
    article.refresh_from_db()
    assert article.comment_count == 2

    confirm = client.get(delete_url(own_comment))
    assert confirm.status_code == 200
    assert "Delete your comment" in confirm.content.decode()
    assert Comment.objects.get(pk=own_comment.pk).status == Comment.Status.APPROVED

    done = client.post(delete_url(own_comment))

    assert done.status_code == 200
    assert "Your comment is deleted" in done.content.decode()
    own_comment.refresh_from_db()
    assert own_comment.status == Comment.Status.TRASH
    html = Client().get(article.get_absolute_url()).content.decode()
    assert "Firstt thought." not in html
    assert f'id="comment-{reply.pk}" class="comment depth-1"' in html
    article.refresh_from_db()
    assert article.comment_count == 1
    assert client.post(delete_url(own_comment)).status_code == 403


def test_delete_with_the_signed_link(own_comment):
    reader = Client()

    assert reader.post(delete_url(own_comment, editing.edit_token(own_comment))).status_code == 200

    own_comment.refresh_from_db()
    assert own_comment.status == Comment.Status.TRASH


def test_the_atom_feed_says_when_a_comment_was_edited(client, article, own_comment, edit):
    edit(own_comment, "Corrected.")
    own_comment.refresh_from_db()

    atom = client.get(reverse("comments:feed_atom", args=[article.pk])).content.decode()

    assert f"<updated>{own_comment.edited_at.isoformat()}</updated>" in atom


def test_the_approval_notice_carries_a_signed_link_while_the_window_is_open(
    own_comment, settings, django_capture_on_commit_callbacks
):
    settings.SITE_URL = "https://news.example"
    Comment.objects.filter(pk=own_comment.pk).update(notify=True)
    Subscriber.objects.create(email=EMAIL, confirmed_at=timezone.now())

    body = approval_notice(own_comment.pk).body

    [link] = re.findall(r"https://news\.example(/comments/\d+/edit/\?key=\S+)", body)
    assert "You can edit or delete it until" in body
    assert EMAIL not in link
    assert "ann" not in link.lower()
    reader = Client()
    assert reader.get(link).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        assert reader.post(link, {"comment": "Edited from the mail."}).status_code == 302
    Comment.objects.filter(pk=own_comment.pk).update(created_at=timezone.now() - timedelta(hours=1))
    later = approval_notice(own_comment.pk).body
    assert "/edit/" not in later
    assert "You can edit" not in later
