"""An editor in a real browser: the article body written in the admin's rich-text editor, under the CSP."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from playwright.sync_api import expect

from articles.demo.pictures import demo_picture
from articles.models import Article

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

VALLEY_ALT = "Green hills under a morning sky, a river winding towards the viewer"
# Collects the page's Content-Security-Policy violations; Playwright adds it to every document it opens.
RECORD_CSP_VIOLATIONS = """
window.cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.cspViolations.push(`${event.violatedDirective} ${event.blockedURI} ${event.sample}`);
});
"""


@pytest.fixture
def strict_page(browser, live_server, viewports):
    """A tab that enforces the site's Content-Security-Policy (the ``page`` fixture bypasses it for axe)."""
    context = browser.new_context(base_url=live_server.url, viewport=viewports["desktop"])
    context.add_init_script(RECORD_CSP_VIOLATIONS)
    tab = context.new_page()
    yield tab
    context.close()


@pytest.fixture
def image_library(make_image, monkeypatch):
    """Two pictures in the library, listed one a page so that the older is on the next page."""
    monkeypatch.setattr("images.admin.LIBRARY_PAGE_SIZE", 1)
    jpeg, _ = demo_picture("river")
    valley = make_image(
        alt=VALLEY_ALT, caption="Where the otters came back.", upload=SimpleUploadedFile("valley.jpg", jpeg.getvalue())
    )
    make_image(alt="A heron")  # the newest, on the first page
    return valley


@pytest.fixture
def draft(make_article):
    return make_article(
        title="Otters return to the river",
        slug="otters-return-to-the-river",
        status=Article.Status.DRAFT,
        body="Placeholder text.",
    )


# Whether the editor (Tiptap keeps itself on its element) has its caret at the end of a block.
CARET_AT_END_OF_BLOCK = """() => {
  const { $head, empty } = document.querySelector(".ProseMirror[contenteditable]").editor.state.selection;
  return empty && $head.parentOffset === $head.parent.content.size;
}"""


def click_after(block):
    """Put the caret at the end of a one-line block of the editor, as a click right of its text does, and wait
    until the editor has taken the click in (a key pressed at once would find it a few milliseconds early)."""
    block.click(position={"x": block.bounding_box()["width"] - 5, "y": 5})
    block.page.wait_for_function(CARET_AT_END_OF_BLOCK)


def csp_violations(tab):
    return tab.evaluate("() => window.cspViolations")


def test_editor_writes_a_body_with_a_heading_a_link_a_list_and_an_image(
    strict_page, admin_login, image_library, draft, screenshot
):
    tab = strict_page
    valley = image_library
    admin_login(tab)
    tab.goto(f"/admin/articles/article/{draft.pk}/change/")
    body = tab.get_by_role("textbox", name="Body")

    body.click()
    tab.keyboard.press("Control+A")
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
    tab.get_by_role("button", name="Update").click()
    expect(body.get_by_role("link", name="The otters came")).to_be_visible()
    click_after(body.locator("p", has_text="says the survey"))
    tab.keyboard.press("Enter")
    tab.get_by_role("button", name="unordered list").click()
    tab.keyboard.type("Three cubs\nTwo adults")
    expect(body.locator("li")).to_have_text(["Three cubs", "Two adults"])
    tab.keyboard.press("Enter")
    tab.keyboard.press("Enter")
    tab.get_by_role("button", name="Insert an image from the library").click()
    tab.get_by_role("button", name="More images").click()
    tab.get_by_label(VALLEY_ALT).check()
    expect(tab.get_by_label("Alternative text")).to_have_value(VALLEY_ALT)
    expect(tab.get_by_label("Caption")).to_have_value("Where the otters came back.")
    tab.get_by_role("button", name="Insert", exact=True).click()
    expect(body.locator("figure img")).to_be_visible()
    click_after(body.locator("p", has_text="says the survey"))
    screenshot(tab, "editor", of=tab.locator(".field-body"))
    tab.get_by_label("Status").select_option("published")
    tab.get_by_role("button", name="Save", exact=True).click()
    expect(tab.locator(".messagelist")).to_contain_text("was changed successfully")

    assert csp_violations(tab) == []
    draft.refresh_from_db()
    assert draft.body == (
        "<h2>Back on the river</h2>"
        '<p><a href="https://example.org/survey" rel="noopener noreferrer">The otters came</a> back after sixty years, '
        "says the survey.</p>"
        "<ul><li><p>Three cubs</p></li><li><p>Two adults</p></li></ul>"
        f'<figure><img src="{valley.file.url}" alt="{VALLEY_ALT}" width="1200" height="675">'
        "<figcaption>Where the otters came back.</figcaption></figure>"
    )
    tab.goto(draft.get_absolute_url())
    article = tab.locator(".article__body")
    expect(article.get_by_role("heading", level=2, name="Back on the river")).to_be_visible()
    expect(article.get_by_role("link", name="The otters came")).to_have_attribute("href", "https://example.org/survey")
    expect(article.locator("ul li")).to_have_text(["Three cubs", "Two adults"])
    expect(article.get_by_role("img", name=VALLEY_ALT)).to_be_visible()
    expect(article.locator("figure picture source")).to_have_attribute("type", "image/webp")  # its renditions
    expect(article.locator("figcaption")).to_have_text("Where the otters came back.")
    assert csp_violations(tab) == []


