import logging
import smtplib
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.core import mail

from comments import moderation
from comments.models import Comment

pytestmark = pytest.mark.django_db


def new_comment(article, **fields):
    fields.setdefault("author", "Ann Lee")
    fields.setdefault("email", "ann@readers.example")
    fields.setdefault("body", "A first comment.")
    return Comment(article=article, **fields)


def test_comments_are_open_unless_switched_off(make_article):
    assert moderation.comments_are_open(make_article())
    assert not moderation.comments_are_open(make_article(comments_open=False))


def test_comments_close_a_number_of_days_after_publication(article, settings):
    settings.COMMENTS_CLOSE_AFTER_DAYS = 14

    assert moderation.comments_are_open(article, now=article.published_at + timedelta(days=13, hours=23))
    assert not moderation.comments_are_open(article, now=article.published_at + timedelta(days=14))


def test_zero_days_never_closes(article, settings):
    settings.COMMENTS_CLOSE_AFTER_DAYS = 0

    assert moderation.comments_are_open(article, now=article.published_at + timedelta(days=10_000))


def test_new_commenter_waits_for_moderation(article):
    assert moderation.status_for(new_comment(article)) == Comment.Status.PENDING


def test_known_commenter_is_approved_at_once(article, make_comment):
    own = [make_comment(author="Ann Lee", email="ann@readers.example").pk]

    assert moderation.status_for(new_comment(article), own_ids=own) == Comment.Status.APPROVED
    assert moderation.status_for(new_comment(article, email="other@readers.example"), own_ids=own) == "pending"
    assert moderation.status_for(new_comment(article, author="Someone Else"), own_ids=own) == "pending"


def test_a_name_and_email_alone_do_not_make_a_commenter_known(article, make_comment):
    theirs = make_comment(author="Ann Lee", email="ann@readers.example")
    mine = make_comment(author="Mallory", email="mallory@readers.example")

    assert moderation.status_for(new_comment(article)) == Comment.Status.PENDING
    assert moderation.status_for(new_comment(article), own_ids=[mine.pk]) == Comment.Status.PENDING
    assert moderation.status_for(new_comment(article), own_ids=[theirs.pk]) == Comment.Status.APPROVED


@pytest.mark.parametrize("status", [Comment.Status.PENDING, Comment.Status.SPAM, Comment.Status.TRASH])
def test_only_an_approved_comment_makes_a_commenter_known(article, make_comment, status):
    own = [make_comment(author="Ann Lee", email="ann@readers.example", status=status).pk]

    assert moderation.status_for(new_comment(article), own_ids=own) == Comment.Status.PENDING


def test_auto_approval_of_known_commenters_can_be_switched_off(article, make_comment, settings):
    settings.COMMENTS_AUTO_APPROVE_KNOWN = False
    own = [make_comment(author="Ann Lee", email="ann@readers.example").pk]

    assert moderation.status_for(new_comment(article), own_ids=own) == Comment.Status.PENDING


def test_without_moderation_every_comment_is_approved(article, settings):
    settings.COMMENTS_MODERATION = False

    assert moderation.status_for(new_comment(article)) == Comment.Status.APPROVED


def test_pending_comment_is_mailed_to_editors_after_the_commit(article, settings, django_capture_on_commit_callbacks):
    settings.COMMENTS_NOTIFY_EMAILS = ["desk@news.example", "night@news.example"]
    settings.SITE_URL = "https://news.example/"

    with django_capture_on_commit_callbacks() as callbacks:
        comment = moderation.receive(new_comment(article, url="https://ann.example"))
        assert mail.outbox == []
    for callback in callbacks:
        callback()

    assert Comment.objects.get().status == Comment.Status.PENDING
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["desk@news.example", "night@news.example"]
    assert message.subject == f"[Newsroom] Please moderate: “{article.title}”"
    assert "Ann Lee" in message.body
    assert "ann@readers.example" in message.body
    assert "A first comment." in message.body
    assert f"https://news.example/admin/comments/comment/{comment.pk}/change/" in message.body
    assert f"https://news.example{article.get_absolute_url()}" in message.body


def test_approved_comment_is_not_mailed(article, settings, django_capture_on_commit_callbacks):
    settings.COMMENTS_MODERATION = False
    settings.COMMENTS_NOTIFY_EMAILS = ["desk@news.example"]

    with django_capture_on_commit_callbacks(execute=True):
        moderation.receive(new_comment(article))

    assert mail.outbox == []


def test_editors_default_to_active_staff_with_an_email(db, settings):
    settings.COMMENTS_NOTIFY_EMAILS = []
    users = get_user_model().objects
    users.create_user("desk", "desk@news.example", is_staff=True)
    users.create_user("gone", "gone@news.example", is_staff=True, is_active=False)
    users.create_user("silent", "", is_staff=True)
    users.create_user("reader", "reader@readers.example")

    assert moderation.editor_emails() == ["desk@news.example"]


def test_no_editors_means_no_mail(article, settings):
    settings.COMMENTS_NOTIFY_EMAILS = []

    moderation.notify_editors(new_comment(article))

    assert mail.outbox == []


@pytest.mark.parametrize("error", [smtplib.SMTPException("refused"), ConnectionRefusedError("no server")])
def test_mail_failure_is_logged_and_keeps_the_comment(
    article, settings, monkeypatch, caplog, django_capture_on_commit_callbacks, error
):
    settings.COMMENTS_NOTIFY_EMAILS = ["desk@news.example"]

    def fail(*args, **kwargs):
        raise error

    monkeypatch.setattr(moderation, "send_mail", fail)

    with caplog.at_level(logging.ERROR), django_capture_on_commit_callbacks(execute=True):
        comment = moderation.receive(new_comment(article))

    assert Comment.objects.get() == comment
    assert f"Could not send the moderation notice for comment {comment.pk}" in caplog.text
    assert "ann@readers.example" not in caplog.text
