"""No commenter's email, and nothing but approved comments, ever reaches a public page."""

import re
from urllib.parse import urljoin, urlsplit

import pytest
from django.test import Client

from comments.models import Comment
from comments.tests.helpers import comment_form_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeded_comments(article, make_article, make_comment):
    """Comments in every status on two articles, each with its own email address and body."""
    other_article = make_article()
    comments = []
    for on_article in (article, other_article):
        for status in Comment.Status:
            parent = make_comment(
                article=on_article,
                status=status,
                email=f"{status}-top-{on_article.pk}@private.example",
                body=f"Body of a {status} comment on {on_article.pk}",
                url=f"https://{status}.example",
            )
            reply = make_comment(
                article=on_article,
                status=status,
                parent=parent,
                email=f"{status}-reply-{on_article.pk}@private.example",
                body=f"Reply of a {status} comment on {on_article.pk}",
            )
            comments += [parent, reply]
    return comments


def crawl(client, extra_paths=()):
    """Every page reachable from the home page by links, plus ``extra_paths``: path -> response."""
    pages = {}
    queue = ["/", *extra_paths]
    while queue:
        path = queue.pop()
        if path in pages:
            continue
        response = client.get(path)
        pages[path] = response
        for href in re.findall(r'href="([^"]+)"', response.content.decode()):
            target = urlsplit(urljoin(path, href))
            if not target.scheme and not target.path.startswith(("/static/", "/admin/")):
                queue.append(target.path + (f"?{target.query}" if target.query else ""))
    return pages


def test_no_email_or_unapproved_comment_on_any_public_page(client, article, seeded_comments):
    hidden = [comment for comment in seeded_comments if comment.status != Comment.Status.APPROVED]
    articles = {comment.article for comment in seeded_comments}
    reply_variants = [
        f"{page.get_absolute_url()}?replytocom={comment.pk}" for page in articles for comment in seeded_comments
    ]
    extra = [*reply_variants, "/no-such-page/", "/2024/07/12/no-such-article/"]

    pages = crawl(client, extra)

    assert article.get_absolute_url() in pages
    assert len([path for path in pages if "replytocom" in path]) >= 2 * len(seeded_comments)
    for path, response in pages.items():
        assert response.status_code in (200, 404), path
        source = response.content.decode()
        assert "private.example" not in source, path
        assert "@readers.example" not in source, path
        for comment in hidden:
            assert comment.body not in source, path
            assert f'comment-{comment.pk}"' not in source, path
            assert f"https://{comment.status}.example" not in source, path
        assert not re.search(r"\b[0-9a-f]{32}\b", source), f"a hash on {path}"
        assert "gravatar" not in source.lower(), path
    shown = pages[article.get_absolute_url()].content.decode()
    assert "Body of a approved comment" in shown
    assert "Reply of a approved comment" in shown


def test_a_commenters_own_pending_comment_stays_hidden_from_everyone_else(article):
    commenter = Client()
    commenter.post(
        f"/comments/post/{article.pk}/",
        comment_form_data(article, comment="Only I can see this yet.", author="Ann", email="ann@private.example"),
    )
    comment = Comment.objects.get()

    assert "Only I can see this yet." in commenter.get(article.get_absolute_url()).content.decode()
    for path, response in crawl(Client(), [f"{article.get_absolute_url()}?replytocom={comment.pk}"]).items():
        source = response.content.decode()
        assert "Only I can see this yet." not in source, path
        assert "private.example" not in source, path
        assert f"comment-{comment.pk}" not in source, path
