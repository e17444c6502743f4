"""Commenters and editors in a real browser: the Leave a Reply form by keyboard, replies, moderation."""

import re

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from articles.models import Article
from comments.models import Comment

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AWAITING = "Your comment is awaiting moderation."


@pytest.fixture(autouse=True)
def no_waiting(settings):
    """A browser fills the form faster than a person: no minimum time before posting, no flood limit."""
    settings.COMMENTS_MIN_SUBMIT_SECONDS = 0
    settings.COMMENTS_FLOOD_SECONDS = 0


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
    tab_to(page, "#notify")
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
    tab_to(page, "#notify")
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


def test_editor_approves_a_comment_that_readers_then_see(page, new_tab, article, admin_login):
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
    admin_login(admin)
    admin.get_by_role("link", name="1 comment awaiting moderation").click()
    admin.locator("#result_list tr", has_text="Worth publishing.").locator("input.action-select").check()
    admin.locator("select[name=action]").select_option("approve")
    admin.get_by_role("button", name="Go").click()
    expect(admin.locator(".messagelist")).to_contain_text("1 comment approved.")

    reader.reload()
    expect(reader.locator(".comment", has_text="Worth publishing.")).to_contain_text("Kim Keys")
    expect(reader.get_by_text(AWAITING)).to_have_count(0)


def log_in_to_the_admin(tab, editor):
    tab.goto("/admin/")
    tab.get_by_label("Username").fill(editor.username)
    tab.get_by_label("Password").fill(editor.test_password)
    tab.get_by_role("button", name="Log in").click()


def test_editor_moderates_and_replies_from_the_rows_of_the_queue(
    new_tab, make_article, make_comment, editor_with_password, screenshot
):
    article = make_article(title="Council sets out plans for a home repairs fund after a long consultation")
    for number in range(3):
        make_comment(
            article=article,
            author=f"Reader with a long name {number}",
            email=f"a.long.address.{number}@readers-of-the-newsroom.example",
            ip_address=f"2001:db8:85a3::8a2e:370:{number}",
            body="A thoughtful comment that goes on for a while about the fund and its rules. " * 3,
            status=Comment.Status.PENDING,
        )
    spam = make_comment(article=article, author="Spammer", status=Comment.Status.SPAM)
    admin = new_tab()
    log_in_to_the_admin(admin, editor_with_password)
    admin.get_by_role("link", name="3 comments awaiting moderation").click()
    queue_url = admin.url

    results = admin.locator(".results")
    assert results.evaluate("element => element.scrollWidth <= element.clientWidth"), "the list scrolls sideways"
    for cell in admin.locator("#result_list td.field-article_link").all():
        assert cell.bounding_box()["width"] >= 140, "the article's title wraps one word per line"
    screenshot(admin, "comment-admin-desktop")

    first = admin.locator("#result_list tr", has_text="Reader with a long name 0")
    first.get_by_role("button", name="Approve").click()
    expect(admin.locator(".messagelist")).to_contain_text("1 comment approved.")
    assert admin.url == queue_url
    expect(admin.locator("#result_list tr", has_text="Reader with a long name 0")).to_have_count(0)

    admin.locator("#result_list tr", has_text="Reader with a long name 1").get_by_role("button", name="Trash").click()
    expect(admin.locator(".messagelist")).to_contain_text("1 comment moved to the trash.")

    admin.locator("#result_list tr", has_text="Reader with a long name 2").get_by_role("link", name="Reply").click()
    admin.get_by_label("Reply").fill("Thank you: the rules are in the council's report.")
    admin.get_by_role("button", name="Reply").click()
    expect(admin.locator(".messagelist")).to_contain_text("Your reply to Reader with a long name 2 is published.")
    assert admin.url == queue_url

    reader = new_tab()
    reader.goto(article.get_absolute_url())
    reply = Comment.objects.get(body__startswith="Thank you")
    expect(reader.locator(f"#{reply.anchor} .comment__author")).to_have_text(editor_with_password.username)
    expect(reader.locator(".comment-count").first).to_have_text("3 Comments")
    spam.refresh_from_db()
    assert spam.status == Comment.Status.SPAM


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
