"""Who may do what: every POST needs a CSRF token, the admin is for staff, the moderation queue for editors."""

import re

import pytest
from django.contrib.auth.models import Permission
from django.test import Client

from articles.models import Article
from comments.models import Comment
from comments.tests.helpers import comment_form_data
from newsroom.tests.helpers import concrete_path, is_route, url_patterns

pytestmark = pytest.mark.django_db

SAMPLE_PARAMETERS = ("1", "2024", "07")


def sample_parameter(name, converter):
    return next(value for value in SAMPLE_PARAMETERS if re.fullmatch(converter.regex, value))


# RFC 8058: a mail client unsubscribes with a POST that carries no CSRF token; the signed link allows it.
ONE_CLICK_UNSUBSCRIBE = "/comments/notifications/unsubscribe/<str:token>/"


def sample_paths():
    """A concrete path for every ``path()`` route of the site."""
    return sorted(concrete_path(chain, sample_parameter) for chain, _view in url_patterns() if is_route(chain))


def admin_paths():
    return [path for path in sample_paths() if path.startswith("/admin/")]


@pytest.fixture
def make_user(django_user_model):
    def make(username, *, permissions=(), **fields):
        user = django_user_model.objects.create_user(username, password="a-long-password-1", **fields)
        for codename in permissions:
            user.user_permissions.add(Permission.objects.get(codename=codename))
        return user

    return make


def csrf_checking_client(user=None):
    client = Client(enforce_csrf_checks=True)
    if user is not None:
        client.force_login(user)
    return client


def test_no_view_is_exempt_from_csrf_checks_but_one_click_unsubscribe():
    exempt = [str(chain[-1]) for chain, view in url_patterns() if getattr(view, "csrf_exempt", False)]

    assert exempt == [ONE_CLICK_UNSUBSCRIBE.lstrip("/")]


@pytest.mark.parametrize("who", ["anonymous", "staff"])
def test_every_post_without_a_csrf_token_is_refused(make_user, article, who):
    client = csrf_checking_client(make_user("boss", is_staff=True, is_superuser=True) if who == "staff" else None)
    client.get(article.get_absolute_url())  # the visitor has a CSRF cookie, but the post carries no token
    paths = [path for path in sample_paths() if not path.startswith(ONE_CLICK_UNSUBSCRIBE.partition("<")[0])]

    assert "/comments/post/1/" in paths
    assert "/admin/login/" in paths
    for path in paths:
        response = client.post(path, comment_form_data(article))
        assert response.status_code == 403, path
        assert b"CSRF verification failed" in response.content, path
    assert Comment.objects.count() == 0


def test_a_token_from_another_visitor_is_refused(article):
    stranger = csrf_checking_client()
    stranger.get(article.get_absolute_url())
    victim = csrf_checking_client()
    victim.get(article.get_absolute_url())

    data = {**comment_form_data(article), "csrfmiddlewaretoken": stranger.cookies["csrftoken"].value}
    response = victim.post(f"/comments/post/{article.pk}/", data)

    assert response.status_code == 403
    assert Comment.objects.count() == 0


def test_a_post_with_the_pages_token_goes_through(article):
    reader = csrf_checking_client()
    page = reader.get(article.get_absolute_url())
    token = page.context["csrf_token"]

    response = reader.post(
        f"/comments/post/{article.pk}/", {**comment_form_data(article), "csrfmiddlewaretoken": token}
    )

    assert response.status_code == 302
    assert Comment.objects.count() == 1


@pytest.mark.parametrize("who", ["anonymous", "reader with an account", "inactive staff"])
def test_the_admin_is_closed_to_all_but_staff(make_user, who):
    user = {
        "anonymous": None,
        "reader with an account": lambda: make_user("reader"),
        "inactive staff": lambda: make_user("former", is_staff=True, is_active=False),
    }[who]
    client = csrf_checking_client(user() if user else None)

    for path in admin_paths():
        response = client.get(path, follow=True)
        assert response.status_code == 200, path
        assert response.request["PATH_INFO"] == "/admin/login/", path
        assert 'name="password"' in response.content.decode(), path


def test_staff_open_the_admin(make_user):
    client = csrf_checking_client(make_user("editor", is_staff=True))

    assert client.get("/admin/").status_code == 200


def test_the_moderation_queue_is_refused_to_staff_without_comment_permissions(make_user, make_comment):
    comment = make_comment()
    client = csrf_checking_client(make_user("sports-desk", is_staff=True, permissions=["view_article"]))

    assert client.get("/admin/comments/comment/").status_code == 403
    assert client.get(f"/admin/comments/comment/{comment.pk}/change/").status_code == 403
    assert "comments/comment" not in client.get("/admin/").content.decode()


def test_editors_with_comment_permissions_open_the_moderation_queue(make_user, make_comment):
    comment = make_comment(body="Waiting for a decision.", status=Comment.Status.PENDING)
    client = csrf_checking_client(make_user("moderator", is_staff=True, permissions=["view_comment", "change_comment"]))

    queue = client.get("/admin/comments/comment/")

    assert queue.status_code == 200
    assert comment.author in queue.content.decode()
    assert client.get(f"/admin/comments/comment/{comment.pk}/change/").status_code == 200


def test_a_reader_with_an_account_cannot_preview_unpublished_articles(make_user, make_article):
    draft = make_article(status=Article.Status.DRAFT)
    client = csrf_checking_client(make_user("reader"))

    assert client.get(draft.get_absolute_url()).status_code == 404
