"""Commenters told of approval and replies, by their choice, through confirmed addresses only."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone

from comments.models import Comment, Subscriber
from comments.privacy import erase_personal_data, export_personal_data
from comments.tests.helpers import comment_form_data

pytestmark = pytest.mark.django_db
LINK = re.compile(r"https://news\.example(/comments/notifications/(confirm|unsubscribe)/[^/\s]+/)")


@pytest.fixture(autouse=True)
def site(settings):
    settings.SITE_URL = "https://news.example"
    settings.COMMENTS_NOTIFY_EMAILS = []


@pytest.fixture
def post(django_capture_on_commit_callbacks):
    """Post a comment, and run what the post enqueues once its transaction commits."""

    def send(client, article, **changes):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(f"/comments/post/{article.pk}/", comment_form_data(article, **changes))

    return send


@pytest.fixture
def approve(django_capture_on_commit_callbacks):
    """Approve comments as the admin's action does, and run what it enqueues once it commits."""

    def run(comments):
        with django_capture_on_commit_callbacks(execute=True):
            return comments.approve()

    return run


def links(message):
    return {kind: path for path, kind in LINK.findall(message.body)}


@pytest.fixture
def confirmed(client, article, run_tasks, post):
    """Ann ticked the box, got the confirmation mail and confirmed; the mail outbox is empty again."""
    post(client, article, notify="on")
    run_tasks()
    client.post(links(mail.outbox[0])["confirm"])
    mail.outbox.clear()
    return Subscriber.objects.get()


def test_the_box_is_offered_unticked(client, article):
    html = client.get(article.get_absolute_url()).content.decode()

    assert '<input type="checkbox" name="notify" id="notify">' in html
    assert '<label for="notify">Notify me of replies and when my comment is approved</label>' in html


def test_without_the_box_nothing_is_stored_or_sent(client, article, run_tasks, post):
    post(client, article)
    run_tasks()

    assert not Comment.objects.get().notify
    assert not Subscriber.objects.exists()
    assert mail.outbox == []


def test_the_first_mail_asks_to_confirm_and_holds_nothing_the_commenter_typed(client, article, run_tasks, post):
    post(client, article, notify="on", author="Click here", comment="Buy cheap pills")
    run_tasks()

    [message] = mail.outbox
    assert message.to == ["ann@readers.example"]
    assert message.subject == "[Newsroom] Please confirm your email address"
    assert article.title in message.body
    assert "Click here" not in message.body + message.subject
    assert "pills" not in message.body
    assert set(links(message)) == {"confirm", "unsubscribe"}
    assert message.extra_headers["List-Unsubscribe"] == f"<https://news.example{links(message)['unsubscribe']}>"
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert "ann" not in links(message)["confirm"] + links(message)["unsubscribe"]
    assert Comment.objects.get().notify


def test_at_most_one_confirmation_a_day_per_address(client, article, run_tasks, post):
    post(client, article, notify="on", comment="First.")
    post(client, article, notify="on", comment="Second.", email="ANN@readers.example")
    run_tasks()
    assert len(mail.outbox) == 1

    Subscriber.objects.update(confirmation_sent_at=timezone.now() - timedelta(days=1, minutes=1))
    post(client, article, notify="on", comment="Third.")
    run_tasks()

    assert len(mail.outbox) == 2
    assert Subscriber.objects.count() == 1


def test_spam_gets_no_confirmation(client, article, run_tasks, post):
    post(client, article, notify="on", url_confirm="https://spam.example")
    run_tasks()

    assert mail.outbox == []


def test_nothing_but_the_confirmation_goes_to_an_unconfirmed_address(
    client, article, make_comment, run_tasks, post, approve
):
    post(client, article, notify="on")
    comment = Comment.objects.get()
    approve(Comment.objects.filter(pk=comment.pk))
    make_comment(parent=comment, author="Bo", email="bo@readers.example")
    Comment.objects.filter(parent=comment).update(status=Comment.Status.PENDING)
    approve(Comment.objects.filter(parent=comment))
    run_tasks()

    assert [message.subject for message in mail.outbox] == ["[Newsroom] Please confirm your email address"]


