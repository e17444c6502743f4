"""Whatever a client posts to the comment form, the answer is never a server error."""

from urllib.parse import quote_plus

import pytest
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from comments.tests.helpers import comment_form_data

pytestmark = pytest.mark.django_db

FIELD_NAMES = [
    "comment",
    "author",
    "email",
    "url",
    "wp-comment-cookies-consent",
    "comment_parent",
    "comment_token",
    "url_confirm",
    "csrfmiddlewaretoken",
]
names = st.sampled_from(FIELD_NAMES) | st.text(max_size=20)
# Text without lone surrogates (a client can only send bytes: invalid ones come from ``st.binary``).
texts = st.text(st.characters(exclude_categories=["Cs"]), max_size=300)
values = texts | st.binary(max_size=300) | st.sampled_from(["", "0", "-1", "1e9", "on", "https://x.example", "a@b.c"])
# Random changes to a valid post, so that some posts pass the form and reach the moderation rules.
changes = st.lists(st.tuples(names, values), max_size=12)


def encode(pairs):
    """An application/x-www-form-urlencoded body; bytes values are sent as they are, valid UTF-8 or not."""
    return "&".join(f"{quote_plus(name)}={quote_plus(value)}" for name, value in pairs)


def assert_answered_without_error(response):
    assert response.status_code < 500, response.content[:500]


def examples(count):
    return settings(
        max_examples=count, deadline=None, database=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
    )


@examples(100)
@given(start_valid=st.booleans(), pairs=changes)
def test_random_form_fields_never_get_a_server_error(article, start_valid, pairs):
    valid = list(comment_form_data(article).items()) if start_valid else []
    changed = {name for name, _value in pairs}
    body = encode([(name, value) for name, value in valid if name not in changed] + pairs)

    response = Client().post(
        reverse("comments:post", args=[article.pk]), body, content_type="application/x-www-form-urlencoded"
    )

    assert_answered_without_error(response)


@examples(50)
@given(body=st.binary(max_size=2000), content_type=st.sampled_from(["application/x-www-form-urlencoded", "text/plain"]))
def test_random_bytes_never_get_a_server_error(article, body, content_type):
    response = Client().post(reverse("comments:post", args=[article.pk]), body, content_type=content_type)

    assert_answered_without_error(response)


@examples(50)
@given(fields=st.dictionaries(names, st.lists(texts, min_size=1, max_size=3), max_size=10))
def test_random_multipart_forms_never_get_a_server_error(article, fields):
    response = Client().post(reverse("comments:post", args=[article.pk]), {**comment_form_data(article), **fields})

    assert_answered_without_error(response)
