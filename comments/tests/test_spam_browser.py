"""A person in a real browser never trips the comment form's defences against robots."""

import pytest
from playwright.sync_api import expect

from comments.models import Comment

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_person_typing_in_a_browser_never_meets_the_honeypot(page, article, settings):
    settings.COMMENTS_MIN_SUBMIT_SECONDS = 0  # a person takes longer than robots; the test types at once
    page.goto(article.get_absolute_url())
    trap = page.locator('[aria-hidden="true"]:has(#url_confirm)').bounding_box()

    page.locator("#comment").fill("Typed by a person.")
    page.locator("#author").fill("Ann Lee")
    page.locator("#email").fill("ann@readers.example")
    page.locator("#url").focus()
    page.keyboard.press("Tab")
    expect(page.locator("#wp-comment-cookies-consent")).to_be_focused()
    page.get_by_role("button", name="Post Comment").click()

    expect(page.locator(".comment", has_text="Typed by a person.")).to_contain_text(
        "Your comment is awaiting moderation."
    )
    assert (trap["width"], trap["height"]) == (1, 1)
    assert Comment.objects.get().status == Comment.Status.PENDING
