import smtplib
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.mail import EmailMessage
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from comments import mail as comments_mail
from comments import moderation, tasks
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
    assert moderation.decide(new_comment(article)).status == Comment.Status.PENDING


def test_known_commenter_is_approved_at_once(article, make_comment):
    own = [make_comment(author="Ann Lee", email="ann@readers.example").pk]

    assert moderation.decide(new_comment(article), own_ids=own).status == Comment.Status.APPROVED
    assert moderation.decide(new_comment(article, email="other@readers.example"), own_ids=own).status == "pending"
    assert moderation.decide(new_comment(article, author="Someone Else"), own_ids=own).status == "pending"


def test_a_name_and_email_alone_do_not_make_a_commenter_known(article, make_comment):
    theirs = make_comment(author="Ann Lee", email="ann@readers.example")
    mine = make_comment(author="Mallory", email="mallory@readers.example")

    assert moderation.decide(new_comment(article)).status == Comment.Status.PENDING
    assert moderation.decide(new_comment(article), own_ids=[mine.pk]).status == Comment.Status.PENDING
    assert moderation.decide(new_comment(article), own_ids=[theirs.pk]).status == Comment.Status.APPROVED


@pytest.mark.parametrize("status", [Comment.Status.PENDING, Comment.Status.SPAM, Comment.Status.TRASH])
def test_only_an_approved_comment_makes_a_commenter_known(article, make_comment, status):
    own = [make_comment(author="Ann Lee", email="ann@readers.example", status=status).pk]

    assert moderation.decide(new_comment(article), own_ids=own).status == Comment.Status.PENDING


def test_auto_approval_of_known_commenters_can_be_switched_off(article, make_comment, settings):
    settings.COMMENTS_AUTO_APPROVE_KNOWN = False
    own = [make_comment(author="Ann Lee", email="ann@readers.example").pk]

    assert moderation.decide(new_comment(article), own_ids=own).status == Comment.Status.PENDING


def test_without_moderation_every_comment_is_approved(article, settings):
    settings.COMMENTS_MODERATION = False

    assert moderation.decide(new_comment(article)).status == Comment.Status.APPROVED


def test_pending_comment_is_mailed_to_editors_by_a_task_after_the_commit(
    article, settings, django_capture_on_commit_callbacks, run_tasks
):
    settings.COMMENTS_NOTIFY_EMAILS = ["desk@news.example", "night@news.example"]
    settings.SITE_URL = "https://news.example/"

    with django_capture_on_commit_callbacks() as callbacks:
        comment = moderation.receive(new_comment(article, url="https://ann.example"))
    assert DBTaskResult.objects.count() == 0
    for callback in callbacks:
        callback()
    assert mail.outbox == []
    assert DBTaskResult.objects.get().args_kwargs == {"args": [comment.pk], "kwargs": {}}

    assert run_tasks() == 1

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


def test_approved_comment_is_not_mailed(article, settings, django_capture_on_commit_callbacks, run_tasks):
    settings.COMMENTS_MODERATION = False
    settings.COMMENTS_NOTIFY_EMAILS = ["desk@news.example"]

    with django_capture_on_commit_callbacks(execute=True):
        moderation.receive(new_comment(article))

    assert run_tasks() == 0
    assert mail.outbox == []


def test_a_comment_moderated_before_the_notice_goes_is_not_mailed(
    article, settings, django_capture_on_commit_callbacks, run_tasks
):
    settings.COMMENTS_NOTIFY_EMAILS = ["desk@news.example"]

    with django_capture_on_commit_callbacks(execute=True):
        comment = moderation.receive(new_comment(article))
    Comment.objects.filter(pk=comment.pk).approve()
    run_tasks()

    assert mail.outbox == []


def test_editors_default_to_active_staff_with_an_email(db, settings):
    settings.COMMENTS_NOTIFY_EMAILS = []
    users = get_user_model().objects
    users.create_user("desk", "desk@news.example", is_staff=True)
    users.create_user("gone", "gone@news.example", is_staff=True, is_active=False)
    users.create_user("silent", "", is_staff=True)
    users.create_user("reader", "reader@readers.example")

    assert moderation.editor_emails() == ["desk@news.example"]


def test_no_editors_means_no_mail(article, settings, make_comment):
    settings.COMMENTS_NOTIFY_EMAILS = []

    assert comments_mail.editors_notice(make_comment(status=Comment.Status.PENDING).pk) is None


@pytest.mark.parametrize("error", [smtplib.SMTPRecipientsRefused({"desk@news.example": (550, b"no")}), OSError()])
def test_a_mail_failure_is_tried_again_later_and_logs_no_address(
    article, settings, monkeypatch, caplog, django_capture_on_commit_callbacks, run_tasks, error
):
    settings.COMMENTS_NOTIFY_EMAILS = ["desk@news.example"]

    def fail(*args, **kwargs):
        raise error

    with django_capture_on_commit_callbacks(execute=True):
        comment = moderation.receive(new_comment(article))
    with monkeypatch.context() as patch:
        patch.setattr(EmailMessage, "send", fail)
        started = timezone.now()
        assert run_tasks() == 1

    assert Comment.objects.get() == comment
    failed, retry = DBTaskResult.objects.order_by("enqueued_at")
    assert failed.status == TaskResultStatus.FAILED
    assert failed.exception_class_path == "comments.tasks.MailNotSent"
    assert retry.status == TaskResultStatus.READY
    assert retry.args_kwargs == {"args": [comment.pk], "kwargs": {"attempt": 2}}
    assert retry.run_after >= started + timedelta(minutes=1)
    assert "attempt 1 failed" in caplog.text
    assert "desk@news.example" not in caplog.text + failed.traceback
    assert "ann@readers.example" not in caplog.text + failed.traceback
    assert run_tasks() == 0
    assert mail.outbox == []

    assert run_tasks(retries=True) == 1

    assert len(mail.outbox) == 1
    assert DBTaskResult.objects.get(pk=retry.pk).status == TaskResultStatus.SUCCESSFUL


def test_a_mail_is_tried_mail_retry_attempts_times(article, settings, monkeypatch, make_comment, run_tasks):
    settings.COMMENTS_NOTIFY_EMAILS = ["desk@news.example"]
    settings.MAIL_RETRY_ATTEMPTS = 3

    def refuse(message):
        raise ConnectionRefusedError

    monkeypatch.setattr(EmailMessage, "send", refuse)
    tasks.notify_editors.enqueue(make_comment(status=Comment.Status.PENDING).pk)

    for _attempt in range(5):
        run_tasks(retries=True)

    attempts = DBTaskResult.objects.order_by("enqueued_at")
    assert [result.status for result in attempts] == [TaskResultStatus.FAILED] * 3
    assert "attempt 3 failed (ConnectionRefusedError); no attempts left" in attempts.last().traceback


@pytest.mark.parametrize(("attempt", "minutes"), [(1, 1), (2, 2), (3, 4), (6, 32), (7, 60), (29, 60)])
def test_retries_wait_longer_each_time_up_to_an_hour(attempt, minutes):
    assert tasks.retry_delay(attempt) == timedelta(minutes=minutes)
