"""The comment form's defences against robots and abuse: each refuses or holds what it must, and a person
whose comment is refused always finds what they typed in the form again."""

import re
import time
from urllib.parse import quote_plus, urlencode
from xml.etree import ElementTree

import pytest
import redis
from django.core import mail, signing
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from comments import moderation
from comments.forms import TOKEN_SALT, comment_token
from comments.models import Comment, DiscussionSettings
from comments.tests.helpers import comment_form_data, posted_from
from comments.visitor import client_address
from newsroom.tests.helpers import REDIS_URL

pytestmark = pytest.mark.django_db

TOKEN_INPUT = re.compile(r'<input type="hidden" name="comment_token" value="([^"]+)" id="comment_token">')
HIDDEN_INPUT = re.compile(r'<input type="hidden" name="([^"]+)" value="([^"]*)"')
TYPED = "My carefully typed thoughts,\nover two lines."
KEPT = "My carefully typed thoughts,\nover two lines.</textarea>"


def post_url(article):
    return reverse("comments:post", args=[article.pk])


def post(client, article, request=None, **changes):
    """Post the comment form, by default with ``TYPED`` as the comment; ``request``: extra request headers."""
    return client.post(
        post_url(article), comment_form_data(article, **{"comment": TYPED, **changes}), **(request or {})
    )


def page_token(html):
    return TOKEN_INPUT.search(html).group(1)


def token_contents(token):
    """The article id and issue time signed into a form token (its nonce left out)."""
    article_id, issued_at, _nonce = signing.loads(token, salt=TOKEN_SALT)
    return [article_id, issued_at]


def assert_refused_with(response, status, message):
    html = response.content.decode()
    assert response.status_code == status
    assert "Your comment was not posted." in html
    assert message in html
    assert KEPT in html


# The honeypot


def test_the_honeypot_is_hidden_from_people(client, article):
    html = client.get(article.get_absolute_url()).content.decode()

    trap = re.search(
        r'<div class="([^"]*)" aria-hidden="true">\s*<label for="url_confirm">([^<]*)</label>\s*(<[^>]*>)', html
    )
    assert "visually-hidden" in trap.group(1).split()
    assert trap.group(2) == "Leave this field empty"
    assert trap.group(3) == '<input type="text" name="url_confirm" tabindex="-1" autocomplete="off" id="url_confirm">'


def test_a_filled_honeypot_is_kept_as_spam_and_never_shown(client, article, settings):
    settings.COMMENTS_NOTIFY_EMAILS = ["desk@news.example"]

    response = post(client, article, url_confirm="https://cheap-pills.example")

    comment = Comment.objects.get()
    assert comment.status == Comment.Status.SPAM
    assert response.status_code == 302
    assert response["Location"] == f"{article.get_absolute_url()}#comment-{comment.pk}"
    assert "My carefully typed" not in client.get(article.get_absolute_url()).content.decode()
    assert "My carefully typed" not in Client().get(article.get_absolute_url()).content.decode()
    assert mail.outbox == []


# The signed form token


def test_the_form_carries_a_token_for_its_article_issued_now(client, article):
    before = int(time.time())

    token = page_token(client.get(article.get_absolute_url()).content.decode())

    article_id, issued_at = token_contents(token)
    assert article_id == article.pk
    assert before <= issued_at <= time.time()


@pytest.mark.parametrize(
    ("token", "message"),
    [
        (lambda article, other: comment_token(article.pk, time.time() - 10) + "x", "The form could not be verified."),
        (lambda article, other: comment_token(other.pk, time.time() - 10), "The form could not be verified."),
        (lambda article, other: "not a token", "The form could not be verified."),
        (lambda article, other: "", "The form was sent without its security token."),
        (
            lambda article, other: comment_token(article.pk, time.time() - 86_401),
            "The form was shown more than a day ago.",
        ),
        (
            lambda article, other: comment_token(article.pk),
            "Your comment was sent too quickly after the page was shown.",
        ),
    ],
    ids=["tampered", "other-article", "garbage", "missing", "older-than-a-day", "too-fast"],
)
def test_a_bad_token_is_refused_with_the_text_kept(client, article, make_article, token, message):
    response = post(client, article, comment_token=token(article, make_article()))

    assert_refused_with(response, 400, message)
    assert not Comment.objects.exists()


