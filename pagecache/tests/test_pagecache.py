"""Whole pages from the cache: fast for anonymous readers, right for every visitor."""

import doctest
import re

import pytest
import redis
from django.conf import settings
from django.test import Client

from articles.counting import flush_views
from articles.models import Article
from articles.views import ArticleDetailView
from comments.models import Comment
from pagecache.tests.helpers import Work, comment_data

pytestmark = pytest.mark.django_db


PAGES = {
    "article": lambda article: article.get_absolute_url(),
    "home": lambda article: "/",
    "year archive": lambda article: f"/{article.published_at:%Y}/",
    "author": lambda article: article.author.get_absolute_url(),
    "search": lambda article: "/search/?q=otters",
}


@pytest.mark.parametrize("page", PAGES)
def test_a_cached_page_runs_no_query_and_renders_no_template(client, page_cache, make_article, make_comment, page):
    article = make_article(title="Otters return to the river")
    make_comment(article=article)
    path = PAGES[page](article)
    first = client.get(path)

    with Work() as work:
        second = client.get(path)

    assert first.status_code == second.status_code == 200
    assert work.queries.captured_queries == []
    assert work.templates == 0
    assert "Otters return to the river" in second.content.decode()


def test_a_page_this_process_holds_is_answered_before_its_view(client, page_cache, make_article, monkeypatch):
    article = make_article(title="Otters return to the river", view_count=17)
    client.get(article.get_absolute_url())
    dispatched = []
    monkeypatch.setattr(ArticleDetailView, "dispatch", lambda view, request, **kwargs: dispatched.append(request))

    page = client.get(article.get_absolute_url()).content.decode()

    assert dispatched == []
    assert "Otters return to the river" in page
    assert "19 Views" in page


def test_each_cached_view_is_counted_and_shown(client, page_cache, make_article):
    article = make_article(view_count=17)

    pages = [client.get(article.get_absolute_url()).content.decode() for _ in range(3)]
    client.head(article.get_absolute_url())
    after_head = client.get(article.get_absolute_url()).content.decode()

    assert re.findall(r"\d+ Views", "".join(pages)) == ["18 Views", "19 Views", "20 Views"]
    assert "21 Views" in after_head


def test_a_view_of_a_page_gone_stale_is_counted_once(
    client, page_cache, make_article, django_capture_on_commit_callbacks
):
    article = make_article(view_count=17)
    url = article.get_absolute_url()
    client.get(url)
    client.get(url)

    with django_capture_on_commit_callbacks(execute=True):
        Article.objects.filter(pk=article.pk).first().save()
    stale_view = client.get(url).content.decode()

    assert "20 Views" in stale_view
    assert "21 Views" in client.get(url).content.decode()


@pytest.fixture
def redis_page_cache(page_cache, redis_cache, monkeypatch):
    """The page cache in Redis; counts the commands sent to Redis."""
    commands = []
    send = redis.Redis.execute_command

    def counting_execute_command(client, *args, **options):
        commands.append(args[0])
        return send(client, *args, **options)

    monkeypatch.setattr(redis.Redis, "execute_command", counting_execute_command)
    return commands


def test_a_cached_article_page_costs_one_redis_round_trip(client, redis_page_cache, make_article):
    article = make_article(view_count=17)
    url = article.get_absolute_url()
    client.get(url)
    client.get(url)
    redis_page_cache.clear()

    page = client.get(url).content.decode()

    assert redis_page_cache == ["EVALSHA"]
    assert "20 Views" in page
    assert flush_views() == (1, 3)
    article.refresh_from_db()
    assert article.view_count == 20


def test_every_visitor_gets_a_working_csrf_token_of_their_own(page_cache, article):
    first_reader, second_reader = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)

    first_data = comment_data(first_reader, article, author="First")
    second_data = comment_data(second_reader, article, author="Second", email="second@readers.example")

    assert first_data["csrfmiddlewaretoken"] != second_data["csrfmiddlewaretoken"]
    assert first_reader.cookies["csrftoken"].value != second_reader.cookies["csrftoken"].value
    for reader, data in ((first_reader, first_data), (second_reader, second_data)):
        assert reader.post(f"/comments/post/{article.pk}/", data).status_code == 302
    assert Comment.objects.count() == 2


