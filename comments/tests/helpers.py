"""Helpers shared by the comments tests."""

import time

from django.conf import settings

from comments.forms import comment_token
from comments.visitor import POSTED_KEY


def comment_form_data(article, **changes):
    """What a reader's browser sends from the "Leave a Reply" form of ``article``, with ``changes`` applied.

    The form token was issued just long enough ago to be accepted, and the honeypot is left empty.
    """
    data = {
        "comment": "A fair point.",
        "author": "Ann Lee",
        "email": "ann@readers.example",
        "url": "",
        "comment_parent": "0",
        "comment_token": comment_token(article.pk, issued_at=time.time() - settings.COMMENTS_MIN_SUBMIT_SECONDS - 1),
        "url_confirm": "",
    }
    data.update(changes)
    return data


def posted_from(client, *comments):
    """Make ``comments`` the ones this test client's browser posted, as its session remembers them."""
    session = client.session
    session[POSTED_KEY] = [comment.pk for comment in comments]
    session.save()
