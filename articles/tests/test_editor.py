"""The body's rich-text editor in the admin: what it opens, what the form stores, what readers then see."""

import pytest
from django.forms import modelform_factory
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st
from pytest_django.asserts import assertInHTML

from articles.forms import ArticleAdminForm, BodyEditor
from articles.html import clean_body, render_body
from articles.models import Article

pytestmark = pytest.mark.django_db

LEGACY_BODIES = {
    "paragraphs": "The otters are back.\n\nThey were last seen here in 1962.",
    "line breaks": "Line one\nline two\r\n\r\nA second paragraph.",
    "inline html": 'A <strong>bold</strong> claim, <em>quietly</em> made, <a href="https://example.org/r">sourced</a>.',
    "blocks": "<blockquote>Quoted.</blockquote>\n\n<ul>\n<li>One</li>\n<li>Two</li>\n</ul>\n\n<h2>Then</h2>\n\nAfter.",
    "figure": '<figure><img src="https://example.org/a.jpg" alt="A river"><figcaption>The river</figcaption></figure>',
    "unsafe markup": 'Text.\n\n<p onclick="x()">More<script>x()</script></p>\n\n<a href="javascript:x()">Link</a>',
}


def body_form(body):
    """The admin's article form, bound to a body alone."""
    return modelform_factory(Article, form=ArticleAdminForm, fields=["body"])(data={"body": body})


def test_the_form_cleans_the_body_with_the_pages_allow_list():
    body = (
        '<h2 style="color:red">News</h2><p onclick="x()">Read <a href="javascript:x()">this</a> and '
        '<a href="https://example.org/" target="_blank">that</a>.</p><script>x()</script>'
        '<figure class="figure"><img src="https://example.org/a.jpg" alt="A" width="800" height="600" '
        'onerror="x()" data-file="1"><figcaption class="figure-caption">Cap</figcaption></figure>'
    )
    form = body_form(body)

    assert form.is_valid(), form.errors
    assert form.cleaned_data["body"] == (
        '<h2>News</h2><p>Read <a rel="noopener noreferrer">this</a> and '
        '<a href="https://example.org/" rel="noopener noreferrer">that</a>.</p>'
        '<figure><img src="https://example.org/a.jpg" alt="A" width="800" height="600">'
        "<figcaption>Cap</figcaption></figure>"
    )


def test_the_form_stores_a_plain_text_body_as_the_paragraphs_readers_see():
    form = body_form("One.\n\nTwo.")

    assert form.is_valid(), form.errors
    assert form.cleaned_data["body"] == "<p>One.</p>\n<p>Two.</p>"


def test_a_body_that_cleans_to_nothing_is_refused():
    form = body_form("<script>alert(1)</script>")

    assert not form.is_valid()
    assert "body" in form.errors


@pytest.mark.parametrize("body", LEGACY_BODIES.values(), ids=LEGACY_BODIES.keys())
def test_a_legacy_body_opens_as_its_page_shows_it_and_saving_it_unchanged_changes_nothing(body):
    opened = BodyEditor().format_value(body)
    form = body_form(opened)

    assert opened == render_body(body)
    assert form.is_valid(), form.errors
    assert form.cleaned_data["body"] == opened
    assert render_body(opened) == render_body(body)


def test_a_block_led_by_a_tag_readers_never_see_is_stored_as_a_paragraph():
    form = body_form("<div>Lead.</div>\n\n<h1>Big</h1>\n\nText.")

    assert form.is_valid(), form.errors
    assert form.cleaned_data["body"] == "<p>Lead.</p>\n<p>Big</p>\n<p>Text.</p>"
    assert render_body(form.cleaned_data["body"]) == form.cleaned_data["body"]


@given(
    st.lists(
        st.sampled_from(
            [*LEGACY_BODIES.values(), "", "\n", "plain <b>words</b>", "<li>item", "<div>x</div>", "<h1>T</h1>"]
        ),
        max_size=6,
    )
)
def test_a_clean_body_is_shown_and_cleaned_unchanged(blocks):
    body = clean_body("\n\n".join(blocks))

    assert clean_body(body) == body
    assert render_body(body) == body


def test_the_change_page_opens_the_body_in_the_editor_without_inline_script(editor_client, make_article):
    article = make_article(body="First.\n\nSecond <em>one</em>.")

    page = editor_client.get(reverse("admin:articles_article_change", args=[article.pk])).content.decode()

    assertInHTML(
        '<textarea name="body" cols="40" rows="10" id="id_body" aria-describedby="id_body_helptext" data-body-editor '
        'data-image-library-url="/admin/images/image/library/">'
        "\n&lt;p&gt;First.&lt;/p&gt;\n&lt;p&gt;Second &lt;em&gt;one&lt;/em&gt;.&lt;/p&gt;</textarea>",
        page,
    )
    assertInHTML('<script src="/static/js/body-editor.js" type="module"></script>', page)
    assertInHTML('<link href="/static/css/body-editor.css" media="all" rel="stylesheet">', page)
    assert 'type="importmap"' not in page


def test_the_editor_is_told_where_the_image_library_is():
    assert 'data-image-library-url="/admin/images/image/library/"' in BodyEditor().render("body", "")
