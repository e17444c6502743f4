"""Pages run a constant number of queries, whatever the number of comments or articles they list."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from articles.tests.helpers import LIST_PATHS, list_path

pytestmark = pytest.mark.django_db


def queries_for(client, path):
    with CaptureQueriesContext(connection) as context:
        response = client.get(path)
    assert response.status_code == 200, path
    return len(context.captured_queries)


def test_article_page_with_1_or_200_comments(client, article, make_comment, make_tag):
    article.tags.set([make_tag(), make_tag()])
    first = make_comment()
    one_comment = queries_for(client, article.get_absolute_url())

    parent = first
    for number in range(199):
        parent = make_comment(parent=parent if number % 3 else None)
    many_comments = queries_for(client, article.get_absolute_url())

    assert "200 Comments" in client.get(article.get_absolute_url()).content.decode()
    assert many_comments == one_comment


@pytest.mark.parametrize("path", LIST_PATHS)
def test_lists_with_2_or_10_articles(
    client, settings, make_article, make_author, make_section, make_tag, make_comment, path
):
    """Each card shows its comment count, read with the article: no query per card."""
    settings.ARTICLES_PER_PAGE = 10
    author, section, tag = make_author(), make_section(), make_tag()

    def add_articles(count):
        for _ in range(count):
            article = make_article(title="River news", author=author, section=section, tags=[tag, make_tag()])
            make_comment(article=article)

    add_articles(2)
    newest = author.articles.first()
    path = list_path(path, newest, tag, "river")
    few = queries_for(client, path)
    add_articles(8)
    many = queries_for(client, path)

    assert many == few
