"""A commenter edits and deletes their own comment in a real browser; readers see "(edited)", never the links."""

import re

import pytest
from playwright.sync_api import expect

from comments.models import Comment

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def published_at_once(settings):
    """A browser fills the form faster than a person; comments are published without moderation."""
    settings.COMMENTS_MIN_SUBMIT_SECONDS = 0
    settings.COMMENTS_FLOOD_SECONDS = 0
    settings.COMMENTS_MODERATION = False


def test_commenter_edits_then_deletes_their_comment(
    page, new_tab, article, viewports, scrolls_sideways, axe_violations, screenshot
):
    page.goto(article.get_absolute_url())
    page.locator("#comment").fill("Teh first version.")
    page.locator("#author").fill("Kim Keys")
    page.locator("#email").fill("kim@readers.example")
    page.get_by_role("button", name="Post Comment").click()
    comment = page.locator(".comment")
    expect(comment).to_contain_text("Teh first version.")

    page.get_by_role("link", name="Edit your comment").click()
    expect(page.locator("#comment")).to_have_value("Teh first version.")
    for width_name, viewport in viewports.items():
        page.set_viewport_size(viewport)
        assert not scrolls_sideways(page), f"at {viewport['width']} px"
        assert axe_violations(page) == [], f"at {viewport['width']} px"
        screenshot(page, f"comment-edit-{width_name}")
    page.locator("#comment").fill("The first version, corrected.")
    page.get_by_role("button", name="Save changes").click()

    expect(page).to_have_url(re.compile(r"#comment-\d+$"))
    expect(comment).to_contain_text("The first version, corrected.")
    expect(comment.locator(".comment__edited")).to_have_text("(edited)")
    screenshot(page, "comment-edited", of=comment)
    reader = new_tab()
    reader.goto(article.get_absolute_url())
    expect(reader.locator(".comment")).to_contain_text("The first version, corrected.")
    expect(reader.locator(".comment__edited")).to_have_text("(edited)")
    expect(reader.get_by_role("link", name="Edit your comment")).to_have_count(0)

    page.get_by_role("link", name="Delete your comment").click()
    page.get_by_role("button", name="Delete").click()
    expect(page.get_by_role("status")).to_contain_text("It is no longer shown on the site.")
    assert Comment.objects.get().status == Comment.Status.TRASH
    reader.reload()
    expect(reader.locator(".comment")).to_have_count(0)
