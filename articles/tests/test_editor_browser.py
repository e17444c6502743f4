"""The admin's rich-text editor in a real browser, beyond the newsroom's flow (test_newsroom_browser.py): bodies
written before it and markup its toolbar lacks, under the CSP; the CSP check itself; axe on its image dialog."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from playwright.sync_api import expect

from articles.demo.pictures import demo_picture
from articles.models import Article
from articles.tests.helpers import click_after

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

VALLEY_ALT = "Green hills under a morning sky, a river winding towards the viewer"


@pytest.fixture
def image_library(make_image):
    """Two pictures in the library: the one the search finds (by its caption) and the newer one it does not."""
    jpeg, _ = demo_picture("river")
    valley = make_image(
        alt=VALLEY_ALT, caption="Where the otters came back.", upload=SimpleUploadedFile("valley.jpg", jpeg.getvalue())
    )
    make_image(alt="A heron")
    return valley


@pytest.fixture
def draft(make_article):
    return make_article(
        title="Otters return to the river",
        slug="otters-return-to-the-river",
        status=Article.Status.DRAFT,
        body="Placeholder text.",
    )


def test_the_csp_check_sees_inline_style(strict_page, csp_violations, admin_login, draft):
    """The CSP check of the editor's tests can fail: an inline style on the change page is reported."""
    admin_login(strict_page)
    strict_page.goto(f"/admin/articles/article/{draft.pk}/change/")

    strict_page.evaluate("() => document.body.setAttribute('style', 'color: red')")

    strict_page.wait_for_function("() => window.cspViolations.length > 0")
    assert csp_violations[0].startswith("style-src-attr inline")


def test_a_legacy_body_saved_unchanged_renders_the_same(strict_page, csp_violations, admin_login, make_article):
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
    assert csp_violations == []


def test_an_edit_keeps_what_the_toolbar_does_not_offer(strict_page, csp_violations, admin_login, make_article):
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
        "<tr><td><p>1962</p></td><td><p>0</p></td></tr></tbody></table>\n"
        '<p>The <abbr title="Environment Agency">EA</abbr> counted H<sub>2</sub>O and <code>x = 1</code>, '
        "<q>twelve</q>, <del>ten</del> <ins>eleven</ins>, <small>roughly</small>, <cite>The Survey</cite>. "
        "Updated.</p>\n"
        "<pre><code>line one\nline two</code></pre>"
    )
    assert csp_violations == []


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