def test_a_refused_form_carries_a_fresh_token(client, article):
    sent = comment_token(article.pk, time.time() - 86_401)

    html = post(client, article, comment_token=sent).content.decode()

    renewed = page_token(html)
    assert renewed != sent
    assert token_contents(renewed)[1] >= time.time() - 5


def test_the_minimum_time_follows_the_setting(client, article, settings):
    settings.COMMENTS_MIN_SUBMIT_SECONDS = 60

    assert post(client, article, comment_token=comment_token(article.pk, time.time() - 30)).status_code == 400
    assert post(client, article, comment_token=comment_token(article.pk, time.time() - 61)).status_code == 302


def test_a_page_from_the_page_cache_carries_a_fresh_token_that_is_accepted(article, settings, monkeypatch):
    settings.PAGE_CACHE_SECONDS = 300
    Client().get(article.get_absolute_url())  # rendered and stored in the page cache
    shown_at = time.time() + 60
    monkeypatch.setattr(time, "time", lambda: shown_at)
    reader = Client()

    html = reader.get(article.get_absolute_url()).content.decode()

    assert not reader.cookies.get("sessionid")
    token = page_token(html)
    assert token_contents(token) == [article.pk, int(shown_at)]
    data = {**comment_form_data(article, comment=TYPED), **dict(HIDDEN_INPUT.findall(html))}
    assert data["comment_token"] == token
    monkeypatch.setattr(time, "time", lambda: shown_at + 5)
    assert reader.post(post_url(article), data).status_code == 302
    assert Comment.objects.get().body == TYPED


def test_every_page_from_the_page_cache_carries_a_token_of_its_own(article, settings):
    settings.PAGE_CACHE_SECONDS = 300
    Client().get(article.get_absolute_url())

    tokens = {page_token(Client().get(article.get_absolute_url()).content.decode()) for _ in range(3)}

    assert len(tokens) == 3


def test_a_form_token_is_accepted_once(client, article, flood_limit):
    data = comment_form_data(article, comment=TYPED)
    assert client.post(post_url(article), {**data, "comment": "First."}, REMOTE_ADDR="203.0.113.9").status_code == 302

    replayed = client.post(post_url(article), data, REMOTE_ADDR="203.0.113.10")

    assert_refused_with(replayed, 400, "This form was already sent once. Please post your comment again.")
    assert Comment.objects.count() == 1
    renewed = {**data, "comment_token": page_token(replayed.content.decode())}
    assert client.post(post_url(article), renewed, REMOTE_ADDR="203.0.113.10").status_code == 302


def test_a_token_is_not_used_up_by_a_form_refused_for_its_fields(client, article):
    data = comment_form_data(article, comment=TYPED)

    assert client.post(post_url(article), {**data, "email": "not-an-email"}).status_code == 400
    assert client.post(post_url(article), data).status_code == 302


def test_a_failing_cache_never_refuses_a_form_token(client, article, monkeypatch, caplog):
    def fail(*args, **kwargs):
        raise ConnectionError("the cache is down")

    monkeypatch.setattr("comments.forms.cache.add", fail)

    assert post(client, article).status_code == 302
    assert "Could not record a used comment form token" in caplog.text


