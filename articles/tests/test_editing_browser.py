"""An editor in a real browser: fixing a typo, adding a correction, comparing and restoring revisions,
and scheduling an article."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from articles.models import Article, record_revision

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TYPO = "Otters were seen near the brigde at dawn."
FIXED = "Otters were seen near the bridge at dawn."


@pytest.fixture
def admin_page(page, editor_with_password):
    """The browser tab, logged in to the admin as an editor."""
    page.goto("/admin/")
    page.get_by_label("Username").fill(editor_with_password.username)
    page.get_by_label("Password").fill(editor_with_password.test_password)
    page.get_by_role("button", name="Log in").click()
    expect(page.locator("#site-name")).to_be_visible()
    return page


@pytest.fixture
def story(make_article, make_section, make_tag):
    article = make_article(
        title="Otters return to the river",
        standfirst="The first sighting in sixty years.",
        body=f"{TYPO}\n\nThey were last seen here in 1962.",
        section=make_section(name="Science"),
        tags=[make_tag(name="Wildlife")],
    )
    record_revision(article, "Written.")
    return article


def test_editor_fixes_a_typo_corrects_the_record_and_restores_the_earlier_revision(
    admin_page, new_tab, story, viewports, axe_violations, scrolls_sideways, screenshot
):
    page = admin_page
    page.goto(f"/admin/articles/article/{story.pk}/change/")
    page.locator("#id_body").fill(f"{FIXED}\n\nThey were last seen here in 1962.")
    page.get_by_role("button", name="Save and continue editing").click()
    expect(page.locator(".messagelist")).to_contain_text("was changed successfully")

    page.get_by_role("button", name=re.compile("Add another correction or update", re.IGNORECASE)).click()
    page.locator("#id_notes-0-text").fill("An earlier version of this article misspelled “bridge”.")
    page.get_by_role("button", name="Save and continue editing").click()
    expect(page.locator(".messagelist")).to_contain_text("was changed successfully")

    reader = new_tab()
    reader.goto(story.get_absolute_url())
    today = timezone.localdate().strftime("%-d %B %Y")
    expect(reader.locator(".article__updated")).to_have_text(f"Updated {today}")
    expect(reader.locator(".article-notes")).to_contain_text("An earlier version of this article misspelled")
    expect(reader.locator(".article__body")).to_contain_text(FIXED)
    for width_name, viewport in viewports.items():
        reader.set_viewport_size(viewport)
        reader.reload()
        assert not scrolls_sideways(reader), f"at {viewport['width']} px"
        assert axe_violations(reader) == [], f"at {viewport['width']} px"
        screenshot(reader, f"article-with-correction-{width_name}")

    page.get_by_role("link", name="History").click()
    expect(page.locator("#change-history tbody tr")).to_have_count(3)
    page.get_by_role("radio", name=re.compile("^Compare from the revision of")).nth(2).check()
    page.get_by_role("radio", name=re.compile("^Compare to the revision of")).nth(0).check()
    page.get_by_role("button", name="Compare selected revisions").click()
    expect(page.get_by_role("heading", name="Body")).to_be_visible()
    expect(page.locator(".revision-diff del")).to_have_text("removed: brigde")
    expect(page.locator(".revision-diff ins")).to_have_text("added: bridge")
    screenshot(page, "admin-revision-compare")

    page.get_by_role("link", name=re.compile("^Restore the revision of")).click()
    expect(page.locator("#id_body")).to_have_value(f"{TYPO}\n\nThey were last seen here in 1962.")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".messagelist")).to_contain_text("was changed successfully")

    reader.reload()
    expect(reader.locator(".article__body")).to_contain_text(TYPO)
    expect(reader.locator(".article-notes")).to_contain_text("misspelled")  # the correction stays on record
    story.refresh_from_db()
    assert story.body.startswith(TYPO)


def test_the_save_button_says_schedule_while_the_date_is_to_come(admin_page, article):
    page = admin_page
    Article.objects.filter(pk=article.pk).update(status=Article.Status.DRAFT)
    page.goto(f"/admin/articles/article/{article.pk}/change/")
    save = page.locator("input[name=_save]")
    expect(save).to_have_value("Save")

    page.locator("#id_status").select_option("published")
    expect(save).to_have_value("Save")
    next_year = timezone.localtime() + timedelta(days=365)
    page.locator("#id_published_at_0").fill(next_year.strftime("%Y-%m-%d"))
    expect(save).to_have_value("Schedule")
    page.locator("#id_status").select_option("draft")
    expect(save).to_have_value("Save")
    page.locator("#id_status").select_option("published")
    save.click()

    scheduled = re.compile(rf"Scheduled for \w+\.? {next_year.day}, {next_year.year}")
    expect(page.locator("#result_list td.field-publication")).to_have_text(scheduled)
