import re
from datetime import datetime, timedelta
from datetime import timezone as dt_timezone
from urllib.parse import urljoin, urlsplit

import pytest
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone
from django.views.defaults import server_error
from pytest_django.asserts import assertContains, assertInHTML

from articles.models import Article
from newsroom.tests.helpers import main_column

pytestmark = pytest.mark.django_db

JULY_12 = datetime(2024, 7, 12, 9, 0, tzinfo=dt_timezone.utc)


@pytest.fixture
def seed_article(make_article, make_author):
    author = make_author(name="Colton Brown", slug="colton-brown", email="in@pakistantimes.ca")
    return make_article(
        title="China Rejects NATO’s Accusations of Supporting Russia",
        slug="china-rejects-natos-accusations-of-supporting-russia",
        author=author,
        published_at=JULY_12,
        view_count=17,
        body="China’s Foreign Minister Wang Yi has strongly refuted NATO’s recent claims.\n\n"
        "The dispute arose after NATO leaders convened in Washington, DC.",
    )


def test_article_page_shows_what_the_model_page_shows(client, seed_article):
    response = client.get("/2024/07/12/china-rejects-natos-accusations-of-supporting-russia/")

    assert response.status_code == 200
    assert response.templates[0].name == "articles/article_detail.html"
    assert "base.html" in [template.name for template in response.templates]
    html = response.content.decode()
    assertContains(
        response, '<h1 class="article__title">China Rejects NATO’s Accusations of Supporting Russia</h1>', html=True
    )
    assert "18 Views" in html
    assertContains(response, '<time datetime="2024-07-12T09:00:00+00:00">12 July 2024</time>', html=True)
    assertContains(
        response, "<p>China’s Foreign Minister Wang Yi has strongly refuted NATO’s recent claims.</p>", html=True
    )
    assertContains(response, "<p>The dispute arose after NATO leaders convened in Washington, DC.</p>", html=True)
    author_box = html[html.index('class="author-box"') :]
    assert "Colton Brown" in author_box
    assertContains(
        response,
        '<p class="author-box__email"><a href="mailto:in@pakistantimes.ca">in@pakistantimes.ca</a></p>',
        html=True,
    )
    assert 'id="comments"' in html


def test_each_get_counts_one_view(client, article):
    url = article.get_absolute_url()

    assertContains(client.get(url), '<span class="article__views">1 View</span>', html=True)
    assert "2 Views" in client.get(url).content.decode()
    article.refresh_from_db()
    assert article.view_count == 2


def test_head_does_not_count_a_view(client, article):
    response = client.head(article.get_absolute_url())

    assert response.status_code == 200
    article.refresh_from_db()
    assert article.view_count == 0


def test_large_view_counts_are_grouped(client, make_article):
    article = make_article(view_count=12344)

    assert "12,345 Views" in client.get(article.get_absolute_url()).content.decode()


@pytest.mark.parametrize(
    "fields",
    [
        {"status": Article.Status.DRAFT, "published_at": JULY_12},
        {"status": Article.Status.PUBLISHED, "published_at": timezone.now() + timedelta(hours=1)},
    ],
    ids=["draft", "scheduled"],
)
def test_unpublished_articles_answer_404(client, make_article, fields):
    article = make_article(**fields)

    response = client.get(article.get_absolute_url())

    assert response.status_code == 404
    article.refresh_from_db()
    assert article.view_count == 0


def test_unknown_article_gets_the_friendly_404_page(client, seed_article):
    response = client.get("/2024/07/12/no-such-article/")

    assert response.status_code == 404
    assert "We couldn't find that page" in response.content.decode()
    assert "404.html" in [template.name for template in response.templates]


@pytest.mark.parametrize(
    "path",
    [
        "/2024/07/13/china-rejects-natos-accusations-of-supporting-russia/",
        "/2024/13/12/china-rejects-natos-accusations-of-supporting-russia/",
        "/2024/02/31/",
        "/2024/7/12/china-rejects-natos-accusations-of-supporting-russia/",
    ],
)
def test_wrong_or_impossible_dates_answer_404(client, seed_article, path):
    assert client.get(path).status_code == 404


def test_server_error_page_is_friendly():
    response = server_error(RequestFactory().get("/"))

    assert response.status_code == 500
    html = response.content.decode()
    assert "Something went wrong on our side" in html
    assert "newsroom.css" in html


def test_home_lists_latest_published_articles_newest_first(client, make_article):
    older = make_article(title="Older story", published_at=timezone.now() - timedelta(days=3))
    newer = make_article(title="Newer story", published_at=timezone.now() - timedelta(days=1))
    make_article(title="Draft story", status=Article.Status.DRAFT)

    response = client.get("/")

    assert response.status_code == 200
    assert list(response.context["article_list"]) == [newer, older]
    html = response.content.decode()
    assert html.index("Newer story") < html.index("Older story")
    assert newer.get_absolute_url() in html
    assert "Draft story" not in html


def test_home_is_paginated(client, make_article, settings):
    settings.ARTICLES_PER_PAGE = 2
    articles = [make_article(published_at=JULY_12 - timedelta(days=day)) for day in range(5)]

    first = client.get("/")
    third = client.get("/?page=3")

    assert list(first.context["article_list"]) == articles[:2]
    assertContains(first, '<a class="pagination__link" rel="next" href="?page=2">Older →</a>', html=True)
    assert list(third.context["article_list"]) == articles[4:]
    assertContains(third, '<a class="pagination__link" rel="prev" href="?page=2">← Newer</a>', html=True)
    assert client.get("/?page=4").status_code == 404
    assert client.get("/?page=abc").status_code == 404


