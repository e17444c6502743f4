"""The moderation queue in the admin: queues with counts, commenters' history, bans from the list, shortcuts."""

import re
from datetime import timedelta

import pytest
from django.contrib.auth.models import Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from pytest_django.asserts import assertInHTML

from comments.models import Comment, CommentBan, CommentReport

pytestmark = pytest.mark.django_db

QUEUE = reverse("admin:comments_comment_changelist")


def listed(response):
    return sorted(comment.pk for comment in response.context["cl"].result_list)


def report(comment, reporter, reviewed=False):
    return CommentReport.objects.create(comment=comment, reporter=reporter, reason="abuse", reviewed=reviewed)


@pytest.fixture
def queues(make_comment):
    """Two pending comments, one published comment with an open report, one whose report was dealt with, spam."""
    reported = make_comment(body="Reported and published.")
    report(reported, "a")
    dealt_with = make_comment(body="Reported, then kept.")
    report(dealt_with, "b", reviewed=True)
    trashed = make_comment(status=Comment.Status.TRASH, body="Reported, then trashed.")
    report(trashed, "c")
    return {
        "pending": [make_comment(status=Comment.Status.PENDING) for _ in range(2)],
        "reported": [reported],
        "spam": [make_comment(status=Comment.Status.SPAM)],
    }


def test_the_queues_are_linked_with_their_counts(editor_client, queues):
    listing = editor_client.get(QUEUE).content.decode()

    assertInHTML('<a href="?queue=pending">Pending (2)</a>', listing)
    assertInHTML('<a href="?queue=reported">Reported (1)</a>', listing)
    assertInHTML('<a href="?queue=spam">Spam (1)</a>', listing)


def test_a_queue_and_a_status_are_not_combined_and_count_every_comment(editor_client, queues):
    in_spam_queue = editor_client.get(QUEUE, {"queue": "spam"}).content.decode()
    with_a_status = editor_client.get(QUEUE, {"status__exact": "approved"}).content.decode()
    searched = editor_client.get(QUEUE, {"q": "no such words"}).content.decode()

    assertInHTML('<a href="?status__exact=approved">Approved (2)</a>', in_spam_queue)
    assertInHTML('<a href="?queue=pending">Pending (2)</a>', with_a_status)
    assertInHTML('<a href="?queue=reported">Reported (1)</a>', with_a_status)
    assertInHTML('<a href="?q=no+such+words&amp;queue=spam">Spam (1)</a>', searched)


@pytest.mark.parametrize("queue", ["pending", "reported", "spam"])
def test_each_queue_lists_its_comments(editor_client, queues, queue):
    response = editor_client.get(QUEUE, {"queue": queue})

    assert listed(response) == sorted(comment.pk for comment in queues[queue])


def test_approving_a_published_reported_comment_dismisses_its_reports(editor_client, queues):
    reported = queues["reported"][0]
    listing = editor_client.get(QUEUE, {"queue": "reported"}).content.decode()
    assert "1 open report" in listing

    moderate = reverse("admin:comments_comment_moderate", args=[reported.pk, "approve"])
    followed = editor_client.post(f"{moderate}?next={QUEUE}?queue=reported", follow=True)

    assert "The reports of 1 comment were dismissed." in followed.content.decode()
    assert listed(followed) == []
    assert not reported.reports.filter(reviewed=False).exists()


def test_history_counts_the_commenters_other_comments_by_email_or_address(make_comment):
    shown = make_comment(status=Comment.Status.PENDING, email="Ann_Lee@Readers.example", ip_address="198.51.100.7")
    make_comment(email="ann_lee@readers.example")
    make_comment(email="ann_lee@readers.example", ip_address="203.0.113.1", status=Comment.Status.SPAM)
    make_comment(email="other@readers.example", ip_address="198.51.100.7")
    make_comment(email="other@readers.example", ip_address="198.51.100.7", status=Comment.Status.TRASH)
    make_comment(email="ann_lee@readers.example", status=Comment.Status.PENDING)
    make_comment(email="stranger@readers.example", ip_address="198.51.100.8")
    make_comment(email="annxlee@readers.example")
    erased = make_comment(status=Comment.Status.PENDING, email="", ip_address=None)
    make_comment(email="", ip_address=None, status=Comment.Status.SPAM)

    annotated = {comment.pk: comment for comment in Comment.objects.with_history()}
    ids = (shown.pk, erased.pk)

    counts = [(annotated[pk].history_approved, annotated[pk].history_spam, annotated[pk].history_trash) for pk in ids]
    assert counts == [(2, 1, 1), (0, 0, 0)]


