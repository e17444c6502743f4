"""An article's comments in pages of COMMENTS_PER_PAGE threads, each comment reachable by a plain link."""

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from comments.models import Comment
from comments.tests.helpers import comment_form_data

pytestmark = pytest.mark.django_db

SHOWN = re.compile(r'<li id="comment-(\d+)"')
PAGE_LINK = re.compile(r'<a (?:class="pagination__link" rel="(?:prev|next)" )?href="([^"#]+)#comments"')


@pytest.fixture(autouse=True)
def two_threads_a_page(settings):
    settings.COMMENTS_PER_PAGE = 2


@pytest.fixture
def threads(article, make_comment):
    """Five threads, oldest first: each a comment with one reply, the last with a reply to the reply."""
    made = []
    for _ in range(5):
        start = make_comment()
        made.append([start, make_comment(parent=start)])
    made[-1].append(make_comment(parent=made[-1][1]))
    return made


def shown_ids(response):
    return [int(pk) for pk in SHOWN.findall(response.content.decode())]


def ids(*threads):
    return [comment.pk for thread in threads for comment in thread]


def test_each_page_shows_its_threads_with_all_their_replies(client, article, threads):
    assert shown_ids(client.get(article.get_absolute_url())) == ids(*threads[:2])
    assert shown_ids(client.get(article.get_comment_page_url(2))) == ids(*threads[2:4])
    assert shown_ids(client.get(article.get_comment_page_url(3))) == ids(threads[4])
    assert article.get_comment_page_url(3) == f"{article.get_absolute_url()}comment-page-3/"


def test_every_page_counts_every_comment_and_links_to_the_others(client, article, threads):
    html = client.get(article.get_comment_page_url(2)).content.decode()

    assert '<h2 class="comments__title">11 Comments</h2>' in html
    assert f'<a class="pagination__link" rel="prev" href="{article.get_absolute_url()}#comments">' in html
    assert f'<a class="pagination__link" rel="next" href="{article.get_comment_page_url(3)}#comments">' in html
    assert '<span class="pagination__current" aria-current="page">Page 2</span>' in html


def test_following_the_page_links_reaches_every_approved_comment(client, article, threads, make_comment):
    make_comment(status=Comment.Status.PENDING)
    to_visit, visited, seen = [article.get_absolute_url()], set(), []
    while to_visit:
        url = to_visit.pop()
        if url in visited:
            continue
        visited.add(url)
        response = client.get(url)
        assert response.status_code == 200
        seen += shown_ids(response)
        to_visit += PAGE_LINK.findall(response.content.decode())

    assert sorted(seen) == sorted(Comment.objects.approved().values_list("pk", flat=True))
    assert len(visited) == 3


def test_a_page_that_does_not_exist_is_not_found(client, article, threads):
    assert client.get(f"{article.get_absolute_url()}comment-page-4/").status_code == 404
    assert client.get(f"{article.get_absolute_url()}comment-page-0/").status_code == 404


def test_a_single_page_has_no_page_links(client, article, make_comment):
    make_comment()

    html = client.get(article.get_absolute_url()).content.decode()

    assert "comment-pages" not in html
    assert client.get(f"{article.get_absolute_url()}comment-page-2/").status_code == 404


def test_per_page_zero_shows_every_comment_on_the_article_page(client, settings, article, threads):
    settings.COMMENTS_PER_PAGE = 0

    assert shown_ids(client.get(article.get_absolute_url())) == ids(*threads)


def test_a_comments_link_leads_to_its_page(client, threads):
    deep_reply = threads[4][2]

    url = deep_reply.get_absolute_url()

    assert url == f"{deep_reply.article.get_comment_page_url(3)}#comment-{deep_reply.pk}"
    assert deep_reply.pk in shown_ids(client.get(url.partition("#")[0]))
    assert threads[0][1].get_absolute_url() == f"{deep_reply.article.get_absolute_url()}#comment-{threads[0][1].pk}"


def test_reply_to_a_comment_of_another_page_shows_its_page(client, article, threads):
    target = threads[3][1]

    response = client.get(article.get_absolute_url(), {"replytocom": target.pk})

    assert target.pk in shown_ids(response)
    assert f"Leave a Reply to {target.author}" in response.content.decode()
    reply_link = f'href="?replytocom={target.pk}#respond"'
    assert reply_link in client.get(article.get_comment_page_url(2)).content.decode()


def test_a_reply_to_a_comment_awaiting_moderation_starts_a_thread(client, article, threads, make_comment):
    hidden = make_comment(status=Comment.Status.PENDING)
    orphan = make_comment(parent=hidden)

    assert shown_ids(client.get(article.get_comment_page_url(3))) == [*ids(threads[4]), orphan.pk]
    assert orphan.get_absolute_url().startswith(article.get_comment_page_url(3))


def test_own_pending_comments_show_in_their_thread_or_on_the_last_page(client, settings, article, threads):
    settings.COMMENTS_MODERATION = True
    post = reverse("comments:post", args=[article.pk])
    parent = threads[2][0]

    reply = client.post(post, comment_form_data(article, comment="Replying on page two.", comment_parent=parent.pk))
    new_thread = client.post(post, comment_form_data(article, comment="A thread of my own."))

    pending_reply, pending_start = Comment.objects.pending().order_by("pk")
    assert reply["Location"] == f"{article.get_comment_page_url(2)}#comment-{pending_reply.pk}"
    assert new_thread["Location"] == f"{article.get_comment_page_url(3)}#comment-{pending_start.pk}"
    assert pending_reply.pk in shown_ids(client.get(article.get_comment_page_url(2)))
    assert pending_start.pk in shown_ids(client.get(article.get_comment_page_url(3)))
    first_page = shown_ids(client.get(article.get_absolute_url()))
    assert pending_reply.pk not in first_page
    assert pending_start.pk not in first_page


def test_a_page_costs_the_same_queries_and_size_whatever_the_number_of_comments(client, settings, article):
    settings.COMMENTS_PER_PAGE = 10
    started = article.published_at + timedelta(hours=1)

    def add_comments(count):
        made = Comment.objects.bulk_create(
            Comment(
                article=article,
                author="Reader",
                email="r@readers.example",
                body="Words " * 20,
                status=Comment.Status.APPROVED,
                created_at=started + timedelta(seconds=n),
            )
            for n in range(Comment.objects.count(), Comment.objects.count() + count)
        )
        Comment.objects.bulk_create(
            Comment(
                article=article,
                author="Replier",
                email="q@readers.example",
                body="Reply",
                parent=parent,
                status=Comment.Status.APPROVED,
                created_at=parent.created_at + timedelta(milliseconds=1),
            )
            for parent in made
        )

    def measure(url):
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        return len(queries.captured_queries), len(shown_ids(response)), len(response.content)

    add_comments(10)
    few = measure(article.get_absolute_url())
    add_comments(990)
    many_first, many_later = measure(article.get_absolute_url()), measure(article.get_comment_page_url(57))

    assert many_first[:2] == few[:2] == many_later[:2] == (few[0], 20)
    assert many_first[2] < few[2] * 1.25  # what grows is the list of page links, elided
    assert many_later[2] < few[2] * 1.25


def test_the_comments_feed_links_each_comment_to_its_page(client, article, threads):
    feed = client.get(reverse("comments:feed", args=[article.pk])).content.decode()

    deep_reply, first = threads[4][2], threads[0][0]
    assert f"<link>http://testserver{deep_reply.get_absolute_url()}</link>" in feed
    assert f"<link>http://testserver{article.get_absolute_url()}#comment-{first.pk}</link>" in feed
