"""Commenters and editors in a real browser: the Leave a Reply form by keyboard, replies, moderation."""

import importlib
import re

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import connection
from playwright.sync_api import expect

from articles.models import Article
from comments.models import Comment

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AWAITING = "Your comment is awaiting moderation."
EDITOR_PASSWORD = "a-long-test-password"


@pytest.fixture(autouse=True)
def no_waiting(settings):
    """A browser fills the form faster than a person: no minimum time before posting, no flood limit."""
    settings.COMMENTS_MIN_SUBMIT_SECONDS = 0
    settings.COMMENTS_FLOOD_SECONDS = 0


@pytest.fixture
def new_tab(browser, live_server, viewports):
    """Open tabs in new browser contexts: other people, with cookies of their own."""
    contexts = []

    def open_tab():
        context = browser.new_context(base_url=live_server.url, viewport=viewports["desktop"], bypass_csp=True)
        contexts.append(context)
        return context.new_page()

    yield open_tab
    for context in contexts:
        context.close()


@pytest.fixture
def editors_group(db):
    """The Editors group, made as its migration makes it: these tests' database is emptied after each test."""
    migration = importlib.import_module("comments.migrations.0003_editors_group")
    migration.create_editors_group(apps, connection.schema_editor())


@pytest.fixture
def editor_with_password(editors_group, editor):
    editor.set_password(EDITOR_PASSWORD)
    editor.save()
    return editor


@pytest.fixture
def discussed_article(make_comment):
    """The demo's model article, among the other demo articles, with a short thread of approved comments."""
    call_command("loaddemo")
    article = Article.objects.get(slug="china-rejects-natos-accusations-of-supporting-russia")
    question = make_comment(
        article=article,
        author="Margaret Hale",
        url="https://margaret.example/",
        body="The striking figure is the 90% of microelectronics. Does anyone know where it comes from?",
    )
    make_comment(
        article=article,
        parent=question,
        author="Tom Becker",
        body="It was in a State Department briefing in the spring, as far as I remember.",
    )
    make_comment(
        article=article,
        author="Priya Nair",
        body="A measured piece.\n\nI would like to read more about how the EU is responding.",
    )
    return article


def open_form(tab, article):
    """Open the article at its form, as the "Leave a Reply" links do; the next Tab goes into the form."""
    tab.goto(f"{article.get_absolute_url()}#respond")
    expect(tab.locator("#respond")).to_be_in_viewport()


def tab_to(tab, selector):
    """Press Tab once and check that the focus went there, drawn with a visible outline."""
    tab.keyboard.press("Tab")
    expect(tab.locator(selector)).to_be_focused()
    outline = tab.evaluate("() => getComputedStyle(document.activeElement).outline")
    assert outline == "rgb(26, 26, 26) solid 3px", selector


def test_commenter_posts_with_the_keyboard_only(page, article):
    open_form(page, article)

    tab_to(page, "#comment")
    page.keyboard.type("Typed without a mouse.\nSecond line.")
    tab_to(page, "#author")
    page.keyboard.type("Kim Keys")
    tab_to(page, "#email")
    page.keyboard.type("kim@readers.example")
    tab_to(page, "#url")
    tab_to(page, "#wp-comment-cookies-consent")
    tab_to(page, "#commentform button[type=submit]")
    page.keyboard.press("Enter")

    comment = page.locator(".comment--pending")
    expect(comment).to_contain_text(AWAITING)
    expect(comment).to_contain_text("Kim Keys")
    expect(comment).to_contain_text("Typed without a mouse.")
    expect(page).to_have_url(re.compile(r"#comment-\d+$"))
    assert Comment.objects.get().status == Comment.Status.PENDING


def test_refused_post_keeps_the_text_and_focuses_the_first_error(page, article):
    typed = "A long comment I would hate to type again."
    open_form(page, article)

    tab_to(page, "#comment")
    page.keyboard.type(typed)
    tab_to(page, "#author")
    page.keyboard.type("Kim Keys")
    tab_to(page, "#email")
    page.keyboard.type("kim@")
    tab_to(page, "#url")
    page.keyboard.type("kim.example")
    page.keyboard.press("Enter")

    expect(page.locator("#email")).to_be_focused()
    expect(page.locator(".comment-form__errors")).to_contain_text("Email: Enter a valid email address")
    expect(page).to_have_url(re.compile(re.escape(article.get_absolute_url()) + "$"))
    expect(page.locator("#comment")).to_have_value(typed)
    expect(page.locator("#author")).to_have_value("Kim Keys")
    expect(page.locator("#email")).to_have_value("kim@")
    expect(page.locator("#email")).to_have_css("border-top-color", "rgb(163, 19, 43)")
    expect(page.locator("#author")).not_to_have_css("border-top-color", "rgb(163, 19, 43)")
    assert not Comment.objects.exists()

    page.keyboard.press("ControlOrMeta+a")
    page.keyboard.type("kim@readers.example")
    tab_to(page, "#url")
    tab_to(page, "#wp-comment-cookies-consent")
    tab_to(page, "#commentform button[type=submit]")
    page.keyboard.press("Space")

    expect(page.locator(".comment--pending")).to_contain_text(AWAITING)
    assert Comment.objects.get().body == typed