def test_the_confirm_link_shows_a_button_and_confirms_on_post(client, article, run_tasks, post):
    post(client, article, notify="on")
    run_tasks()
    confirm = links(mail.outbox[0])["confirm"]

    shown = client.get(confirm)
    assert shown.status_code == 200
    assert Subscriber.objects.get().confirmed_at is None
    assert "<button" in shown.content.decode()
    assert "ann@readers.example" not in shown.content.decode()

    assert Client(enforce_csrf_checks=True).post(confirm).status_code == 403
    done = client.post(confirm)
    assert done.status_code == 200
    assert "Your address is confirmed" in done.content.decode()
    assert Subscriber.objects.get().may_be_notified


@pytest.mark.parametrize("purpose", ["confirm", "unsubscribe"])
def test_a_changed_link_is_refused(client, article, run_tasks, purpose, post):
    post(client, article, notify="on")
    run_tasks()
    path = links(mail.outbox[0])[purpose]

    response = client.post(path[:-3] + "xx/")

    assert response.status_code == 400
    assert "This link does not work" in response.content.decode()
    assert Subscriber.objects.get().confirmed_at is None
    assert Subscriber.objects.get().unsubscribed_at is None


def test_a_confirm_link_lasts_a_week(client, article, run_tasks, monkeypatch, post):
    post(client, article, notify="on")
    run_tasks()
    confirm = links(mail.outbox[0])["confirm"]
    in_eight_days = timezone.now().timestamp() + 8 * 24 * 3600
    monkeypatch.setattr("time.time", lambda: in_eight_days)

    assert client.post(confirm).status_code == 400
    assert Subscriber.objects.get().confirmed_at is None


def test_a_confirmed_commenter_is_told_of_the_approval(
    editor_client, article, confirmed, run_tasks, django_capture_on_commit_callbacks
):
    comment = Comment.objects.get()

    with django_capture_on_commit_callbacks(execute=True):
        editor_client.post("/admin/comments/comment/", {"action": "approve", "_selected_action": [comment.pk]})
    run_tasks()

    [message] = mail.outbox
    assert message.to == ["ann@readers.example"]
    assert message.subject == f"[Newsroom] Your comment on “{article.title}” is published"
    assert f"https://news.example{comment.get_absolute_url()}" in message.body
    assert "unsubscribe" in links(message)
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_a_confirmed_commenter_is_told_of_replies_never_seeing_the_replier_email(
    client, article, confirmed, make_comment, run_tasks, settings, post, approve
):
    comment = Comment.objects.get()
    approve(Comment.objects.filter(pk=comment.pk))
    run_tasks()
    mail.outbox.clear()
    settings.COMMENTS_MODERATION = False  # the reply is published at once

    post(
        Client(),
        article,
        author="Bo Chen",
        email="bo@readers.example",
        comment="I disagree.",
        comment_parent=comment.pk,
    )
    run_tasks()

    [message] = mail.outbox
    reply = Comment.objects.get(body="I disagree.")
    assert reply.status == Comment.Status.APPROVED
    assert message.to == ["ann@readers.example"]
    assert message.subject == f"[Newsroom] Bo Chen replied to your comment on “{article.title}”"
    assert "I disagree." in message.body
    assert f"https://news.example{reply.get_absolute_url()}" in message.body
    assert "bo@readers.example" not in message.body + message.subject + str(message.extra_headers)