def test_home_with_no_articles(client, db):
    response = client.get("/")

    assert response.status_code == 200
    assert "No articles have been published yet." in response.content.decode()


def test_year_month_and_day_archives_link_their_articles(client, seed_article, make_article):
    other_month = make_article(title="A March story", published_at=datetime(2024, 3, 5, 12, tzinfo=dt_timezone.utc))
    make_article(title="Drafted in July", status=Article.Status.DRAFT, published_at=JULY_12)

    year = client.get(reverse("articles:year", args=[2024])).content.decode()
    month = client.get(reverse("articles:month", args=[2024, 7])).content.decode()
    day = client.get(reverse("articles:day", args=[2024, 7, 12])).content.decode()

    assert reverse("articles:year", args=[2024]) == "/2024/"
    assert reverse("articles:month", args=[2024, 7]) == "/2024/07/"
    for page in (year, month, day):
        assert seed_article.get_absolute_url() in page
        assert "Drafted in July" not in page
    assert other_month.get_absolute_url() in year
    assert other_month.get_absolute_url() not in main_column(month)
    assertInHTML('<a href="/2024/07/">July</a>', year)
    assertInHTML('<a href="/2024/03/">March</a>', year)
    assertInHTML('<a href="/2024/07/12/">12 Jul</a>', month)
    assertInHTML('<a rel="prev" href="/2024/03/">← March 2024</a>', month)  # the previous month with articles


def test_empty_archives_answer_404(client, seed_article):
    assert client.get("/2023/").status_code == 404
    assert client.get("/2024/08/").status_code == 404
    assert client.get("/2024/07/13/").status_code == 404


def test_archive_of_only_drafts_answers_404(client, make_article):
    make_article(status=Article.Status.DRAFT, published_at=JULY_12)

    assert client.get("/2024/").status_code == 404


def test_author_page_lists_their_published_articles(client, seed_article, make_article):
    make_article(title="Unfinished draft", author=seed_article.author, status=Article.Status.DRAFT)
    make_article(title="Someone else's story")

    response = client.get("/author/colton-brown/")

    assert response.status_code == 200
    html = response.content.decode()
    assert "Colton Brown" in html
    assert seed_article.get_absolute_url() in html
    assert "Unfinished draft" not in html
    assert "Someone else" not in main_column(html)
    assert client.get("/author/nobody/").status_code == 404


def test_article_page_links_byline_and_date(client, seed_article):
    response = client.get(seed_article.get_absolute_url())

    assertContains(response, '<a href="/author/colton-brown/" rel="author">Colton Brown</a>', html=True)
    assertContains(
        response,
        '<a href="/2024/07/12/"><time datetime="2024-07-12T09:00:00+00:00">12 July 2024</time></a>',
        html=True,
    )


def test_dates_follow_the_formats_of_the_language(client, seed_article, settings):
    settings.LANGUAGE_CODE = "de"

    article = client.get(seed_article.get_absolute_url())
    day = client.get("/2024/07/12/")

    assertContains(article, '<time datetime="2024-07-12T09:00:00+00:00">12. Juli 2024</time>', html=True)
    assertContains(day, '<h1 class="archive-header__title">Freitag, 12. Juli 2024</h1>', html=True)


def test_no_draft_or_scheduled_article_reaches_any_public_page(client, seed_article, make_article):
    draft = make_article(
        title="Secret draft headline", slug="secret-draft", status=Article.Status.DRAFT, author=seed_article.author
    )
    scheduled = make_article(
        title="Embargoed headline",
        slug="embargoed",
        published_at=timezone.now() + timedelta(days=2),
        author=seed_article.author,
    )

    seen = set()
    queue = ["/"]
    while queue:
        path = queue.pop()
        if path in seen:
            continue
        seen.add(path)
        response = client.get(path)
        assert response.status_code == 200, path
        html = response.content.decode()
        for secret in (draft, scheduled):
            assert secret.title not in html, path
            assert secret.slug not in html, path
        for href in re.findall(r'href="([^"]+)"', html):
            target = urlsplit(urljoin(path, href))
            if not target.scheme and not target.path.startswith(("/static/", "/admin/")):
                queue.append(target.path + (f"?{target.query}" if target.query else ""))

    assert {"/", "/2024/", "/2024/07/", "/2024/07/12/", "/author/colton-brown/"} <= seen
    assert seed_article.get_absolute_url() in seen
    for secret in (draft, scheduled):
        assert client.get(secret.get_absolute_url()).status_code == 404


@pytest.mark.parametrize(
    ("fields", "notice"),
    [
        ({"status": Article.Status.DRAFT, "published_at": JULY_12}, "Preview of a draft"),
        ({"published_at": timezone.now() + timedelta(days=3)}, "is scheduled for"),
    ],
    ids=["draft", "scheduled"],
)
def test_editors_preview_unpublished_articles_without_counting_a_view(client, make_article, editor, fields, notice):
    article = make_article(title="Under embargo", **fields)
    client.force_login(editor)

    response = client.get(article.get_absolute_url())

    assert response.status_code == 200
    html = response.content.decode()
    assert "Under embargo" in html
    assert notice in html
    assertContains(response, '<meta name="robots" content="noindex">', html=True)
    article.refresh_from_db()
    assert article.view_count == 0
    client.logout()
    assert client.get(article.get_absolute_url()).status_code == 404


def test_staff_without_article_permission_gets_404_for_a_draft(client, make_article, django_user_model):
    article = make_article(status=Article.Status.DRAFT)
    client.force_login(django_user_model.objects.create_user("intern", password="pw", is_staff=True))

    assert client.get(article.get_absolute_url()).status_code == 404