def test_the_list_shows_each_commenters_history(editor_client, make_comment):
    make_comment(email="ann@readers.example")
    make_comment(email="ann@readers.example", status=Comment.Status.SPAM)
    make_comment(email="ann@readers.example", status=Comment.Status.PENDING)

    listing = editor_client.get(QUEUE, {"queue": "pending"}).content.decode()

    assertInHTML(f'<a href="{QUEUE}?q=ann%40readers.example">1 approved, 1 spam, 0 trash</a>', listing)


def changelist_queries(client):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(QUEUE)
    assert response.status_code == 200
    return len(queries)


def test_the_lists_queries_do_not_grow_with_its_rows(editor_client, make_comment, make_article):
    def add_rows(count):
        for number in range(count):
            comment = make_comment(
                article=make_article(),
                status=Comment.Status.PENDING,
                email=f"row{number}@readers.example",
                ip_address=f"198.51.100.{number}",
            )
            report(comment, f"reporter-{number}")
            make_comment(email=comment.email, status=Comment.Status.SPAM)

    add_rows(2)
    few = changelist_queries(editor_client)
    add_rows(8)
    many = changelist_queries(editor_client)

    assert few == many


def test_banning_the_selected_commenters_emails(editor_client, editor, make_comment, settings):
    settings.COMMENTS_BAN_DAYS = 30
    first = make_comment(email="Ann@Readers.example")
    second = make_comment(email="ann@readers.example")
    third = make_comment(email="bob@readers.example")
    erased = make_comment(email="")
    selected = [first.pk, second.pk, third.pk, erased.pk]

    response = editor_client.post(QUEUE, {"action": "ban_emails_action", "_selected_action": selected}, follow=True)
    again = editor_client.post(QUEUE, {"action": "ban_emails_action", "_selected_action": selected}, follow=True)

    assert "2 email addresses banned." in response.content.decode()
    assert "0 email addresses banned." in again.content.decode()
    bans = CommentBan.objects.order_by("email")
    assert [(ban.email, ban.network, ban.created_by) for ban in bans] == [
        ("ann@readers.example", "", editor),
        ("bob@readers.example", "", editor),
    ]
    expected = timezone.now() + timedelta(days=30)
    assert all(abs(ban.expires_at - expected) < timedelta(minutes=1) for ban in bans)


def test_banning_the_selected_commenters_addresses_bans_an_ipv6_subscribers_slash_64(
    editor_client, make_comment, settings
):
    settings.COMMENTS_BAN_DAYS = 0
    ipv4 = make_comment(ip_address="198.51.100.7")
    ipv6 = make_comment(ip_address="2001:db8:1:2::abcd")
    unknown = make_comment(ip_address=None)

    response = editor_client.post(
        QUEUE, {"action": "ban_addresses_action", "_selected_action": [ipv4.pk, ipv6.pk, unknown.pk]}, follow=True
    )

    assert "2 IP addresses banned." in response.content.decode()
    assert sorted(CommentBan.objects.values_list("network", "expires_at")) == [
        ("198.51.100.7/32", None),
        ("2001:db8:1:2::/64", None),
    ]
    assert CommentBan.objects.matching("", "2001:db8:1:2::1").exists()


def test_who_may_not_add_bans_does_not_get_the_ban_actions(client, django_user_model, make_comment):
    moderator = django_user_model.objects.create_user("mod", is_staff=True)
    moderator.user_permissions.add(*Permission.objects.filter(codename__in=["view_comment", "change_comment"]))
    make_comment()
    client.force_login(moderator)

    listing = client.get(QUEUE).content.decode()

    assert "ban_emails_action" not in listing
    assert "approve" in listing


def test_the_list_documents_its_shortcuts_and_loads_them_from_a_file(editor_client, make_comment):
    make_comment(status=Comment.Status.PENDING)

    listing = editor_client.get(QUEUE).content.decode()

    assert "Keyboard shortcuts" in listing
    for key in ("j", "k", "a", "s", "t", "u", "?"):
        assert f"<kbd>{key}</kbd>" in listing
    assert re.search(r'<div id="moderation-status"[^>]*role="status"', listing)
    assert '<script src="/static/js/comment-moderation.js">' in listing
    scripts = re.findall(r"<script\b[^>]*>", listing)
    assert all("src=" in tag or 'type="application/json"' in tag for tag in scripts), scripts


def test_who_may_only_view_comments_gets_no_shortcuts(client, django_user_model, make_comment):
    viewer = django_user_model.objects.create_user("viewer", is_staff=True)
    viewer.user_permissions.add(Permission.objects.get(codename="view_comment"))
    make_comment()
    client.force_login(viewer)

    listing = client.get(QUEUE).content.decode()

    assert "Keyboard shortcuts" not in listing
