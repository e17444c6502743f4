"""A moderator works the comment queue in a real browser with the keyboard alone."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from comments.models import Comment

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

QUEUE = reverse("admin:comments_comment_changelist")


@pytest.fixture
def waiting(make_comment):
    """Three pending comments, newest first as the queue lists them."""
    now = timezone.now()
    return [
        make_comment(
            author=f"Reader {number}",
            body=f"Waiting comment {number}.",
            status=Comment.Status.PENDING,
            created_at=now - timedelta(minutes=number),
        )
        for number in range(3)
    ]


@pytest.fixture
def csp_page(browser, live_server, viewports):
    """A tab that keeps the site's Content-Security-Policy, so that the shortcuts are shown to run under it."""
    context = browser.new_context(base_url=live_server.url, viewport=viewports["desktop"])
    yield context.new_page()
    context.close()


def rows(tab):
    return tab.locator("#result_list tbody tr")


def test_a_moderator_approves_with_the_keyboard_alone_and_hears_it(page, admin_login, waiting, axe_violations):
    admin_login(page)
    page.goto(f"{QUEUE}?queue=pending")
    expect(page.get_by_role("heading", name="Keyboard shortcuts")).to_be_visible()
    expect(page.locator("#moderation-shortcuts")).to_contain_text("approve")
    assert axe_violations(page, within="#content") == []

    page.keyboard.press("j")
    expect(rows(page).nth(0)).to_be_focused()
    page.keyboard.press("j")
    expect(rows(page).nth(1)).to_be_focused()
    assert page.evaluate("() => getComputedStyle(document.activeElement).outlineStyle") == "solid"
    page.keyboard.press("k")
    page.keyboard.press("j")
    expect(rows(page).nth(1)).to_be_focused()

    page.keyboard.press("a")

    expect(page.get_by_role("status")).to_have_text("Approved: Comment by Reader 1")
    expect(page.locator(".messagelist")).to_contain_text("1 comment approved.")
    approved = Comment.objects.get(pk=waiting[1].pk)
    assert approved.status == Comment.Status.APPROVED
    expect(rows(page)).to_have_count(2)
    expect(rows(page).nth(1)).to_be_focused()
    expect(rows(page).nth(1)).to_contain_text("Waiting comment 2.")

    page.keyboard.press("s")
    expect(page.get_by_role("status")).to_have_text("Marked as spam: Comment by Reader 2")
    assert Comment.objects.get(pk=waiting[2].pk).status == Comment.Status.SPAM
    expect(rows(page).nth(0)).to_be_focused()


def test_shortcuts_run_under_the_sites_csp_and_are_ignored_while_typing(csp_page, admin_login, waiting):
    page = csp_page
    admin_login(page)
    page.goto(f"{QUEUE}?queue=pending")

    page.keyboard.press("a")
    expect(page.get_by_role("status")).to_have_text("Press j to choose a comment first.")

    page.locator("#searchbar").focus()
    page.keyboard.type("jat")
    expect(page.locator("#searchbar")).to_have_value("jat")
    assert Comment.objects.filter(status=Comment.Status.PENDING).count() == 3

    page.locator("#searchbar").blur()
    page.keyboard.press("?")
    expect(page.locator("#moderation-shortcuts")).to_be_focused()

    page.keyboard.press("j")
    page.keyboard.press("t")
    expect(page.get_by_role("status")).to_have_text("Moved to the trash: Comment by Reader 0")
    assert Comment.objects.get(pk=waiting[0].pk).status == Comment.Status.TRASH