def test_a_too_quick_commenter_is_told_how_long_to_wait_and_accepted_once_they_have(
    client, article, settings, monkeypatch
):
    settings.COMMENTS_MIN_SUBMIT_SECONDS = 10
    shown_at = int(time.time())
    monkeypatch.setattr(time, "time", lambda: shown_at)
    html = client.get(article.get_absolute_url()).content.decode()
    data = {**comment_form_data(article, comment=TYPED), "comment_token": page_token(html)}

    monkeypatch.setattr(time, "time", lambda: shown_at + 3.5)
    first = client.post(post_url(article), data)
    assert_refused_with(first, 400, "Please wait 7 more seconds, then post it again.")
    monkeypatch.setattr(time, "time", lambda: shown_at + 5)
    second = client.post(post_url(article), {**data, "comment_token": page_token(first.content.decode())})
    assert_refused_with(second, 400, "Please wait 5 more seconds, then post it again.")
    assert token_contents(page_token(second.content.decode()))[1] == shown_at

    monkeypatch.setattr(time, "time", lambda: shown_at + 10.5)
    third = client.post(post_url(article), {**data, "comment_token": page_token(second.content.decode())})
    assert third.status_code == 302
    assert Comment.objects.get().body == TYPED


def test_a_forged_first_shown_time_is_not_kept(client, article):
    forged = signing.dumps([article.pk, int(time.time()) - 3600, "x"], salt="another salt")

    html = post(client, article, comment_token=forged).content.decode()

    assert token_contents(page_token(html))[1] >= time.time() - 5


# The flood limit


@pytest.fixture
def flood_limit(settings):
    settings.COMMENTS_FLOOD_SECONDS = 15
    return settings


def test_a_second_comment_within_the_flood_limit_gets_429(client, article, flood_limit):
    assert post(client, article, {"REMOTE_ADDR": "203.0.113.9"}, comment="First.").status_code == 302

    response = post(client, article, {"REMOTE_ADDR": "203.0.113.9"})

    assert_refused_with(response, 429, "You are posting comments too quickly. Slow down.")
    assert Comment.objects.count() == 1
    assert post(client, article, {"REMOTE_ADDR": "203.0.113.10"}).status_code == 302


def test_the_flood_limit_ends_after_its_seconds(client, article, flood_limit, monkeypatch):
    assert client.post(post_url(article), comment_form_data(article, comment="First.")).status_code == 302
    data = comment_form_data(article, comment=TYPED)
    later = time.time() + 16
    monkeypatch.setattr(time, "time", lambda: later)

    assert client.post(post_url(article), data).status_code == 302


def test_an_ipv6_client_is_limited_by_its_64(client, article, flood_limit):
    assert post(client, article, {"REMOTE_ADDR": "2001:db8:1:2::1"}, comment="First.").status_code == 302

    response = post(client, article, {"REMOTE_ADDR": "2001:db8:1:2:ffff::9"})

    assert_refused_with(response, 429, "You are posting comments too quickly. Slow down.")
    assert post(client, article, {"REMOTE_ADDR": "2001:db8:1:3::1"}).status_code == 302


def test_a_refused_comment_does_not_use_up_the_flood_limit(client, article, flood_limit):
    assert post(client, article, email="not-an-email").status_code == 400

    assert post(client, article).status_code == 302


@pytest.mark.parametrize("proxies", [0, 1])
def test_a_spoofed_x_forwarded_for_does_not_bypass_the_flood_limit(client, article, flood_limit, proxies):
    flood_limit.TRUSTED_PROXY_COUNT = proxies
    proxy_added = ", 203.0.113.9" if proxies else ""
    first = comment_form_data(article, comment="First.")
    second = comment_form_data(article, comment=TYPED)

    client.post(post_url(article), first, REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR=f"198.51.100.1{proxy_added}")
    response = client.post(
        post_url(article), second, REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR=f"198.51.100.2{proxy_added}"
    )

    assert response.status_code == 429
    assert Comment.objects.get().ip_address == ("203.0.113.9" if proxies else "10.0.0.2")


