"""Readers report published comments; enough reports send one back to the moderation queue."""

import pytest
from django.test import Client
from django.urls import reverse

from comments.models import Comment, CommentReport

pytestmark = pytest.mark.django_db


def report_url(comment):
    return f"/comments/report/{comment.pk}/"


def test_every_shown_comment_has_a_report_link(client, article, make_comment):
    comment = make_comment(author="Bo")

    html = client.get(article.get_absolute_url()).content.decode()

    assert (
        f'<a rel="nofollow" href="/comments/report/{comment.pk}/" aria-label="Report the comment by Bo">Report</a>'
        in html
    )


def test_the_report_form_asks_for_a_reason_and_optional_details(client, make_comment):
    response = client.get(report_url(make_comment(body="Rude words.")))

    assert response.status_code == 200
    html = response.content.decode()
    for value, label in CommentReport.Reason.choices:
        assert f'value="{value}"' in html
        assert str(label) in html
    assert "Rude words." in html


@pytest.mark.parametrize("status", [Comment.Status.PENDING, Comment.Status.SPAM, Comment.Status.TRASH])
def test_only_shown_comments_can_be_reported(client, make_comment, status):
    comment = make_comment(status=status)

    assert client.get(report_url(comment)).status_code == 404
    assert client.post(report_url(comment), {"reason": "spam"}).status_code == 404


def test_a_report_is_recorded_without_revealing_the_reporter(client, make_comment):
    comment = make_comment()

    response = client.post(report_url(comment), {"reason": "abuse", "text": "Insults another reader."})

    assert response.status_code == 200
    assert "Thank you. The editors will look at this comment." in response.content.decode()
    report = CommentReport.objects.get()
    assert (report.comment, report.reason, report.text) == (comment, "abuse", "Insults another reader.")
    assert len(report.reporter) == 64
    assert client.session.session_key not in report.reporter


def test_one_report_per_visitor_per_comment(client, make_comment):
    comment = make_comment()
    client.post(report_url(comment), {"reason": "spam"})

    again = client.post(report_url(comment), {"reason": "abuse"})

    assert again.status_code == 409
    assert "You have already reported this comment." in again.content.decode()
    assert "You have already reported this comment." in client.get(report_url(comment)).content.decode()
    assert CommentReport.objects.count() == 1


def test_a_report_without_a_reason_is_refused_keeping_the_text(client, make_comment):
    response = client.post(report_url(make_comment()), {"text": "Something typed."})

    assert response.status_code == 400
    html = response.content.decode()
    assert "Please choose a reason." in html
    assert "Something typed.</textarea>" in html
    assert not CommentReport.objects.exists()


def test_enough_reports_send_the_comment_back_to_moderation(article, make_comment, settings):
    settings.COMMENTS_REPORTS_TO_HOLD = 3
    comment = make_comment(body="Contested.")

    for number in range(3):
        Client().post(report_url(comment), {"reason": "abuse"})
        comment.refresh_from_db()
        assert comment.status == (Comment.Status.PENDING if number == 2 else Comment.Status.APPROVED)

    assert "Contested." not in Client().get(article.get_absolute_url()).content.decode()


def test_an_editor_approving_it_again_starts_the_count_again(make_comment, settings):
    settings.COMMENTS_REPORTS_TO_HOLD = 2
    comment = make_comment()
    for _visitor in range(2):
        Client().post(report_url(comment), {"reason": "spam"})

    Comment.objects.filter(pk=comment.pk).approve()
    Client().post(report_url(comment), {"reason": "spam"})

    comment.refresh_from_db()
    assert comment.status == Comment.Status.APPROVED
    assert CommentReport.objects.filter(reviewed=True).count() == 2


def test_reports_are_listed_in_the_admin_without_the_reporter(admin_client, make_comment):
    Client().post(report_url(make_comment()), {"reason": "personal-data", "text": "My address is in it."})
    reporter = CommentReport.objects.get().reporter

    html = admin_client.get("/admin/comments/commentreport/").content.decode()

    assert "My address is in it." in html
    assert reporter not in html


def test_looking_at_the_report_form_starts_no_session(client, make_comment):
    response = client.get(report_url(make_comment()))

    assert response.status_code == 200
    assert "sessionid" not in response.cookies


def test_an_editor_deletes_a_reported_comment_with_its_reports(editor_client, make_comment):
    comment = make_comment(body="Reported, then deleted.")
    CommentReport.objects.create(comment=comment, reason=CommentReport.Reason.SPAM, reporter="a-reader")
    delete_url = reverse("admin:comments_comment_delete", args=[comment.pk])

    confirmation = editor_client.get(delete_url)
    deleted = editor_client.post(delete_url, {"post": "yes"})

    assert confirmation.status_code == 200
    assert "permission to delete" not in confirmation.content.decode()
    assert deleted.status_code == 302
    assert not Comment.objects.filter(pk=comment.pk).exists()
    assert not CommentReport.objects.exists()