def test_reply_link_nests_the_reply_under_its_parent(page, article, make_comment):
    parent = make_comment(author="Margaret Hale")
    page.goto(article.get_absolute_url())

    page.get_by_role("link", name="Reply to Margaret Hale").click()
    expect(page.locator("#reply-title")).to_contain_text("Leave a Reply to Margaret Hale")
    page.locator("#comment").fill("I disagree, politely.")
    page.locator("#author").fill("Tom Becker")
    page.locator("#email").fill("tom@readers.example")
    page.get_by_role("button", name="Post Comment").click()

    reply = page.locator(f"#{parent.anchor} > .comment-list--replies > .comment")
    expect(reply).to_have_count(1)
    expect(reply).to_contain_text("I disagree, politely.")
    expect(reply).to_contain_text(AWAITING)
    assert Comment.objects.get(author="Tom Becker").parent == parent


def test_remembered_details_fill_the_next_form(page, article, make_article):
    page.goto(article.get_absolute_url())
    page.locator("#comment").fill("Remember me, please.")
    page.locator("#author").fill("Kim Keys")
    page.locator("#email").fill("kim@readers.example")
    page.locator("#url").fill("https://kim.example/")
    page.locator("#wp-comment-cookies-consent").check()
    page.get_by_role("button", name="Post Comment").click()
    expect(page.locator(".comment--pending")).to_be_visible()

    page.goto(make_article().get_absolute_url())

    expect(page.locator("#comment")).to_have_value("")
    expect(page.locator("#author")).to_have_value("Kim Keys")
    expect(page.locator("#email")).to_have_value("kim@readers.example")
    expect(page.locator("#url")).to_have_value("https://kim.example/")
    expect(page.locator("#wp-comment-cookies-consent")).to_be_checked()


def test_editor_approves_a_comment_that_readers_then_see(page, new_tab, article, editor_with_password):
    page.goto(article.get_absolute_url())
    page.locator("#comment").fill("Worth publishing.")
    page.locator("#author").fill("Kim Keys")
    page.locator("#email").fill("kim@readers.example")
    page.get_by_role("button", name="Post Comment").click()
    expect(page.locator(".comment--pending")).to_be_visible()
    reader = new_tab()
    reader.goto(article.get_absolute_url())
    expect(reader.get_by_text("Worth publishing.")).to_have_count(0)

    admin = new_tab()
    admin.goto("/admin/")
    admin.get_by_label("Username").fill(editor_with_password.username)
    admin.get_by_label("Password").fill(EDITOR_PASSWORD)
    admin.get_by_role("button", name="Log in").click()
    admin.get_by_role("link", name="1 comment awaiting moderation").click()
    admin.locator("#result_list tr", has_text="Worth publishing.").locator("input.action-select").check()
    admin.locator("select[name=action]").select_option("approve")
    admin.get_by_role("button", name="Go").click()
    expect(admin.locator(".messagelist")).to_contain_text("1 comment approved.")

    reader.reload()
    expect(reader.locator(".comment", has_text="Worth publishing.")).to_contain_text("Kim Keys")
    expect(reader.get_by_text(AWAITING)).to_have_count(0)


def test_article_with_comments_fits_a_phone_and_passes_axe(
    page, discussed_article, viewports, scrolls_sideways, axe_violations, screenshot
):
    for width_name, viewport in viewports.items():
        page.set_viewport_size(viewport)
        page.goto(discussed_article.get_absolute_url())
        expect(page.locator(".comment")).to_have_count(3)

        assert not scrolls_sideways(page), f"at {viewport['width']} px"
        assert axe_violations(page) == [], f"at {viewport['width']} px"
        screenshot(page, f"article-{width_name}")


def test_refused_form_fits_a_phone_and_passes_axe(
    page, discussed_article, viewports, scrolls_sideways, axe_violations, screenshot
):
    for width_name, viewport in viewports.items():
        page.set_viewport_size(viewport)
        page.goto(discussed_article.get_absolute_url())
        page.locator("#comment").fill("Is this figure right?")
        page.locator("#email").fill("not an address")
        page.locator("#url").fill("ftp://files.example")
        page.get_by_role("button", name="Post Comment").click()
        expect(page.locator("#author")).to_be_focused()

        assert not scrolls_sideways(page), f"at {viewport['width']} px"
        assert axe_violations(page) == [], f"at {viewport['width']} px"
        screenshot(page, f"comment-form-errors-{width_name}")