@pytest.mark.parametrize(
    ("proxies", "forwarded_for", "address"),
    [
        (0, None, "10.0.0.2"),
        (0, "198.51.100.1", "10.0.0.2"),
        (1, "198.51.100.1", "198.51.100.1"),
        (1, "192.0.2.66, 198.51.100.1", "198.51.100.1"),
        (2, "192.0.2.66, 198.51.100.1, 203.0.113.7", "198.51.100.1"),
        (1, None, "10.0.0.2"),
        (2, "198.51.100.1", "10.0.0.2"),
        (1, "2001:db8::1", "2001:db8::1"),
        (1, "unknown", None),
    ],
)
def test_client_address(rf, settings, proxies, forwarded_for, address):
    settings.TRUSTED_PROXY_COUNT = proxies
    headers = {"HTTP_X_FORWARDED_FOR": forwarded_for} if forwarded_for else {}

    assert client_address(rf.post("/", REMOTE_ADDR="10.0.0.2", **headers)) == address


def test_the_flood_limit_works_with_redis(client, article, flood_limit, redis_cache):
    key = moderation.FLOOD_KEY.format(address="203.0.113.9")

    first = post(client, article, {"REMOTE_ADDR": "203.0.113.9"}, comment="First.")
    second = post(client, article, {"REMOTE_ADDR": "203.0.113.9"})

    assert first.status_code == 302
    assert_refused_with(second, 429, "You are posting comments too quickly. Slow down.")
    assert 0 < redis.Redis.from_url(REDIS_URL).ttl(cache.make_key(key)) <= 15


# Duplicates


def test_the_same_text_posted_again_from_the_same_browser_is_a_duplicate(client, article):
    assert post(client, article).status_code == 302

    response = post(client, article, author="Someone Else", email="else@readers.example")

    assert_refused_with(response, 409, "Duplicate comment detected; it looks as though you’ve already said that!")
    assert Comment.objects.count() == 1


@pytest.mark.parametrize("status", [Comment.Status.APPROVED, Comment.Status.PENDING, Comment.Status.SPAM])
def test_the_duplicate_check_tells_nothing_about_anyone_elses_email(client, article, make_comment, status):
    original = make_comment(author="Ann Lee", email="ann@secret.example", body=TYPED, status=status)
    answers = []

    for guess in ("ann@secret.example", "ann@wrong.example"):
        response = post(Client(), article, author="Ann Lee", email=guess)
        answers.append((response.status_code, Comment.objects.exclude(pk=original.pk).get(email=guess).status))

    assert answers == [(302, Comment.Status.PENDING)] * 2


def test_the_flood_limit_answers_before_the_duplicate_check(client, article, flood_limit):
    assert post(client, article, {"REMOTE_ADDR": "203.0.113.9"}).status_code == 302

    response = post(client, article, {"REMOTE_ADDR": "203.0.113.9"})

    assert response.status_code == 429


def test_a_known_name_and_email_from_another_browser_wait_for_an_editor(client, article, make_comment):
    make_comment(author="Ann Lee", email="ann@readers.example")

    assert post(client, article, comment="Posing as Ann.").status_code == 302

    assert Comment.objects.get(body="Posing as Ann.").status == Comment.Status.PENDING


def test_the_same_text_elsewhere_or_trashed_is_no_duplicate(client, article, make_article, make_comment, settings):
    settings.COMMENTS_MODERATION = False
    own = [
        make_comment(body=TYPED, author="Ann Lee", article=make_article()),
        make_comment(body="Something else.", author="Ann Lee", email="ann@readers.example"),
        make_comment(body=TYPED, author="Ann Lee", email="ann@readers.example", status=Comment.Status.TRASH),
    ]
    posted_from(client, *own)

    assert post(client, article).status_code == 302
    assert Comment.objects.get(article=article, body=TYPED, status=Comment.Status.APPROVED)


# The link limit


@pytest.mark.parametrize(("links", "status"), [(2, Comment.Status.APPROVED), (3, Comment.Status.PENDING)])
def test_more_links_than_the_limit_wait_even_for_a_known_commenter(client, article, make_comment, links, status):
    posted_from(client, make_comment(author="Ann Lee", email="ann@readers.example"))
    body = " ".join(f"See https://site{number}.example/page." for number in range(links))

    post(client, article, comment=body)

    assert Comment.objects.get(body=body).status == status