def test_a_comment_approved_again_after_it_was_held_is_not_announced_again(
    article, confirmed, make_comment, run_tasks, approve
):
    comment = Comment.objects.get()
    reply = make_comment(parent=comment, author="Bo Chen", email="bo@readers.example", status=Comment.Status.PENDING)
    approve(Comment.objects.filter(pk__in=[comment.pk, reply.pk]))
    run_tasks()
    assert sorted(message.subject for message in mail.outbox) == [
        f"[Newsroom] Bo Chen replied to your comment on “{article.title}”",
        f"[Newsroom] Your comment on “{article.title}” is published",
    ]
    mail.outbox.clear()

    Comment.objects.filter(pk__in=[comment.pk, reply.pk]).unapprove()
    assert approve(Comment.objects.filter(pk__in=[comment.pk, reply.pk])) == 2
    run_tasks()

    assert mail.outbox == []
    assert Comment.objects.approved().count() == 2


def test_comments_published_when_posted_or_imported_note_it(article, make_comment):
    posted = make_comment(body="Approved at once.")
    [imported] = Comment.objects.bulk_create(
        [
            Comment(
                article=article,
                author="Old",
                status=Comment.Status.APPROVED,
                body="From WordPress.",
                created_at=timezone.now() - timedelta(days=400),
            )
        ]
    )
    held = make_comment(body="Held.", status=Comment.Status.PENDING)

    assert Comment.objects.get(pk=posted.pk).first_approved_at == posted.created_at
    assert Comment.objects.get(pk=imported.pk).first_approved_at == imported.created_at
    assert Comment.objects.get(pk=held.pk).first_approved_at is None


def test_own_replies_and_replies_to_unticked_comments_are_not_mailed(
    client, article, confirmed, make_comment, run_tasks, approve
):
    comment = Comment.objects.get()
    approve(Comment.objects.filter(pk=comment.pk))
    other = make_comment(author="Ann Lee", email="ann@readers.example", body="Not ticked.")
    run_tasks()
    mail.outbox.clear()

    make_comment(parent=comment, email="Ann@Readers.example", status=Comment.Status.PENDING)
    make_comment(parent=other, email="bo@readers.example", status=Comment.Status.PENDING)
    approve(Comment.objects.filter(parent__isnull=False))
    run_tasks()

    assert mail.outbox == []


def test_one_click_unsubscribe_is_remembered(client, article, confirmed, run_tasks, post, approve):
    post(client, article, notify="on", comment="Another one.")
    approve(Comment.objects.all())
    run_tasks()
    [message] = mail.outbox[-1:]
    unsubscribe = links(message)["unsubscribe"]

    response = Client(enforce_csrf_checks=True).post(
        unsubscribe, "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 200
    assert Subscriber.objects.get().unsubscribed_at is not None
    mail.outbox.clear()

    post(client, article, notify="on", comment="A third one.")
    Subscriber.objects.update(confirmation_sent_at=None)
    post(client, article, notify="on", comment="A fourth one.")
    approve(Comment.objects.all())
    run_tasks()

    assert mail.outbox == []


def test_the_unsubscribe_link_shows_a_button_first(client, article, confirmed, run_tasks, post, approve):
    post(client, article, notify="on", comment="Another one.")
    approve(Comment.objects.all())
    run_tasks()

    response = client.get(links(mail.outbox[-1])["unsubscribe"])

    assert response.status_code == 200
    assert "<button" in response.content.decode()
    assert Subscriber.objects.get().unsubscribed_at is None


def test_erasing_a_commenters_data_forgets_their_subscription_and_export_shows_it(confirmed):
    assert export_personal_data("Ann@readers.example")["notifications"]["confirmed_at"] is not None

    erase_personal_data("ann@readers.example")

    assert not Subscriber.objects.exists()
    assert export_personal_data("ann@readers.example")["notifications"] is None


def test_subscribers_are_listed_for_superusers_only(admin_client, editor_client):
    Subscriber.objects.create(email="ann@readers.example")

    listed = admin_client.get("/admin/comments/subscriber/")

    assert listed.status_code == 200
    assert "ann@readers.example" in listed.content.decode()
    assert editor_client.get("/admin/comments/subscriber/").status_code == 403
