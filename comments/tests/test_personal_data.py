import json
from datetime import UTC, datetime, timedelta

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.sessions.models import Session
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from comments.models import Comment, CommentBan
from comments.privacy import erase_personal_data, export_personal_data
from comments.tests.helpers import comment_form_data

pytestmark = pytest.mark.django_db

CHANGELIST = "admin:comments_comment_changelist"


@pytest.fixture
def anns_comments(article, make_article, make_comment):
    """Two comments by Ann (her email typed differently), a reply to one of them by Ben."""
    other_article = make_article(title="Another story")
    first = make_comment(
        author="Ann Lee",
        email="ann@readers.example",
        url="https://ann.example",
        ip_address="198.51.100.7",
        user_agent="Firefox",
        body="A fair point.",
    )
    second = make_comment(
        article=other_article,
        author="Ann L.",
        email="Ann@Readers.Example",
        status=Comment.Status.PENDING,
        body="Waiting.",
    )
    reply = make_comment(author="Ben", email="ben@readers.example", parent=first, body="Agreed.")
    Comment.objects.filter(pk=first.pk).update(created_at=datetime(2024, 7, 12, 10, tzinfo=UTC))
    return first, second, reply


def test_export_holds_every_comment_by_the_email_whatever_its_case(article, anns_comments):
    first, second, _reply = anns_comments

    data = export_personal_data("ANN@readers.example")

    assert [comment["text"] for comment in data["comments"]] == ["A fair point.", "Waiting."]
    exported = data["comments"][0]
    assert exported == {
        "article": {"title": article.title, "url": article.get_absolute_url()},
        "date": "2024-07-12T10:00:00+00:00",
        "text": "A fair point.",
        "name": "Ann Lee",
        "email": "ann@readers.example",
        "website": "https://ann.example",
        "ip_address": "198.51.100.7",
        "user_agent": "Firefox",
        "status": "approved",
        "url": first.get_absolute_url(),
    }
    assert data["comments"][1]["status"] == "pending"
    assert json.loads(json.dumps(data)) == data


def test_export_holds_the_bans_of_the_address_and_erasure_keeps_them(anns_comments):
    CommentBan.objects.ban(email="Ann@Readers.Example", note="Posted the same link ten times.")
    CommentBan.objects.ban(email="ben@readers.example")
    CommentBan.objects.ban(network="198.51.100.0/24")

    [ban] = export_personal_data("ann@readers.example")["bans"]

    assert ban["note"] == "Posted the same link ten times."
    assert ban["expires"] is None
    assert datetime.fromisoformat(ban["since"]) <= timezone.now()
    erase_personal_data("ann@readers.example")
    assert CommentBan.objects.filter(email="ann@readers.example").exists()
    assert export_personal_data("nobody@readers.example")["bans"] == []


def test_erase_anonymises_and_keeps_the_text_and_thread(anns_comments, pages_changed_sent):
    first, second, reply = anns_comments

    erased = erase_personal_data("ann@READERS.example")

    assert erased == 2
    first.refresh_from_db()
    assert (first.author, first.email, first.url, first.ip_address, first.user_agent) == ("Anonymous", "", "", None, "")
    assert first.body == "A fair point."
    assert Comment.objects.get(pk=reply.pk).parent == first
    assert Comment.objects.get(pk=reply.pk).email == "ben@readers.example"
    assert export_personal_data("ann@readers.example")["comments"] == []
    assert pages_changed_sent == [(Comment, sorted([first.pk, second.pk]))]


def test_erase_can_delete_the_text(anns_comments):
    erase_personal_data("ann@readers.example", delete_text=True)

    assert set(Comment.objects.filter(author="Anonymous").values_list("body", flat=True)) == {
        "This comment was removed at its author's request."
    }


def test_an_erased_comment_is_shown_anonymised(client, article, anns_comments):
    erase_personal_data("ann@readers.example")

    page = client.get(article.get_absolute_url()).content.decode()

    assert "Anonymous" in page
    assert "Ann Lee" not in page
    assert "ann.example" not in page


def test_the_comment_form_still_requires_an_email(client, article):
    response = client.post(reverse("comments:post", args=[article.pk]), comment_form_data(article, email=""))

    assert response.status_code == 400
    assert not Comment.objects.exists()


def test_personaldata_export_prints_json(anns_comments, capsys):
    call_command("personaldata", "export", "ann@readers.example")

    data = json.loads(capsys.readouterr().out)
    assert data["email"] == "ann@readers.example"
    assert len(data["comments"]) == 2