def test_the_link_limit_follows_the_setting(client, article, settings):
    settings.COMMENTS_MODERATION = False
    settings.COMMENTS_MAX_LINKS = 0

    post(client, article, comment="Plain words.")
    post(client, article, comment="Read www.example.com")

    assert Comment.objects.get(body="Plain words.").status == Comment.Status.APPROVED
    assert Comment.objects.get(body="Read www.example.com").status == Comment.Status.PENDING


# Word lists


MATCHING_FIELD = {
    "name": {"post": {"author": "Ann MARKER Lee"}},
    "email": {"post": {"email": "ann@marker.example"}},
    "website": {"post": {"url": "https://marker.example"}},
    "body": {"post": {"comment": "Buy Marker now."}},
    "ip": {"post": {}, "request": {"REMOTE_ADDR": "198.51.100.77"}, "entry": "198.51.100.77"},
    "user agent": {"post": {}, "request": {"HTTP_USER_AGENT": "MarkerBot/1.0"}},
}


@pytest.mark.parametrize("field", MATCHING_FIELD)
@pytest.mark.parametrize(("keys", "status"), [("disallowed_keys", "spam"), ("moderation_keys", "pending")])
def test_a_word_list_entry_in_any_field_marks_or_holds_the_comment(client, article, settings, field, keys, status):
    settings.COMMENTS_MODERATION = False
    case = MATCHING_FIELD[field]
    DiscussionSettings.objects.create(**{keys: f"\nnothing-like-it\n\n  {case.get('entry', 'marker')}  \n"})

    response = client.post(post_url(article), comment_form_data(article, **case["post"]), **case.get("request", {}))

    assert response.status_code == 302
    assert Comment.objects.get().status == status


def test_blank_lines_of_a_word_list_match_nothing(client, article, settings):
    settings.COMMENTS_MODERATION = False
    DiscussionSettings.objects.create(disallowed_keys="\n   \n\n", moderation_keys="\r\n\t\r\n")

    post(client, article)

    assert Comment.objects.get().status == Comment.Status.APPROVED


def test_a_moderation_key_holds_a_known_commenters_comment(client, article, make_comment):
    posted_from(client, make_comment(author="Ann Lee", email="ann@readers.example"))
    DiscussionSettings.objects.create(moderation_keys="casino")

    post(client, article, comment="Visit the CASINO.")
    post(client, article, comment="Nothing to see.")

    assert Comment.objects.get(body="Visit the CASINO.").status == Comment.Status.PENDING
    assert Comment.objects.get(body="Nothing to see.").status == Comment.Status.APPROVED


def test_disallowed_keys_win_over_moderation_keys(client, article):
    DiscussionSettings.objects.create(moderation_keys="casino", disallowed_keys="casino")

    post(client, article, comment="Casino!")

    assert Comment.objects.get().status == Comment.Status.SPAM


# Bad input


@pytest.mark.parametrize("field", ["comment", "author"])
@pytest.mark.parametrize("character", ["\x01", "\x08", "\x0b", "\x1b", "\x7f"])
def test_control_characters_are_refused(client, article, field, character):
    data = comment_form_data(article, comment=TYPED)
    data[field] = f"Ann{character}Lee"

    response = client.post(post_url(article), data)

    assert response.status_code == 400
    assert "Remove the invisible control characters from this field." in response.content.decode()
    assert not Comment.objects.exists()


