"""One article through the newsroom, in a real browser: an editor uploads a lead image, writes the body in the
admin's editor under the site's Content-Security-Policy and publishes; readers see it at phone and desktop widths;
the editor fixes a typo, adds a correction, compares two revisions and restores the earlier one."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from playwright.sync_api import expect

from articles.demo.pictures import demo_picture
from articles.models import Article
from articles.tests.helpers import click_after, double_click_word

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LEAD_ALT = "Blue-grey hills under an evening sky, the sun above them"
TYPO = "Otters were seen near the brigde at dawn."
FIXED = "Otters were seen near the bridge at dawn."
CORRECTION = "An earlier version of this article misspelled “bridge”."


@pytest.fixture
def river(make_image, monkeypatch):
    """A picture already in the library, which the library's dialog lists one a page: the editor's upload, newer,
    comes first, and this one on the next page."""
    monkeypatch.setattr("images.admin.LIBRARY_PAGE_SIZE", 1)
    jpeg, alt = demo_picture("river")
    return make_image(
        alt=alt, caption="Where the otters came back.", upload=SimpleUploadedFile("river.jpg", jpeg.getvalue())
    )


def test_an_article_from_upload_to_restored_revision(
    strict_page,
    csp_violations,
    admin_login,
    new_tab,
    make_author,
    river,
    viewports,
    axe_violations,
    scrolls_sideways,
    screenshot,
):
    tab = strict_page
    make_author(name="Jo Rivers")
    admin_login(tab)

    # The lead image, uploaded to the library.
    tab.goto("/admin/images/image/add/")
    picture, _alt = demo_picture("browser-test")
    tab.get_by_label("Picture").set_input_files(
        {"name": "evening-hills.jpg", "mimeType": "image/jpeg", "buffer": picture.getvalue()}
    )
    tab.get_by_label("Alt text").fill(LEAD_ALT)
    tab.get_by_label("Caption").fill("The Aske valley after the rain.")
    tab.get_by_label("Credit").fill("Illustration: Newsroom")
    tab.get_by_role("button", name="Save", exact=True).click()
    expect(tab.locator(".messagelist")).to_contain_text("was added successfully")
    expect(tab.locator("#result_list img.image-thumbnail")).to_have_count(2)

    # A new article: its fields, the lead image, the body in the editor.
    tab.goto("/admin/articles/article/add/")
    tab.get_by_label("Title").fill("Otters return to the river")
    tab.keyboard.press("Tab")
    expect(tab.get_by_label("Slug")).to_have_value("otters-return-to-the-river")  # made from the title
    tab.locator(".field-author .select2-selection").click()
    tab.locator(".select2-container--open .select2-search__field").fill("Jo")
    tab.locator(".select2-results__option", has_text="Jo Rivers").click()
    tab.locator(".field-lead_image .select2-selection").click()
    tab.locator(".select2-container--open .select2-search__field").fill("Blue-grey")
    tab.locator(".select2-results__option", has_text=LEAD_ALT).click()

    body = tab.get_by_role("textbox", name="Body")
    body.click()
    tab.keyboard.type("Back on the river")
    tab.locator(".prose-menubar__selected").click()
    tab.get_by_role("button", name="heading 2").click()
    heading = body.get_by_role("heading", level=2, name="Back on the river")
    expect(heading).to_be_visible()
    click_after(heading)
    tab.keyboard.press("Enter")
    tab.keyboard.type("The otters came back after sixty years, says the survey.")
    tab.keyboard.press("Home")
    for _ in range(3):
        tab.keyboard.press("Control+Shift+ArrowRight")  # "The otters came"
    tab.get_by_role("button", name="insert link").click()
    tab.get_by_label("URL").fill("https://example.org/survey")
    tab.get_by_role("button", name="Update", exact=True).click()
    expect(body.get_by_role("link", name="The otters came")).to_be_visible()
    click_after(body.locator("p", has_text="says the survey"))
    tab.keyboard.press("Enter")
    tab.keyboard.type(TYPO)
    tab.keyboard.press("Enter")
    tab.get_by_role("button", name="unordered list").click()
    tab.keyboard.type("Three cubs\nTwo adults")
    expect(body.locator("li")).to_have_text(["Three cubs", "Two adults"])
    tab.keyboard.press("Enter")
    tab.keyboard.press("Enter")
    tab.get_by_role("button", name="Insert an image from the library").click()
    tab.get_by_role("button", name="More images").click()
    tab.get_by_label(river.alt).check()
    expect(tab.get_by_label("Alternative text")).to_have_value(river.alt)
    expect(tab.get_by_label("Caption")).to_have_value("Where the otters came back.")
    tab.get_by_role("button", name="Insert", exact=True).click()
    expect(body.locator("figure img")).to_be_visible()
    click_after(body.locator("p", has_text="says the survey"))
    screenshot(tab, "editor", of=tab.locator(".field-body"))
    tab.get_by_label("Status").select_option("published")
    tab.get_by_role("button", name="Save", exact=True).click()
    expect(tab.locator(".messagelist")).to_contain_text("was added successfully")

    article = Article.objects.get(slug="otters-return-to-the-river")
    written = (
        "<h2>Back on the river</h2>\n"
        '<p><a href="https://example.org/survey" rel="noopener noreferrer">The otters came</a> back after sixty years, '
        "says the survey.</p>\n"
        f"<p>{TYPO}</p>\n"
        "<ul><li><p>Three cubs</p></li><li><p>Two adults</p></li></ul>\n"
        f'<figure><img src="{river.file.url}" alt="{river.alt}" width="1200" height="675">'
        "<figcaption>Where the otters came back.</figcaption></figure>"
    )
    assert article.body == written
    assert article.is_published()
    assert article.author.name == "Jo Rivers"
    assert (article.lead_image.alt, article.lead_image.credit) == (LEAD_ALT, "Illustration: Newsroom")

    # A reader, on a phone and on a desktop screen.
    reader = new_tab()
    chosen = {}
    for width_name, viewport in viewports.items():
        reader.set_viewport_size(viewport)
        reader.goto(article.get_absolute_url())
        lead = reader.locator(".article__lead-image img")
        expect(lead).to_have_attribute("alt", LEAD_ALT)
        expect(reader.locator(".article__lead-image figcaption")).to_have_text(
            "The Aske valley after the rain. Illustration: Newsroom"
        )
        reader.wait_for_function("() => [...document.images].every(image => image.complete)")
        assert lead.evaluate("image => image.naturalWidth") > 0
        chosen[width_name] = lead.evaluate("image => image.currentSrc")
        text = reader.locator(".article__body")
        expect(text.get_by_role("heading", level=2, name="Back on the river")).to_be_visible()
        expect(text.get_by_role("link", name="The otters came")).to_have_attribute("href", "https://example.org/survey")
        expect(text.locator("ul li")).to_have_text(["Three cubs", "Two adults"])
        expect(text.get_by_role("img", name=river.alt)).to_have_attribute("loading", "lazy")
        expect(text.locator("figure picture source")).to_have_attribute("type", "image/webp")  # its renditions
        expect(text.locator("figcaption")).to_have_text("Where the otters came back.")
        expect(text).to_contain_text(TYPO)
        assert not scrolls_sideways(reader), f"the article scrolls sideways at {viewport['width']} px"
        assert axe_violations(reader) == [], f"at {viewport['width']} px"
        screenshot(reader, f"article-image-{width_name}")
    assert chosen["phone"].endswith("-400w.webp"), chosen
    assert chosen["desktop"].endswith("-800w.webp"), chosen

    # The typo fixed, then a correction noted.
    tab.goto(f"/admin/articles/article/{article.pk}/change/")
    double_click_word(body.locator("p", has_text="brigde"), "brigde")
    tab.keyboard.type("bridge")
    expect(body.locator("p", has_text="bridge")).to_have_text(FIXED)
    tab.get_by_role("button", name="Save and continue editing").click()
    expect(tab.locator(".messagelist")).to_contain_text("was changed successfully")
    tab.get_by_role("button", name=re.compile("Add another correction or update", re.IGNORECASE)).click()
    tab.locator("#id_notes-0-text").fill(CORRECTION)
    tab.get_by_role("button", name="Save and continue editing").click()
    expect(tab.locator(".messagelist")).to_contain_text("was changed successfully")

    today = timezone.localdate().strftime("%-d %B %Y")
    for width_name, viewport in viewports.items():
        reader.set_viewport_size(viewport)
        reader.goto(article.get_absolute_url())
        expect(reader.locator(".article__body")).to_contain_text(FIXED)
        expect(reader.locator(".article__updated")).to_have_text(f"Updated {today}")
        expect(reader.locator(".article-notes")).to_contain_text(f"Correction, {today}: {CORRECTION}")
        assert not scrolls_sideways(reader), f"at {viewport['width']} px"
        assert axe_violations(reader) == [], f"at {viewport['width']} px"
        screenshot(reader, f"article-with-correction-{width_name}")

    # The first and the latest revisions compared, and the first one restored.
    tab.get_by_role("link", name="History").click()
    expect(tab.locator("#change-history tbody tr")).to_have_count(3)
    tab.get_by_role("radio", name=re.compile("^Compare from the revision of")).nth(2).check()
    tab.get_by_role("radio", name=re.compile("^Compare to the revision of")).nth(0).check()
    tab.get_by_role("button", name="Compare selected revisions").click()
    expect(tab.get_by_role("heading", name="Body")).to_be_visible()
    expect(tab.locator(".revision-diff del")).to_have_text("removed: brigde")
    expect(tab.locator(".revision-diff ins")).to_have_text("added: bridge")
    screenshot(tab, "admin-revision-compare")
    tab.get_by_role("link", name=re.compile("^Restore the revision of")).click()
    expect(tab.locator("#id_body")).to_have_value(written)
    expect(body.locator("p", has_text="brigde")).to_have_text(TYPO)
    tab.get_by_role("button", name="Save", exact=True).click()
    expect(tab.locator(".messagelist")).to_contain_text("was changed successfully")

    reader.reload()
    expect(reader.locator(".article__body")).to_contain_text(TYPO)
    expect(reader.locator(".article-notes")).to_contain_text(CORRECTION)  # the correction stays on record
    article.refresh_from_db()
    assert article.body == written
    assert [note.text for note in article.notes.all()] == [CORRECTION]
    assert article.lead_image.alt == LEAD_ALT
    assert csp_violations == []
