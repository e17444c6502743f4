import pytest

from comments.forms import CommentForm
from comments.models import Comment
from comments.tests.helpers import comment_form_data

pytestmark = pytest.mark.django_db


def test_fields_have_wordpress_names_and_order(article):
    form = CommentForm(article)

    assert [field.html_name for field in form] == [
        "comment",
        "author",
        "email",
        "url",
        "wp-comment-cookies-consent",
        "notify",
        "comment_parent",
        "comment_token",
        "url_confirm",
    ]
    assert [field.id_for_label for field in form] == [field.html_name for field in form]
    assert [str(field.label) for field in form.reader_fields()] == [
        "Comment",
        "Name",
        "Email",
        "Website",
        "Save my name, email, and website in this browser for the next time I comment.",
        "Notify me of replies and when my comment is approved",
    ]
    assert [name for name, field in form.fields.items() if field.required] == [
        "comment",
        "author",
        "email",
        "comment_token",
    ]


def test_valid_data_builds_an_unsaved_comment(article):
    form = CommentForm(article, data=comment_form_data(article, url="https://ann.example/blog"))

    assert form.is_valid(), form.errors
    comment = form.build_comment(ip_address="203.0.113.9", user_agent="Test browser")
    assert comment.pk is None
    assert (comment.article, comment.parent, comment.author, comment.email, comment.url, comment.body) == (
        article,
        None,
        "Ann Lee",
        "ann@readers.example",
        "https://ann.example/blog",
        "A fair point.",
    )
    assert (comment.ip_address, comment.user_agent) == ("203.0.113.9", "Test browser")


@pytest.mark.parametrize(("field", "limit"), [("author", 245), ("email", 100), ("url", 200), ("comment", 65525)])
def test_lengths_are_bounded_as_in_wordpress(article, field, limit):
    def value(length):
        if field == "email":
            return "a" * (length - len("@readers.example")) + "@readers.example"
        if field == "url":
            return "https://example.com/" + "a" * (length - len("https://example.com/"))
        return "a" * length

    assert CommentForm(article, data=comment_form_data(article, **{field: value(limit)})).is_valid()
    too_long = CommentForm(article, data=comment_form_data(article, **{field: value(limit + 1)}))
    assert not too_long.is_valid()
    assert f"at most {limit} characters" in too_long.errors[field][0]


@pytest.mark.parametrize(
    "url",
    ["javascript:alert(1)", "JavaScript:alert(1)", " javascript:alert(1)", "data:text/html,hi", "ftp://example.com/"],
)
def test_website_must_be_http_or_https(article, url):
    form = CommentForm(article, data=comment_form_data(article, url=url))

    assert not form.is_valid()
    assert form.errors["url"] == ["A website address must start with http:// or https://."]


def test_website_without_a_scheme_gets_https(article):
    form = CommentForm(article, data=comment_form_data(article, url="ann.example"))

    assert form.is_valid()
    assert form.cleaned_data["url"] == "https://ann.example"


@pytest.mark.parametrize("url", ["http://", "http://[", "https://exa mple.com", "http:example.com"])
def test_malformed_website_is_refused_clearly(article, url):
    form = CommentForm(article, data=comment_form_data(article, url=url))

    assert not form.is_valid()
    assert form.errors["url"] == ["Enter a valid website address, such as https://example.com."]


def test_whitespace_is_tidied(article):
    form = CommentForm(
        article,
        data=comment_form_data(
            article, author="  Ann \t  Lee ", email=" ann@readers.example ", comment="  First  \r\n\r\nSecond\r "
        ),
    )

    assert form.is_valid()
    assert form.cleaned_data["author"] == "Ann Lee"
    assert form.cleaned_data["email"] == "ann@readers.example"
    assert form.cleaned_data["comment"] == "First\n\nSecond"


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"comment": "  \n "}, "comment", "Please type your comment."),
        ({"author": ""}, "author", "Please enter your name."),
        ({"email": ""}, "email", "Please enter your email address."),
        ({"email": "not an email"}, "email", "Enter a valid email address, such as name@example.com."),
        ({"author": "Ann\x00"}, "author", "Null characters are not allowed."),
    ],
)
def test_missing_or_bad_fields_say_what_is_wrong(article, changes, field, message):
    form = CommentForm(article, data=comment_form_data(article, **changes))

    assert not form.is_valid()
    assert form.errors[field] == [message]


def test_missing_keys_are_refused_not_crashed(article):
    form = CommentForm(article, data={})

    assert not form.is_valid()
    assert set(form.errors) == {"comment", "author", "email", "comment_token"}


def test_reply_to_an_approved_comment_of_the_article(article, make_comment):
    parent = make_comment()

    form = CommentForm(article, data=comment_form_data(article, comment_parent=str(parent.pk)))

    assert form.is_valid()
    assert form.cleaned_data["comment_parent"] == parent
    assert form.reply_to == parent
    assert form.build_comment().parent == parent


@pytest.mark.parametrize("kind", ["abc", "negative", "huge", "pending", "spam", "foreign", "missing"])
def test_reply_to_anything_else_is_refused(article, make_article, make_comment, kind):
    values = {
        "abc": "abc",
        "negative": "-3",
        "huge": "9" * 30,
        "pending": lambda: make_comment(status=Comment.Status.PENDING).pk,
        "spam": lambda: make_comment(status=Comment.Status.SPAM).pk,
        "foreign": lambda: make_comment(article=make_article()).pk,
        "missing": "987654",
    }
    value = values[kind]
    form = CommentForm(
        article, data=comment_form_data(article, comment_parent=str(value() if callable(value) else value))
    )

    assert not form.is_valid()
    assert form.errors["comment_parent"] == ["The comment you replied to is not available."]
    assert form.reply_to is None


def test_remember_box_reads_the_wordpress_field(article):
    ticked = CommentForm(article, data=comment_form_data(article, **{"wp-comment-cookies-consent": "yes"}))
    unticked = CommentForm(article, data=comment_form_data(article))

    assert ticked.is_valid()
    assert unticked.is_valid()
    assert ticked.cleaned_data["remember"] is True
    assert unticked.cleaned_data["remember"] is False


@pytest.mark.parametrize(
    ("changes", "focused"),
    [
        ({"email": "ann@", "url": "javascript:alert(1)"}, "email"),
        ({"comment": "", "author": ""}, "comment"),
        ({"url": "ftp://ann.example"}, "url"),
        ({"comment_parent": "99999"}, None),
    ],
)
def test_refused_form_focuses_its_first_visible_field_with_an_error(article, changes, focused):
    form = CommentForm(article, data=comment_form_data(article, **changes))

    assert not form.is_valid()
    assert [field.name for field in form if "autofocus" in field.as_widget()] == ([focused] if focused else [])


def test_new_form_focuses_nothing(article):
    assert not any("autofocus" in field.as_widget() for field in CommentForm(article))