def test_the_csp_check_sees_inline_style(strict_page, admin_login, draft):
    """The check above can fail: an inline style on the change page is reported."""
    admin_login(strict_page)
    strict_page.goto(f"/admin/articles/article/{draft.pk}/change/")

    strict_page.evaluate("() => document.body.setAttribute('style', 'color: red')")

    strict_page.wait_for_function("() => window.cspViolations.length > 0")
    assert csp_violations(strict_page)[0].startswith("style-src-attr inline")


def test_a_legacy_body_saved_unchanged_renders_the_same(strict_page, admin_login, make_article):
    article = make_article(
        body='The otters are back.\nAll of them.\n\n<blockquote>"We counted twelve."</blockquote>\n\n'
        'Read <a href="https://example.org/survey">the survey</a>.\n\n<ul>\n<li>Cubs</li>\n<li>Adults</li>\n</ul>'
    )
    strict_page.goto(article.get_absolute_url())
    before = strict_page.locator(".article__body").inner_html()
    admin_login(strict_page)

    strict_page.goto(f"/admin/articles/article/{article.pk}/change/")
    expect(strict_page.get_by_role("textbox", name="Body").locator("blockquote")).to_have_text('"We counted twelve."')
    strict_page.get_by_role("button", name="Save", exact=True).click()
    expect(strict_page.locator(".messagelist")).to_contain_text("was changed successfully")

    article.refresh_from_db()
    assert article.body == article.body_html
    strict_page.goto(article.get_absolute_url())
    assert strict_page.locator(".article__body").inner_html() == before
    assert csp_violations(strict_page) == []


def test_an_edit_keeps_what_the_toolbar_does_not_offer(strict_page, admin_login, make_article):
    article = make_article(
        body="<table><tbody><tr><th>Year</th><th>Otters</th></tr><tr><td>1962</td><td>0</td></tr></tbody></table>"
        '\n\nThe <abbr title="Environment Agency">EA</abbr> counted H<sub>2</sub>O and <code>x = 1</code>, '
        "<q>twelve</q>, <del>ten</del> <ins>eleven</ins>, <small>roughly</small>, <cite>The Survey</cite>."
        "\n\n<pre>line one\nline two</pre>"
    )
    admin_login(strict_page)
    strict_page.goto(f"/admin/articles/article/{article.pk}/change/")

    click_after(strict_page.get_by_role("textbox", name="Body").locator("p", has_text="counted"))
    strict_page.keyboard.type(" Updated.")
    strict_page.get_by_role("button", name="Save", exact=True).click()
    expect(strict_page.locator(".messagelist")).to_contain_text("was changed successfully")

    article.refresh_from_db()
    assert article.body == (
        "<table><tbody><tr><th><p>Year</p></th><th><p>Otters</p></th></tr>"
        "<tr><td><p>1962</p></td><td><p>0</p></td></tr></tbody></table>"
        '<p>The <abbr title="Environment Agency">EA</abbr> counted H<sub>2</sub>O and <code>x = 1</code>, '
        "<q>twelve</q>, <del>ten</del> <ins>eleven</ins>, <small>roughly</small>, <cite>The Survey</cite>. Updated.</p>"
        "<pre><code>line one\nline two</code></pre>"
    )
    assert csp_violations(strict_page) == []


def test_the_editor_and_its_image_dialog_pass_axe(page, admin_login, image_library, draft, axe_violations):
    admin_login(page)
    page.goto(f"/admin/articles/article/{draft.pk}/change/")
    expect(page.get_by_role("textbox", name="Body")).to_have_text("Placeholder text.")

    assert axe_violations(page, within=".field-body") == []
    page.get_by_role("button", name="Insert an image from the library").click()
    page.get_by_label("Search the library").fill("otters")  # in the caption
    page.keyboard.press("Enter")
    expect(page.get_by_label(VALLEY_ALT)).to_be_visible()
    expect(page.get_by_label("A heron")).to_have_count(0)
    assert axe_violations(page, within=".field-body") == []
