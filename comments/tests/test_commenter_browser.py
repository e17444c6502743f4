"""One commenter, in one browser, through the whole loop: a comment posted asking for notices, the address
confirmed from the mail, the approval and a reply told by mail, the comment edited, another reader's comment
reported, the notices stopped from a mail's link. No page the readers saw, and no mail, shows another
commenter's email."""

import re

import pytest
from django_tasks_db.models import DBTaskResult
from playwright.sync_api import expect

from comments.models import Comment, CommentReport, Subscriber
from comments.tests.helpers import deliver, mail_link, record_pages

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AWAITING = "Your comment is awaiting moderation."
KIM = "kim@readers.example"
BO = "bo@readers.example"


@pytest.fixture(autouse=True)
def site(settings, live_server):
    """Mail links lead to the live server; no minimum time before posting, as a browser fills forms at once.
    The editor has no email address, so every mail sent goes to a commenter."""
    settings.SITE_URL = live_server.url
    settings.COMMENTS_MIN_SUBMIT_SECONDS = 0
    settings.COMMENTS_NOTIFY_EMAILS = []


def post_comment(tab, name, email, text, *, notify=False):
    tab.locator("#comment").fill(text)
    tab.locator("#author").fill(name)
    tab.locator("#email").fill(email)
    if notify:
        tab.get_by_label("Notify me of replies and when my comment is approved").check()
    tab.get_by_role("button", name="Post Comment").click()


def reply_to_kim(tab, article, text):
    tab.goto(article.get_absolute_url())
    tab.get_by_role("link", name="Reply to Kim Keys").click()
    expect(tab.locator("#reply-title")).to_contain_text("Leave a Reply to Kim Keys")
    post_comment(tab, "Bo Chen", BO, text)


def test_a_commenter_is_notified_edits_reports_and_unsubscribes(
    page, new_tab, live_server, article, admin_login, run_tasks, axe_violations
):
    seen = []
    record_pages(page, seen)
    mails = []

    page.goto(article.get_absolute_url())
    post_comment(page, "Kim Keys", KIM, "Where does the figure of 90% come from?", notify=True)
    expect(page.locator(".comment--pending")).to_contain_text(AWAITING)
    assert axe_violations(page) == []
    comment = Comment.objects.get()
    assert (comment.status, comment.notify) == (Comment.Status.PENDING, True)

    [confirmation] = deliver(run_tasks)
    mails.append(confirmation)
    assert confirmation.to == [KIM]
    assert article.title in confirmation.body
    page.goto(mail_link(confirmation, "comments:confirm"))
    assert Subscriber.objects.get().confirmed_at is None
    page.get_by_role("button", name="Confirm").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your address is confirmed")
    assert Subscriber.objects.get().may_be_notified

    admin = new_tab()
    admin_login(admin)
    admin.get_by_role("link", name="1 comment awaiting moderation").click()
    admin.locator("#result_list tr", has_text="Kim Keys").get_by_role("button", name="Approve").click()
    expect(admin.locator(".messagelist")).to_contain_text("1 comment approved.")

    [approval] = deliver(run_tasks)
    mails.append(approval)
    comment_url = f"{live_server.url}{comment.get_absolute_url()}"
    unsubscribe = mail_link(approval, "comments:unsubscribe")
    assert approval.to == [KIM]
    assert approval.subject == f"[Newsroom] Your comment on “{article.title}” is published"
    assert comment_url in approval.body
    assert approval.extra_headers["List-Unsubscribe"] == f"<{unsubscribe}>"
    assert approval.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    page.goto(comment_url)
    kim_comment = page.locator(f"#{comment.anchor} > .comment__body")
    expect(kim_comment).to_contain_text("Where does the figure of 90% come from?")
    expect(kim_comment).not_to_contain_text(AWAITING)

    reader = new_tab()
    record_pages(reader, seen)
    reply_to_kim(reader, article, "It was in a State Department briefing in the spring.")
    expect(reader.locator(".comment--pending")).to_contain_text(AWAITING)
    reply = Comment.objects.get(author="Bo Chen")
    assert reply.parent == comment
    assert deliver(run_tasks) == [], "nothing is told of a reply before it is published"
    Comment.objects.filter(pk=reply.pk).approve()

    [reply_notice] = deliver(run_tasks)
    mails.append(reply_notice)
    assert reply_notice.to == [KIM]
    assert reply_notice.subject == f"[Newsroom] Bo Chen replied to your comment on “{article.title}”"
    assert "It was in a State Department briefing in the spring." in reply_notice.body
    assert f"{live_server.url}{reply.get_absolute_url()}" in reply_notice.body
    assert reply_notice.extra_headers["List-Unsubscribe"] == f"<{mail_link(reply_notice, 'comments:unsubscribe')}>"

    page.goto(article.get_absolute_url())
    expect(page.get_by_role("link", name="Edit your comment")).to_have_count(1)
    page.get_by_role("link", name="Edit your comment").click()
    expect(page.locator("#comment")).to_have_value("Where does the figure of 90% come from?")
    page.locator("#comment").fill("Where does the figure of 90% of microelectronics come from?")
    page.get_by_role("button", name="Save changes").click()
    expect(page).to_have_url(re.compile(rf"#{comment.anchor}$"))
    expect(kim_comment).to_contain_text("Where does the figure of 90% of microelectronics come from?")
    expect(kim_comment.locator(".comment__edited")).to_have_text("(edited)")
    assert Comment.objects.get(pk=comment.pk).status == Comment.Status.APPROVED

    page.get_by_role("link", name="Report the comment by Bo Chen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Report a comment")
    report_url = page.url
    second = page.context.new_page()
    record_pages(second, seen)
    second.goto(report_url)
    assert axe_violations(page) == []
    page.get_by_label("Off-topic").check()
    page.get_by_label("Anything to add (optional)").fill("It answers, but it is not about the article.")
    page.get_by_role("button", name="Send report").click()
    expect(page.get_by_role("status")).to_have_text("Thank you. The editors will look at this comment.")
    assert axe_violations(page) == []

    second.get_by_label("Spam").check()
    with second.expect_response(report_url) as refused:
        second.get_by_role("button", name="Send report").click()
    assert refused.value.status == 409
    expect(second.get_by_role("status")).to_have_text(
        "You have already reported this comment. The editors will look at it."
    )
    second.goto(report_url)
    expect(second.get_by_role("status")).to_contain_text("You have already reported this comment.")
    expect(second.get_by_role("button", name="Send report")).to_have_count(0)
    assert list(CommentReport.objects.values_list("comment", "reason")) == [(reply.pk, "off-topic")]

    page.goto(unsubscribe)
    page.get_by_role("button", name="Unsubscribe").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("You are unsubscribed")
    assert Subscriber.objects.get().unsubscribed_at is not None

    reply_to_kim(reader, article, "And the same figure was in the spring report.")
    expect(reader).to_have_url(re.compile(r"#comment-\d+$"))
    second_reply = Comment.objects.get(body="And the same figure was in the spring report.")
    assert second_reply.status == Comment.Status.APPROVED, "Bo is known from his approved reply"
    expect(reader.locator(f"#{second_reply.anchor} > .comment__body")).not_to_contain_text(AWAITING)
    assert deliver(run_tasks) == []
    assert DBTaskResult.objects.filter(task_path__endswith=".notify_reply").count() == 2

    seen += [tab.content() for tab in (page, second, reader)]
    for html in seen:
        assert KIM not in html
        assert BO not in html
    for message in mails:
        assert BO not in message.subject + message.body + str(message.extra_headers)
