"""Random input never makes the site fail: every URL pattern and search answer below 500.

Hypothesis fills each URL pattern of the site with random or real values and adds random query strings,
and searches with random queries. An uncaught exception would be raised by the test client; a response
of 500 or more fails as well. Random values in every field of the Leave a Reply form either store the
comment or refuse it with a 4xx that shows again what was typed (comments/tests/test_random_input.py
throws random bodies and encodings at the same form).
"""

import re
from html import escape
from urllib.parse import quote, urlencode

import markupsafe
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from comments.models import Comment
from comments.tests.helpers import comment_form_data
from newsroom.tests.helpers import concrete_path, url_patterns

pytestmark = pytest.mark.django_db

fuzzing = settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

# Any text, control characters and NUL included, but not lone surrogates (which no request can carry).
any_text = st.text(st.characters(codec="utf-8"), max_size=60)
# Text made of what query languages and markup give meaning to.
syntax_text = st.text(st.sampled_from(list("\"'-+|&!:*()<>[]{}\\/%;.,?=#@~^$` \t\n\x00aZ09éß漢")), max_size=60)
fuzzy_text = st.one_of(any_text, syntax_text, st.sampled_from(["", "0", "-1", "1e9", "99999999999999999999", "None"]))
query_pairs = st.lists(
    st.tuples(st.one_of(fuzzy_text, st.sampled_from(["page", "q", "replytocom", "p", "o"])), fuzzy_text)
)
raw_query = st.text(st.characters(min_codepoint=0x21, max_codepoint=0x7E), max_size=60)

# An article body as imports bring them: markup that is broken, foreign or half-written.
ODD_BODY = (
    "Harbour <![CDATA[ cdata ]]> notes <!-- comment --> <b>bold & <i>broken <a href=x>link\n\n"
    "<?xml version='1.0'?> <script>alert(1)</script> <p>para <table><td>cell &amp; &nbsp; &#0; &bogus;"
)
ODD_BODY_WORDS = re.findall(r"\w+", ODD_BODY)
COMMENT_FIELDS = ("comment", "author", "email", "url", "comment_parent", "wp-comment-cookies-consent")
PATTERNS = list(url_patterns())


def pattern_id(pattern):
    chain, _view = pattern
    return "".join(str(part) for part in chain) or "home"


@pytest.fixture
def content(make_article, make_comment, make_tag, make_section):
    """A published article with a section, a tag and a comment, whose real keys the fuzzer may use."""
    tag, section = make_tag(), make_section()
    article = make_article(tags=[tag], section=section, body=ODD_BODY)
    comment = make_comment(article=article)
    date = article.published_at
    return {
        "year": [str(date.year)],
        "month": [f"{date.month:02d}"],
        "day": [f"{date.day:02d}"],
        "slug": [article.slug, article.author.slug, section.slug, tag.slug],
        "article_id": [str(article.pk)],
        "object_id": [str(article.pk), str(comment.pk)],
    }


def parameter_values(name, converter, content):
    """A real value for the parameter, one its converter accepts, or anything (escaped to stay one segment)."""
    return st.one_of(
        st.sampled_from(content.get(name, ["1"])),
        st.from_regex(converter.regex, fullmatch=True).map(lambda value: quote(value, safe="")),
        any_text.map(lambda value: quote(value, safe="")),
    )


def with_query(data, path):
    choice = data.draw(st.sampled_from(["none", "pairs", "raw"]))
    if choice == "pairs":
        return f"{path}?{urlencode(data.draw(query_pairs))}"
    if choice == "raw":
        return f"{path}?{data.draw(raw_query)}"
    return path


@pytest.mark.parametrize("pattern", PATTERNS, ids=pattern_id)
@fuzzing
@given(data=st.data())
def test_no_url_pattern_fails_on_random_input(client, admin_user, content, pattern, data):
    chain, _view = pattern
    path = concrete_path(
        chain,
        lambda name, converter: data.draw(parameter_values(name, converter, content)),
        lambda expression: quote(data.draw(st.from_regex(expression, fullmatch=True)), safe="/"),
    )
    if path.startswith("/admin/"):
        client.force_login(admin_user)
    method = data.draw(st.sampled_from(["get", "head"]))

    response = getattr(client, method)(with_query(data, path))

    assert response.status_code < 500, path


@fuzzing
@given(query=st.one_of(fuzzy_text, st.lists(st.sampled_from(ODD_BODY_WORDS)).map(" ".join)), page=fuzzy_text)
@example(query="cdata", page="1")  # a match inside a CDATA section once broke the highlighting
def test_search_never_fails(client, content, query, page):
    response = client.get("/search/", {"q": query, "page": page})

    assert response.status_code in (200, 404)


@settings(fuzzing, max_examples=60)
@given(
    fields=st.fixed_dictionaries(
        {},
        optional=dict.fromkeys(
            ("comment", "author", "email", "url", "comment_parent", "wp-comment-cookies-consent"), fuzzy_text
        ),
    ),
    extra=st.dictionaries(fuzzy_text, fuzzy_text, max_size=3),
)
@example(fields={"author": '0"', "email": "not an address"}, extra={})  # a quote in a refused form's field
def test_a_comment_is_stored_or_refused_keeping_what_was_typed(client, settings, article, fields, extra):
    settings.COMMENTS_FLOOD_SECONDS = 0
    settings.COMMENTS_MIN_SUBMIT_SECONDS = 0
    before = Comment.objects.count()

    response = client.post(f"/comments/post/{article.pk}/", {**extra, **comment_form_data(article, **fields)})

    assert response.status_code == 302 or 400 <= response.status_code < 500, fields
    if response.status_code == 302:
        assert Comment.objects.count() == before + 1
    else:
        assert Comment.objects.count() == before
        page = response.content.decode()
        for name in ("comment", "author"):
            typed = fields.get(name, "")
            if typed.strip() and "\x00" not in typed and not re.search(r"[\x01-\x08\x0b\x0c\x0e-\x1f]", typed):
                # The form's fields are written by Jinja2, which escapes quotes as numeric character references.
                assert escape(typed) in page or markupsafe.escape(typed) in page, name