@pytest.mark.parametrize(
    "character",
    ["\u202e", "\u2066", "\u200b", "\u200d", "\u00ad", "\ufeff", "\ufffe", "\uffff", "\ufdd0", "\U0010ffff"],
    ids=["rtl-override", "isolate", "zero-width-space", "zero-width-joiner", "soft-hyphen", "bom", "fffe", "ffff",
         "fdd0", "last-plane"],
)  # fmt: skip
def test_invisible_characters_are_refused_in_names(client, article, character):
    response = post(client, article, author=f"Ann{character}Lee")

    assert_refused_with(
        response,
        400,
        "Remove the invisible characters (such as direction marks, zero-width spaces or soft hyphens) from this field.",
    )
    assert not Comment.objects.exists()


def test_invisible_characters_that_cannot_be_meant_are_removed_from_the_text(client, article, settings):
    settings.COMMENTS_MODERATION = False
    typed = "Fa\u00adir \u202epoint\u202c, we\u200bll made\ufffe\uffff\ufdd0. Family: 👨\u200d👩\u200d👧, می\u200cخواهم"

    assert post(client, article, comment=typed).status_code == 302

    assert Comment.objects.get().body == "Fair point, well made. Family: 👨\u200d👩\u200d👧, می\u200cخواهم"
    for path in (f"/comments/feed/{article.pk}/", f"/comments/feed/{article.pk}/atom/"):
        ElementTree.fromstring(client.get(path).content)  # noqa: S314 - the site's own output


def test_a_comment_of_invisible_characters_alone_is_refused(client, article):
    response = post(client, article, comment="\u200b\u00ad\uffff")

    assert response.status_code == 400
    assert "Please type your comment." in response.content.decode()


@pytest.mark.parametrize(
    "disguised",
    ["саsinо", "ＣＡＳＩＮＯ", "cas\u200cino", "cαsinο", "CASİNO"],
    ids=["cyrillic", "full-width", "zero-width-non-joiner", "greek", "dotted-capital-i"],
)
def test_word_lists_see_through_disguised_words(client, article, disguised):
    DiscussionSettings.objects.create(disallowed_keys="casino")

    post(client, article, comment=f"Best {disguised} bonus!")

    assert Comment.objects.get().status == Comment.Status.SPAM


def test_tabs_and_line_breaks_are_welcome(client, article):
    assert post(client, article, comment="Columns:\tone\ttwo\r\nNext line.").status_code == 302
    assert Comment.objects.get().body == "Columns:\tone\ttwo\nNext line."


def test_invalid_utf8_is_refused_with_the_text_kept(client, article):
    data = comment_form_data(article)
    del data["comment"]
    body = urlencode(data) + "&comment=" + quote_plus("My carefully typed thoughts, with a bad byte: ") + "%FF"

    response = client.post(post_url(article), body, content_type="application/x-www-form-urlencoded")

    html = response.content.decode()
    assert response.status_code == 400
    assert "Your comment contains characters that could not be read." in html
    assert "My carefully typed thoughts, with a bad byte: \ufffd</textarea>" in html
    assert not Comment.objects.exists()


def test_a_field_sent_twice_is_refused(client, article):
    data = comment_form_data(article, comment=TYPED)
    data["author"] = ["Ann Lee", "Someone Else"]

    response = client.post(post_url(article), data)

    assert_refused_with(response, 400, "The form was sent with its field “author” more than once.")
    assert not Comment.objects.exists()


@pytest.mark.parametrize("missing", ["comment", "author", "email", "comment_token"])
def test_a_missing_field_is_refused(client, article, missing):
    data = comment_form_data(article)
    del data[missing]

    response = client.post(post_url(article), data)

    assert response.status_code == 400
    assert "Your comment was not posted." in response.content.decode()


def test_a_request_too_large_to_read_gets_the_400_page(client, article, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 100_000

    response = post(client, article, comment="x" * 200_000)

    assert response.status_code == 400
    assert "We could not read what your browser sent" in response.content.decode()


def test_too_many_fields_get_the_400_page(client, article):
    data = {**comment_form_data(article), **{f"field{number}": "x" for number in range(1_001)}}

    response = client.post(post_url(article), data)

    assert response.status_code == 400
    assert "We could not read what your browser sent" in response.content.decode()