def test_personaldata_erase(anns_comments, capsys):
    call_command("personaldata", "erase", "ann@readers.example", "--delete-text")

    assert "Erased the personal data of 2 comments by ann@readers.example." in capsys.readouterr().out
    assert not Comment.objects.filter(body="A fair point.").exists()


def test_personaldata_refuses_what_is_not_an_email():
    with pytest.raises(CommandError, match="is not an email address"):
        call_command("personaldata", "export", "ann")


def test_admin_exports_the_selected_comments_authors_data(admin_client, anns_comments):
    first, _second, reply = anns_comments

    response = admin_client.post(
        reverse(CHANGELIST),
        {"action": "export_personal_data_action", ACTION_CHECKBOX_NAME: [first.pk, reply.pk]},
    )

    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="personal-data.json"'
    commenters = json.loads(response.content)["commenters"]
    assert [(c["email"], len(c["comments"])) for c in commenters] == [
        ("ann@readers.example", 2),
        ("ben@readers.example", 1),
    ]


def test_admin_erases_after_a_confirmation(admin_client, anns_comments):
    first, second, reply = anns_comments
    selection = {"action": "erase_personal_data_action", ACTION_CHECKBOX_NAME: [second.pk]}

    confirmation = admin_client.post(reverse(CHANGELIST), selection)

    assert confirmation.status_code == 200
    assert "ann@readers.example" in confirmation.content.decode()
    assert Comment.objects.get(pk=first.pk).author == "Ann Lee"

    done = admin_client.post(reverse(CHANGELIST), {**selection, "confirmed": "yes"}, follow=True)

    assert "Erased the personal data of 1 commenter (2 comments)." in done.content.decode()
    assert set(Comment.objects.filter(pk__in=[first.pk, second.pk]).values_list("author", "email")) == {
        ("Anonymous", "")
    }
    assert Comment.objects.get(pk=reply.pk).author == "Ben"


def test_admin_actions_skip_comments_already_erased(admin_client, anns_comments):
    first, _second, _reply = anns_comments
    erase_personal_data("ann@readers.example")

    response = admin_client.post(
        reverse(CHANGELIST),
        {"action": "export_personal_data_action", ACTION_CHECKBOX_NAME: [first.pk]},
        follow=True,
    )

    assert "The selected comments have no email address." in response.content.decode()


def test_erase_and_export_cover_the_details_browsers_remember(client, article, settings):
    remembering = {"author": "Ann Lee", "email": "Ann@Readers.example", "url": "https://ann.example"}
    ticked = {"wp-comment-cookies-consent": "on"}
    client.post(reverse("comments:post", args=[article.pk]), comment_form_data(article, **remembering, **ticked))
    other_browser, bens_browser = Client(), Client()
    other_browser.post(
        reverse("comments:post", args=[article.pk]),
        comment_form_data(article, comment="Again.", **remembering, **ticked),
    )
    bens_browser.post(
        reverse("comments:post", args=[article.pk]),
        comment_form_data(article, author="Ben", email="ben@readers.example", **ticked),
    )
    Session.objects.filter(session_key=other_browser.session.session_key).update(
        expire_date=timezone.now() - timedelta(days=1)
    )

    exported = export_personal_data("ann@readers.example")["remembered_in_browsers"]
    erase_personal_data("ann@readers.example")

    assert exported == [{"name": "Ann Lee", "email": "Ann@Readers.example", "website": "https://ann.example"}] * 2
    form = client.get(article.get_absolute_url()).content.decode().split('id="commentform"')[1]
    assert "Ann@Readers.example" not in form
    assert 'name="author" value' not in form
    assert not Session.objects.filter(session_key=other_browser.session.session_key).exists()
    assert export_personal_data("ann@readers.example")["remembered_in_browsers"] == []
    assert "ben@readers.example" in bens_browser.get(article.get_absolute_url()).content.decode()


def test_erase_and_export_cover_the_admin_history(admin_user, anns_comments):
    first, second, reply = anns_comments
    for comment in (first, reply):
        LogEntry.objects.log_actions(admin_user.pk, [comment], CHANGE, single_object=True)

    exported = export_personal_data("ann@readers.example")["admin_history"]
    erase_personal_data("ann@readers.example")

    assert [(entry["entry"], entry["comment_id"]) for entry in exported] == [("Comment by Ann Lee", first.pk)]
    entries = LogEntry.objects.order_by("pk")
    assert [entry.object_repr for entry in entries] == ["Comment by Anonymous", "Comment by Ben"]
    assert export_personal_data("ann@readers.example")["admin_history"] == []
