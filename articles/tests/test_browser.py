"""A reader in a real browser: the home page, an article, the archives, at phone and desktop widths."""

import re

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SEED_URL = "/2024/07/12/china-rejects-natos-accusations-of-supporting-russia/"


@pytest.fixture
def demo():
    call_command("loaddemo")


def test_reader_goes_from_home_to_an_article_and_its_archives(page, demo):
    page.goto("/")
    lead = page.locator(".card--lead .card__title a")
    title = lead.inner_text()

    lead.click()
    expect(page.locator("h1")).to_have_text(title)
    expect(page.locator(".article__views")).to_have_text(re.compile(r"^[\d,]+ Views?$"))

    page.locator(".article__date a").click()
    expect(page).to_have_url(re.compile(r"/\d{4}/\d{2}/\d{2}/$"))
    expect(page.locator(".card__title a", has_text=title)).to_be_visible()

    page.locator(".archive-header__kicker a").click()
    expect(page).to_have_url(re.compile(r"/\d{4}/\d{2}/$"))
    expect(page.locator(".card__title a", has_text=title)).to_be_visible()

    page.goto("/")
    page.get_by_role("link", name="Older →").click()
    expect(page.locator(".pagination__current")).to_have_text(re.compile(r"^Page 2 of \d+$"))


def test_reader_sees_the_model_article_and_its_author(page, demo):
    page.goto(SEED_URL)

    expect(page.locator("h1")).to_have_text("China Rejects NATO’s Accusations of Supporting Russia")
    expect(page.locator(".article__views")).to_have_text("19 Views")
    expect(page.locator(".article__body p")).to_have_count(10)
    expect(page.locator(".author-box")).to_contain_text("Colton Brown")
    expect(page.locator(".author-box")).to_contain_text("in@pakistantimes.ca")

    page.locator(".author-box__name a").click()
    expect(page.locator("h1")).to_have_text("Colton Brown")


def test_reader_searches_and_opens_a_result(page, demo):
    page.goto("/")

    page.get_by_role("searchbox", name="Search the archive").fill("otters")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/search/\?q=otters$"))
    expect(page.locator(".search-summary")).to_have_text(re.compile(r"^\d+ results? for “otters”$"))
    result = page.locator(".card__title a").first
    title = result.inner_text()

    result.click()
    expect(page.locator("h1")).to_have_text(title)


PAGE_TYPES = {
    "home": "/",
    "home-page-2": "/?page=2",
    "article": SEED_URL,
    "year": "/2024/",
    "month": "/2024/07/",
    "day": "/2024/07/12/",
    "author": "/author/colton-brown/",
    "section": "/section/world/",
    "tag": "/tag/nato/",
    "search": "/search/?q=river",
    "search-nothing-found": "/search/?q=zzzzzz",
    "not-found": "/2024/07/12/missing/",
}


@pytest.mark.parametrize("path", PAGE_TYPES.values(), ids=PAGE_TYPES.keys())
def test_pages_fit_a_phone_and_pass_axe(page, demo, viewports, scrolls_sideways, axe_violations, screenshot, path):
    for width_name, viewport in viewports.items():
        page.set_viewport_size(viewport)
        page.goto(path)

        assert not scrolls_sideways(page), f"{path} scrolls sideways at {viewport['width']} px"
        assert axe_violations(page) == [], f"{path} at {viewport['width']} px"
        if path == "/":
            screenshot(page, f"home-{width_name}")


def test_keyboard_focus_is_visible(page, demo):
    page.goto("/")

    page.keyboard.press("Tab")
    expect(page.locator(".skip-link")).to_be_focused()
    expect(page.locator(".skip-link")).to_be_in_viewport()
    page.keyboard.press("Tab")
    outline = page.evaluate("() => getComputedStyle(document.activeElement).outlineStyle")
    assert outline == "solid"
