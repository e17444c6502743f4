from datetime import datetime, timedelta
from datetime import timezone as dt_timezone

import pytest
from django.utils import timezone
from pytest_django.asserts import assertInHTML

from articles.html import render_body
from articles.models import Article

pytestmark = pytest.mark.django_db

NOW = timezone.now()
YESTERDAY = NOW - timedelta(days=1)
TOMORROW = NOW + timedelta(days=1)


def test_published_is_past_published_articles_only(make_article):
    visible = make_article(published_at=YESTERDAY)
    make_article(status=Article.Status.DRAFT, published_at=YESTERDAY)
    make_article(published_at=TOMORROW)

    assert list(Article.objects.published()) == [visible]


def test_a_scheduled_article_appears_once_its_time_has_come(make_article):
    scheduled = make_article(published_at=timezone.now() + timedelta(seconds=1))
    assert not Article.objects.published().exists()

    Article.objects.filter(pk=scheduled.pk).update(published_at=YESTERDAY)
    assert list(Article.objects.published()) == [scheduled]


def test_is_published(make_article):
    assert make_article(published_at=YESTERDAY).is_published()
    assert not make_article(published_at=TOMORROW).is_published()
    assert not make_article(status=Article.Status.DRAFT).is_published()


def test_absolute_url_is_dated_with_two_digit_month_and_day(make_article):
    article = make_article(
        slug="china-rejects-natos-accusations-of-supporting-russia",
        published_at=datetime(2024, 7, 2, 9, 0, tzinfo=dt_timezone.utc),
    )
    assert article.get_absolute_url() == "/2024/07/02/china-rejects-natos-accusations-of-supporting-russia/"


def test_absolute_url_uses_the_sites_time_zone(make_article, settings):
    settings.TIME_ZONE = "America/New_York"
    article = make_article(slug="late-night", published_at=datetime(2024, 7, 12, 2, 0, tzinfo=dt_timezone.utc))

    assert article.get_absolute_url() == "/2024/07/11/late-night/"


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("One.\n\nTwo.", "<p>One.</p>\n<p>Two.</p>"),
        ("Line one\nline two", "<p>Line one<br>\nline two</p>"),
        ("First.\r\n\r\n\r\nSecond.", "<p>First.</p>\n<p>Second.</p>"),
        ("<blockquote>Quoted.</blockquote>\n\nAfter.", "<blockquote>Quoted.</blockquote>\n<p>After.</p>"),
        ("5 < 6 & 7 > 3", "<p>5 &lt; 6 &amp; 7 &gt; 3</p>"),
        ("<strong>Bold</strong> and <em>em</em>", "<p><strong>Bold</strong> and <em>em</em></p>"),
    ],
)
def test_body_becomes_paragraphs(body, expected):
    assert render_body(body) == expected


@pytest.mark.parametrize(
    "hostile",
    [
        "<script>alert(1)</script>",
        '<img src="x" onerror="alert(1)">',
        '<a href="javascript:alert(1)">click</a>',
        '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">click</a>',
        '<iframe src="https://example.org"></iframe>',
        '<p style="position:fixed" onclick="alert(1)">text</p>',
        "<svg><script>alert(1)</script></svg>",
        '<math><mtext><table><mglyph><style><img src=x onerror="alert(1)"></style></mglyph></table></mtext></math>',
    ],
)
def test_body_never_renders_unsafe_markup(hostile):
    html = render_body(f"Before.\n\n{hostile}\n\nAfter.").lower()

    for unsafe in ("<script", "onerror", "onclick", "javascript:", "data:", "<iframe", "style=", "<svg", "<math"):
        assert unsafe not in html
    assertInHTML("<p>before.</p>", html)
    assertInHTML("<p>after.</p>", html)


def test_body_keeps_safe_links_and_marks_them():
    html = render_body('See <a href="https://example.org/report" onclick="x()">the report</a>.')

    assert html == '<p>See <a href="https://example.org/report" rel="noopener noreferrer">the report</a>.</p>'


def test_body_html_is_rendered_from_the_body(make_article):
    article = make_article(body="Hello <script>x</script>world.\n\nBye.")

    assert article.body_html == "<p>Hello world.</p>\n<p>Bye.</p>"


def test_publish_publishes_drafts_and_counts_only_what_changed(make_article):
    draft = make_article(status=Article.Status.DRAFT, published_at=YESTERDAY)
    scheduled_draft = make_article(status=Article.Status.DRAFT, published_at=TOMORROW)
    make_article(published_at=YESTERDAY)

    assert Article.objects.publish() == 2

    assert set(Article.objects.published()) >= {draft}
    scheduled_draft.refresh_from_db()
    assert scheduled_draft.status == Article.Status.PUBLISHED
    assert scheduled_draft.published_at == TOMORROW
    assert not scheduled_draft.is_published()
    assert Article.objects.publish() == 0


def test_unpublish_turns_published_articles_into_drafts(make_article):
    published = make_article()
    make_article(status=Article.Status.DRAFT)

    assert Article.objects.unpublish() == 1

    published.refresh_from_db()
    assert published.status == Article.Status.DRAFT
    assert not Article.objects.published().exists()


def test_publishing_and_unpublishing_show_at_once_on_cached_pages(
    client, settings, make_article, django_capture_on_commit_callbacks
):
    settings.PAGE_CACHE_SECONDS = 300
    article = make_article(title="Breaking news")
    assert client.get(article.get_absolute_url()).status_code == 200
    assert "Breaking news" in client.get("/").content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        Article.objects.filter(pk=article.pk).unpublish()

    assert client.get(article.get_absolute_url()).status_code == 404
    assert "Breaking news" not in client.get("/").content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        Article.objects.filter(pk=article.pk).publish()

    assert "Breaking news" in client.get("/").content.decode()
