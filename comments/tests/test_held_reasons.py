"""Why a comment is held: kept with it by the moderation rules, shown to editors, never to the public."""

import pytest
from django.test import Client
from django.urls import reverse

from comments import moderation
from comments.models import Comment, DiscussionSettings
from comments.privacy import erase_personal_data
from comments.tests.helpers import comment_form_data

pytestmark = pytest.mark.django_db

HELD = Comment.HeldReason


def received(article, **fields):
    """A new comment through the moderation rules, saved; ``caught_by_honeypot``, ``own_ids`` pass through."""
    options = {name: fields.pop(name) for name in ("caught_by_honeypot", "own_ids") if name in fields}
    fields.setdefault("author", "Ann Lee")
    fields.setdefault("email", "ann@readers.example")
    fields.setdefault("body", "A first comment.")
    comment = moderation.receive(Comment(article=article, **fields), **options)
    comment.refresh_from_db()
    return comment


def held(comment):
    return comment.status, comment.held_reason, comment.held_detail


def word_lists(moderation_keys="", disallowed_keys=""):
    DiscussionSettings.objects.update_or_create(
        pk=DiscussionSettings.SINGLETON_ID,
        defaults={"moderation_keys": moderation_keys, "disallowed_keys": disallowed_keys},
    )


def test_a_filled_honeypot_is_spam_for_that_reason(article):
    assert held(received(article, caught_by_honeypot=True)) == ("spam", HELD.HONEYPOT, "")


def test_a_disallowed_key_is_spam_naming_the_key_as_written(article):
    word_lists(disallowed_keys="casino\n  Cheap Watches  \n")

    comment = received(article, body="Buy CHEAP WATCHES today.")

    assert held(comment) == ("spam", HELD.DISALLOWED_KEY, "Cheap Watches")


def test_too_many_links_are_held_with_their_count(article, settings):
    settings.COMMENTS_MAX_LINKS = 2
    body = "See https://a.example/ and https://b.example/ and https://c.example/"

    assert held(received(article, body=body)) == ("pending", HELD.LINKS, "3 links; the limit is 2.")


def test_a_moderation_key_is_held_naming_the_key(article):
    word_lists(moderation_keys="refund\nlottery")

    assert held(received(article, body="I won the Lottery!")) == ("pending", HELD.MODERATION_KEY, "lottery")


def test_a_long_key_is_quoted_cut_to_fit(article):
    key = "word " * 100
    word_lists(moderation_keys=key)

    comment = received(article, body=key * 2)

    assert comment.held_reason == HELD.MODERATION_KEY
    assert len(comment.held_detail) == 255
    assert comment.held_detail.startswith("word word")


def test_a_copy_of_another_comment_is_held_naming_it(article, make_comment):
    original = make_comment(body="Same words.")

    comment = received(article, body="Same words.", author="Someone Else", email="else@readers.example")

    assert held(comment) == ("pending", HELD.DUPLICATE, f"The same text as comment {original.pk}.")


def test_a_new_commenter_is_held_as_such(article, settings):
    settings.COMMENTS_AUTO_APPROVE_KNOWN = True

    status, reason, detail = held(received(article))

    assert (status, reason) == ("pending", HELD.NEW_COMMENTER)
    assert "No approved comment" in detail


def test_with_every_comment_moderated_even_a_known_commenter_is_held_for_that(article, make_comment, settings):
    settings.COMMENTS_AUTO_APPROVE_KNOWN = False
    known = make_comment(author="Ann Lee", email="ann@readers.example")

    assert held(received(article, own_ids=[known.pk])) == ("pending", HELD.MODERATION, "")


def test_a_published_comment_has_no_reason(article, make_comment, settings):
    settings.COMMENTS_AUTO_APPROVE_KNOWN = True
    known = make_comment(author="Ann Lee", email="ann@readers.example")

    assert held(received(article, own_ids=[known.pk])) == ("approved", "", "")


def test_enough_reports_hold_the_comment_with_their_count_and_reasons(make_comment, settings):
    settings.COMMENTS_REPORTS_TO_HOLD = 3
    comment = make_comment()
    report_url = reverse("comments:report", args=[comment.pk])

    for reason in ("spam", "abuse", "spam"):
        Client().post(report_url, {"reason": reason})

    comment.refresh_from_db()
    assert held(comment) == ("pending", HELD.REPORTS, "3 reports: Abuse or harassment, Spam")


def test_approving_clears_the_reason_and_an_editor_sets_their_own(article, make_comment):
    word_lists(moderation_keys="lottery")
    comment = received(article, body="lottery")

    Comment.objects.filter(pk=comment.pk).approve()
    comment.refresh_from_db()
    assert held(comment) == ("approved", "", "")

    Comment.objects.filter(pk=comment.pk).mark_spam()
    comment.refresh_from_db()
    assert held(comment) == ("spam", HELD.EDITOR, "")


def test_a_comment_an_editor_approves_on_its_page_keeps_no_reason(article):
    word_lists(moderation_keys="lottery")
    comment = received(article, body="lottery")

    comment.status = Comment.Status.APPROVED
    comment.save()

    comment.refresh_from_db()
    assert held(comment) == ("approved", "", "")


def test_the_reason_is_never_shown_to_the_commenter(client, article, settings):
    settings.COMMENTS_MIN_SUBMIT_SECONDS = 0
    word_lists(moderation_keys="secret-moderation-word")
    data = comment_form_data(article, comment="About the secret-moderation-word here.")

    posted = client.post(reverse("comments:post", args=[article.pk]), data, follow=True)

    comment = Comment.objects.get()
    assert comment.held_reason == HELD.MODERATION_KEY
    page = posted.content.decode()
    assert "Your comment is awaiting moderation." in page
    assert str(HELD.MODERATION_KEY.label) not in page


def test_the_editor_sees_the_reason_in_the_list_and_on_the_comment(editor_client, article):
    word_lists(moderation_keys="lottery")
    comment = received(article, body="lottery tickets")

    listing = editor_client.get(reverse("admin:comments_comment_changelist")).content.decode()
    change = editor_client.get(reverse("admin:comments_comment_change", args=[comment.pk])).content.decode()

    assert '<strong class="held-reason">Moderation key</strong><br><span class="held-detail">lottery</span>' in listing
    assert "Moderation key" in change
    assert "lottery" in change


def test_erasing_a_commenters_data_erases_what_their_held_reason_quotes(article):
    word_lists(moderation_keys="ann@readers.example")
    comment = received(article)
    assert comment.held_detail == "ann@readers.example"

    erase_personal_data("ann@readers.example")

    comment.refresh_from_db()
    assert (comment.held_reason, comment.held_detail) == (HELD.MODERATION_KEY, "")
