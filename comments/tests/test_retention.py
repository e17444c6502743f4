"""Retention: client details and spam and trash do not stay for ever."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from comments.models import Comment

pytestmark = pytest.mark.django_db


def days_ago(days):
    return timezone.now() - timedelta(days=days)


def test_ip_addresses_and_user_agents_go_after_the_retention_days(make_comment, settings, capsys):
    settings.COMMENTS_RETAIN_DAYS = 60
    details = {"ip_address": "203.0.113.9", "user_agent": "Firefox"}
    old = make_comment(created_at=days_ago(61), **details)
    recent = make_comment(created_at=days_ago(59), **details)
    old_pending = make_comment(created_at=days_ago(61), status=Comment.Status.PENDING, **details)

    call_command("prunecomments")

    old.refresh_from_db()
    recent.refresh_from_db()
    old_pending.refresh_from_db()
    assert (old.ip_address, old.user_agent) == (None, "")
    assert (old_pending.ip_address, old_pending.user_agent) == (None, "")
    assert (recent.ip_address, recent.user_agent) == ("203.0.113.9", "Firefox")
    assert old.email.endswith("@readers.example")
    assert old.status == Comment.Status.APPROVED
    assert "Removed the IP address and user agent of 2 comments older than 60 days" in capsys.readouterr().out


def test_spam_and_trash_are_deleted_after_the_purge_days(make_comment, settings, capsys):
    settings.COMMENTS_PURGE_DAYS = 30
    old_spam = make_comment(created_at=days_ago(31), status=Comment.Status.SPAM)
    old_trash = make_comment(created_at=days_ago(31), status=Comment.Status.TRASH)
    reply = make_comment(parent=old_trash)
    recent_spam = make_comment(created_at=days_ago(29), status=Comment.Status.SPAM)
    old_pending = make_comment(created_at=days_ago(90), status=Comment.Status.PENDING)
    old_approved = make_comment(created_at=days_ago(90))

    call_command("prunecomments")

    remaining = set(Comment.objects.values_list("pk", flat=True))
    assert remaining == {reply.pk, recent_spam.pk, old_pending.pk, old_approved.pk}
    assert old_spam.pk not in remaining
    reply.refresh_from_db()
    assert reply.parent is None
    assert "deleted 2 spam and trash comments older than 30 days" in capsys.readouterr().out


def test_zero_days_keep_everything(make_comment, settings):
    settings.COMMENTS_RETAIN_DAYS = 0
    settings.COMMENTS_PURGE_DAYS = 0
    kept = make_comment(created_at=days_ago(5000), status=Comment.Status.SPAM, ip_address="203.0.113.9")

    call_command("prunecomments")

    kept.refresh_from_db()
    assert kept.ip_address == "203.0.113.9"