def test_a_commenters_own_pending_comment_and_details_stay_theirs(page_cache, article):
    url = article.get_absolute_url()
    commenter, stranger = Client(), Client()
    stranger.get(url)  # the page is now cached for anonymous readers

    data = comment_data(commenter, article, comment="Waiting for an editor.", **{"wp-comment-cookies-consent": "on"})
    commenter.post(f"/comments/post/{article.pk}/", data)

    own_page = commenter.get(url).content.decode()
    other_page = stranger.get(url).content.decode()
    assert "Your comment is awaiting moderation." in own_page
    assert 'value="ana@readers.example"' in own_page
    assert "Waiting for an editor." not in other_page
    assert "ana@readers.example" not in other_page
    assert "Ana Reader" not in other_page


def test_editors_previews_are_never_cached(client, page_cache, make_article, admin_user):
    draft = make_article(title="Not yet", status=Article.Status.DRAFT)
    editor = Client()
    editor.force_login(admin_user)

    assert editor.get(draft.get_absolute_url()).status_code == 200
    assert client.get(draft.get_absolute_url()).status_code == 404


def test_an_edited_article_shows_at_once(client, page_cache, article, django_capture_on_commit_callbacks):
    client.get(article.get_absolute_url())
    client.get("/")

    article.title = "Corrected headline"
    with django_capture_on_commit_callbacks(execute=True):
        article.save()

    assert "Corrected headline" in client.get(article.get_absolute_url()).content.decode()
    assert "Corrected headline" in client.get("/").content.decode()


def test_an_approved_comment_shows_at_once(
    client, page_cache, article, make_comment, django_capture_on_commit_callbacks
):
    comment = make_comment(status=Comment.Status.PENDING, body="Worth publishing.")
    assert "Worth publishing." not in client.get(article.get_absolute_url()).content.decode()

    comment.status = Comment.Status.APPROVED
    with django_capture_on_commit_callbacks(execute=True):
        comment.save()

    assert "Worth publishing." in client.get(article.get_absolute_url()).content.decode()


def test_a_new_pending_comment_keeps_the_cache(page_cache, article, make_comment, django_capture_on_commit_callbacks):
    Client().get(article.get_absolute_url())

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        make_comment(status=Comment.Status.PENDING)
    assert callbacks == []

    with Work() as work:
        Client().get(article.get_absolute_url())
    assert work.templates == 0


def test_pages_differ_by_query_string_and_host(client, page_cache, make_article, settings):
    settings.ALLOWED_HOSTS = ["news.example", "testserver"]
    settings.ARTICLES_PER_PAGE = 1
    first, second = make_article(title="Newest"), make_article(title="Oldest")
    Article.objects.filter(pk=second.pk).update(published_at=first.published_at.replace(year=2020))
    client.get("/")

    assert "Oldest" in client.get("/?page=2").content.decode()
    assert "http://news.example/" in client.get(first.get_absolute_url(), HTTP_HOST="news.example").content.decode()


def test_without_a_page_cache_every_request_renders(client, settings, article):
    settings.PAGE_CACHE_SECONDS = 0
    client.get(article.get_absolute_url())

    with Work() as work:
        client.get(article.get_absolute_url())

    assert work.templates > 0


def test_a_cached_page_without_a_form_makes_no_csrf_token(client, page_cache, article):
    client.get("/")

    served_from_cache = client.get("/")

    assert "csrfmiddlewaretoken" not in served_from_cache.content.decode()
    assert settings.CSRF_COOKIE_NAME not in served_from_cache.cookies


def test_the_usage_example_of_the_module_runs():
    import pagecache  # noqa: PLC0415

    assert doctest.testmod(pagecache).failed == 0
