import re
from datetime import timedelta

import pytest
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains

from comments.html import render_comment_body
from comments.models import Comment, DiscussionSettings
from comments.threads import build_threads, comment_page

pytestmark = pytest.mark.django_db


def test_approved_and_pending_select_by_status(make_comment):
    approved = make_comment()
    pending = make_comment(status=Comment.Status.PENDING)
    make_comment(status=Comment.Status.SPAM)
    make_comment(status=Comment.Status.TRASH)

    assert list(Comment.objects.approved()) == [approved]
    assert list(Comment.objects.pending()) == [pending]


def test_new_comment_is_pending_by_default(article):
    comment = Comment.objects.create(article=article, author="Ann", email="ann@readers.example", body="Hi")

    assert comment.status == Comment.Status.PENDING


def test_page_shows_approved_comments_and_only_the_readers_own_pending_ones(article, make_article, make_comment):
    first = make_comment()
    own_pending = make_comment(status=Comment.Status.PENDING)
    make_comment(status=Comment.Status.PENDING)
    own_spam = make_comment(status=Comment.Status.SPAM)
    make_comment(article=make_article())
    last = make_comment()

    def shown(own_pending_ids=()):
        return [node.comment.pk for node in comment_page(article, 1, own_pending_ids).threads]

    assert shown() == [first.pk, last.pk]
    assert shown([own_pending.pk, own_spam.pk]) == [first.pk, own_pending.pk, last.pk]


@pytest.mark.parametrize("comment_id", [None, "", "abc", "-1", "1.0", "٣x", "99999999999999999999999"])
def test_reply_target_ignores_anything_but_a_known_id(article, make_comment, comment_id):
    make_comment()

    assert Comment.objects.reply_target(article, comment_id) is None


def test_reply_target_stays_within_the_article(article, make_article, make_comment):
    own = make_comment()
    foreign = make_comment(article=make_article())

    assert Comment.objects.approved().reply_target(article, str(own.pk)) == own
    assert Comment.objects.approved().reply_target(article, str(foreign.pk)) is None


def test_known_commenter_matches_name_and_email_without_regard_to_case(make_comment):
    make_comment(author="Ann Lee", email="Ann@Readers.example")
    make_comment(author="Bob", email="bob@readers.example", status=Comment.Status.PENDING)

    assert Comment.objects.by_known_commenter("ann lee", "ann@readers.EXAMPLE").exists()
    assert not Comment.objects.by_known_commenter("Ann Lee", "other@readers.example").exists()
    assert not Comment.objects.by_known_commenter("Bob", "bob@readers.example").exists()


def test_threads_nest_replies_under_their_parents(make_comment):
    first = make_comment()
    reply = make_comment(parent=first)
    second = make_comment()
    reply_to_reply = make_comment(parent=reply)

    threads = build_threads([first, reply, second, reply_to_reply], max_depth=5)

    assert [node.comment for node in threads] == [first, second]
    assert [node.comment for node in threads[0].replies] == [reply]
    assert [(node.comment, node.depth) for node in threads[0].replies[0].replies] == [(reply_to_reply, 3)]


def test_replies_deeper_than_the_limit_are_shown_at_the_deepest_level(make_comment):
    chain = [make_comment()]
    for _ in range(3):
        chain.append(make_comment(parent=chain[-1]))

    threads = build_threads(chain, max_depth=2)

    assert [node.comment for node in threads] == [chain[0]]
    assert [(node.comment, node.depth) for node in threads[0].replies] == [(chain[1], 2), (chain[2], 2), (chain[3], 2)]


def test_thread_depth_of_one_shows_every_comment_flat(make_comment):
    first = make_comment()
    reply = make_comment(parent=first)

    threads = build_threads([first, reply], max_depth=1)

    assert [(node.comment, node.depth, node.replies) for node in threads] == [(first, 1, []), (reply, 1, [])]


def test_nesting_never_goes_deeper_than_ten_levels(make_comment):
    chain = [make_comment()]
    for _ in range(14):
        chain.append(make_comment(parent=chain[-1]))

    node = build_threads(chain, max_depth=1000)[0]
    while node.replies:
        node = node.replies[0]

    assert node.depth == 10


def test_reply_to_a_hidden_comment_starts_its_own_thread(make_comment):
    hidden = make_comment(status=Comment.Status.TRASH)
    reply = make_comment(parent=hidden)

    assert [node.comment for node in build_threads([reply], max_depth=5)] == [reply]


