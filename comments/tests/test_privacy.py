"""A commenter's own pending comment is theirs alone (the whole public site is crawled in newsroom/tests)."""

import pytest
from django.test import Client

from comments.models import Comment
from comments.tests.helpers import comment_form_data
from newsroom.tests.helpers import crawl

pytestmark = pytest.mark.django_db


def test_a_commenters_own_pending_comment_stays_hidden_from_everyone_else(article):
    commenter = Client()
    commenter.post(
        f"/comments/post/{article.pk}/",
        comment_form_data(article, comment="Only I can see this yet.", author="Ann", email="ann@private.example"),
    )
    comment = Comment.objects.get()

    assert "Only I can see this yet." in commenter.get(article.get_absolute_url()).content.decode()
    for path, response in crawl(Client(), ["/", f"{article.get_absolute_url()}?replytocom={comment.pk}"]).items():
        source = response.content.decode()
        assert "Only I can see this yet." not in source, path
        assert "private.example" not in source, path
        assert f"comment-{comment.pk}" not in source, path
