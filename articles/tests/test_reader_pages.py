"""What readers find around the articles: comment counts, the sidebar on every list, previous and next links."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from pytest_django.asserts import assertContains, assertInHTML, assertNotContains

from articles.models import Article
from articles.tests.helpers import LIST_PATHS, list_path
from comments.models import Comment

pytestmark = pytest.mark.django_db


def count_link(href, text):
    return f'<a class="comment-count" href="{href}">{text}</a>'


def test_the_article_shows_its_comment_count_near_the_top(client, article, make_comment):
    make_comment()
    make_comment()
    make_comment(status=Comment.Status.PENDING)

    response = client.get(article.get_absolute_url())

    assertInHTML(count_link("#comments", "2 Comments"), response.content.decode())


def test_an_article_without_comments_invites_one(client, article):
    response = client.get(article.get_absolute_url())

    assertInHTML(count_link("#respond", "Leave a comment"), response.content.decode())


def test_an_article_closed_to_comments_without_any_shows_no_count(client, make_article):
    article = make_article(comments_open=False)

    response = client.get(article.get_absolute_url())

    assertNotContains(response, 'class="comment-count"')


def listed_path(path, article):
    return list_path(path, article, article.tags.get(), "otters")


@pytest.fixture
def listed_article(make_article, make_section, make_tag):
    return make_article(title="Otters return to the river", section=make_section(), tags=[make_tag()])


@pytest.mark.parametrize("path", LIST_PATHS)
def test_every_article_card_shows_its_comment_count(client, listed_article, make_article, make_comment, path):
    make_comment(article=listed_article)

    response = client.get(listed_path(path, listed_article))

    url = listed_article.get_absolute_url()
    assertInHTML(count_link(f"{url}#comments", "One Comment"), response.content.decode())


@pytest.mark.parametrize("path", [*LIST_PATHS, "/search/", "article"])
def test_every_page_type_has_the_sidebar(client, listed_article, make_article, path):
    hit = make_article(title="Everyone read this", view_count=1000)

    response = client.get(listed_article.get_absolute_url() if path == "article" else listed_path(path, listed_article))

    html = response.content.decode()
    sidebar = html[html.index('id="most-read-title"') :]
    assert hit.get_absolute_url() in sidebar
    assertInHTML('<h2 id="sidebar-sections-title" class="section-title">Sections</h2>', html)
    assert f'href="{listed_article.section.get_absolute_url()}"' in sidebar
    assertInHTML('<h2 id="archive-nav-title" class="section-title">Archive</h2>', html)
    year = listed_article.published_at.year
    assert f'<li><a href="/{year}/">{year}</a></li>' in sidebar


def test_the_author_page_shows_the_bio_and_their_articles(client, make_author, make_article):
    author = make_author(bio="Covers rivers and the animals in them.")
    story = make_article(title="Otters return", author=author)

    response = client.get(author.get_absolute_url())

    assertContains(response, '<p class="archive-header__intro">Covers rivers and the animals in them.</p>', html=True)
    assertContains(response, f'<a href="{story.get_absolute_url()}">Otters return</a>', html=True)


def test_an_article_links_the_published_articles_before_and_after_it(client, make_article):
    now = timezone.now()
    older = make_article(title="Older story", published_at=now - timedelta(days=3))
    make_article(title="Drafted story", published_at=now - timedelta(days=2), status=Article.Status.DRAFT)
    article = make_article(title="This story", published_at=now - timedelta(days=1))
    newer = make_article(title="Newer story", published_at=now - timedelta(hours=1))
    make_article(title="Scheduled story", published_at=now + timedelta(days=1))

    response = client.get(article.get_absolute_url())

    assertContains(
        response,
        f'<a class="article-steps__link" rel="prev" href="{older.get_absolute_url()}">'
        '<span class="article-steps__label">Previous article</span> Older story</a>',
        html=True,
    )
    assertContains(
        response,
        f'<a class="article-steps__link article-steps__link--next" rel="next" href="{newer.get_absolute_url()}">'
        '<span class="article-steps__label">Next article</span> Newer story</a>',
        html=True,
    )
    assertNotContains(response, "Drafted story")
    assertNotContains(response, "Scheduled story")


def test_the_newest_article_has_no_next_link_and_the_oldest_no_previous(client, make_article):
    published_at = timezone.now() - timedelta(days=1)
    first = make_article(published_at=published_at)
    second = make_article(published_at=published_at)  # the same date: the later one counts as newer

    oldest = client.get(first.get_absolute_url())
    newest = client.get(second.get_absolute_url())

    assertContains(oldest, f'rel="next" href="{second.get_absolute_url()}"')
    assertNotContains(oldest, 'rel="prev"')
    assertContains(newest, f'rel="prev" href="{first.get_absolute_url()}"')
    assertNotContains(newest, 'rel="next"')


@pytest.mark.parametrize(
    ("page", "links"),
    [
        (1, ['<link rel="next" href="?page=2">']),
        (2, ['<link rel="prev" href="?page=1">', '<link rel="next" href="?page=3">']),
        (3, ['<link rel="prev" href="?page=2">']),
    ],
)
def test_paginated_lists_name_their_previous_and_next_pages_in_the_head(client, settings, make_article, page, links):
    settings.ARTICLES_PER_PAGE = 2
    for _ in range(5):
        make_article()

    html = client.get(f"/?page={page}").content.decode()

    head = html[: html.index("</head>")]
    assert re.findall(r'<link rel="(?:prev|next)"[^>]*>', head) == links