def test_body_is_escaped_with_paragraphs_and_nofollow_links():
    html = render_comment_body("<script>alert(1)</script> see https://example.com/a?b=1&c=2\nnext line\n\nSecond")

    assert html == (
        "<p>&lt;script&gt;alert(1)&lt;/script&gt; see "
        '<a href="https://example.com/a?b=1&amp;c=2" rel="nofollow ugc">https://example.com/a?b=1&amp;c=2</a>'
        "<br>next line</p>\n\n<p>Second</p>"
    )


@pytest.mark.parametrize(
    "text",
    [
        "javascript:alert(1)",
        "javascript:alert(1)//example.com",
        '<a href="javascript:alert(1)">x</a>',
        "data:text/html,x",
    ],
)
def test_body_never_links_to_javascript(text):
    html = render_comment_body(text)

    hrefs = re.findall(r'<a [^>]*href="([^"]*)"', html)
    assert all(href.startswith(("http://", "https://")) for href in hrefs)
    assert "<script" not in html


def test_every_link_in_a_body_is_nofollow_ugc():
    html = render_comment_body("www.example.org and http://example.net and ann@example.com")

    assert html.count("<a ") == 3
    assert html.count('rel="nofollow ugc"') == 3


@pytest.mark.parametrize(
    ("url", "link"),
    [
        ("https://ann.example/", "https://ann.example/"),
        ("HTTP://ann.example/", "HTTP://ann.example/"),
        ("", ""),
        ("javascript:alert(1)", ""),
        (" JavaScript:alert(1)", ""),
        ("data:text/html,<script>alert(1)</script>", ""),
        ("vbscript:msgbox(1)", ""),
        ("//evil.example/", ""),
    ],
)
def test_website_links_only_to_web_addresses(url, link):
    assert Comment(url=url).website_link == link


def test_a_stored_non_web_website_is_shown_as_the_name_without_a_link(client, article, make_comment):
    make_comment(author="Mallory", url="javascript:alert(document.domain)")

    response = client.get(article.get_absolute_url())

    assertContains(response, "<b>Mallory</b>", html=True)
    assertNotContains(response, "javascript:")


def test_comment_links_to_its_anchor_on_the_article(make_comment):
    comment = make_comment()

    assert comment.get_absolute_url() == f"{comment.article.get_absolute_url()}#comment-{comment.pk}"
    assert str(comment) == f"Comment by {comment.author}"


def test_created_at_is_set_on_save(make_comment):
    before = timezone.now()

    assert before - timedelta(seconds=5) <= make_comment().created_at <= timezone.now()


def test_discussion_settings_are_a_single_row(db):
    first = DiscussionSettings.load()
    DiscussionSettings(moderation_keys="casino").save()

    assert DiscussionSettings.objects.count() == 1
    assert DiscussionSettings.load().pk == first.pk
    assert DiscussionSettings.load().moderation_keys == "casino"


@pytest.mark.parametrize(
    ("method", "status", "changes"),
    [
        ("approve", Comment.Status.APPROVED, {"pending", "spam", "trash"}),
        ("unapprove", Comment.Status.PENDING, {"approved"}),
        ("mark_spam", Comment.Status.SPAM, {"pending", "approved", "trash"}),
        ("trash", Comment.Status.TRASH, {"pending", "approved", "spam"}),
    ],
)
def test_moderation_methods_change_status_and_count_what_changed(make_comment, method, status, changes):
    comments = {each: make_comment(status=each) for each in Comment.Status.values}

    assert getattr(Comment.objects.all(), method)() == len(changes)

    for before, comment in comments.items():
        comment.refresh_from_db()
        assert comment.status == (status if before in changes else before)


def test_moderation_shows_at_once_on_cached_pages(
    client, settings, article, make_comment, django_capture_on_commit_callbacks
):
    settings.PAGE_CACHE_SECONDS = 300
    comment = make_comment(status=Comment.Status.PENDING, body="Worth publishing.")
    assert "Worth publishing." not in client.get(article.get_absolute_url()).content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        Comment.objects.filter(pk=comment.pk).approve()
    assert "Worth publishing." in client.get(article.get_absolute_url()).content.decode()

    for method in ("unapprove", "mark_spam", "trash"):
        with django_capture_on_commit_callbacks(execute=True):
            Comment.objects.filter(pk=comment.pk).approve()
        client.get(article.get_absolute_url())
        with django_capture_on_commit_callbacks(execute=True):
            getattr(Comment.objects.filter(pk=comment.pk), method)()
        assert "Worth publishing." not in client.get(article.get_absolute_url()).content.decode(), method
