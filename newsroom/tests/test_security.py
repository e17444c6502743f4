"""Security headers on every response, HTTPS by configuration, and a clean deployment check."""

import secrets

import pytest
from django.db import OperationalError
from django.test import Client, override_settings

from articles.views import ArticleIndexView
from comments.tests.helpers import comment_form_data
from newsroom.tests.helpers import crawl, manage, read_setting

PRODUCTION = {"SECRET_KEY": secrets.token_urlsafe(50), "ALLOWED_HOSTS": "news.example"}
HTTPS_ON = {
    "SECURE_SSL_REDIRECT": True,
    "SECURE_HSTS_SECONDS": 31_536_000,
    "SECURE_HSTS_INCLUDE_SUBDOMAINS": True,
    "SECURE_HSTS_PRELOAD": True,
    "SESSION_COOKIE_SECURE": True,
    "CSRF_COOKIE_SECURE": True,
}


def content_security_policy(response):
    return dict(directive.split(maxsplit=1) for directive in response["Content-Security-Policy"].split(";"))


@pytest.fixture(params=["article", "not found", "admin login", "static file"])
def any_response(request, client, db):
    if request.param == "article":
        url = request.getfixturevalue("article").get_absolute_url()
        expected_status = 200
    else:
        url, expected_status = {
            "not found": ("/no/such/page/", 404),
            "admin login": ("/admin/login/", 200),
            "static file": ("/static/css/newsroom.css", 200),
        }[request.param]
    response = client.get(url)
    assert response.status_code == expected_status
    return response


def test_every_response_has_a_content_security_policy_without_inline_script(any_response):
    policy = content_security_policy(any_response)

    assert policy == {
        "default-src": "'self'",
        "script-src": "'self'",
        "style-src": "'self'",
        "img-src": "'self' https: data:",
        "object-src": "'none'",
        "base-uri": "'self'",
        "form-action": "'self'",
        "frame-ancestors": "'none'",
    }
    assert "unsafe" not in any_response["Content-Security-Policy"]


def test_every_response_forbids_framing_sniffing_and_leaking_the_referrer(any_response):
    assert any_response["X-Frame-Options"] == "DENY"
    assert any_response["X-Content-Type-Options"] == "nosniff"
    assert any_response["Referrer-Policy"] == "same-origin"
    assert any_response["Cross-Origin-Opener-Policy"] == "same-origin"


def assert_security_headers(response, where):
    assert "'unsafe" not in response["Content-Security-Policy"], where
    assert content_security_policy(response)["script-src"] == "'self'", where
    assert response["X-Frame-Options"] == "DENY", where
    assert response["X-Content-Type-Options"] == "nosniff", where
    assert response["Referrer-Policy"] == "same-origin", where
    assert response["Cross-Origin-Opener-Policy"] == "same-origin", where


def test_every_page_of_the_site_and_every_error_carries_the_security_headers(client, make_comment, monkeypatch):
    article = make_comment().article
    for path, response in crawl(client, ["/", "/no/such/page/", "/robots.txt", "/sitemap.xml"]).items():
        assert_security_headers(response, path)
    statuses = {}
    refused = client.post(f"/comments/post/{article.pk}/", comment_form_data(article, email="not an address"))
    without_token = Client(enforce_csrf_checks=True).post(f"/comments/post/{article.pk}/", comment_form_data(article))
    monkeypatch.setattr(ArticleIndexView, "get", lambda *args, **kwargs: 1 / 0)
    broken = Client(raise_request_exception=False).get("/")
    monkeypatch.setattr(ArticleIndexView, "get", raise_database_unavailable)
    database_down = client.get("/")
    for name, response in {
        "invalid comment": refused,
        "no CSRF token": without_token,
        "server error": broken,
        "database down": database_down,
    }.items():
        statuses[name] = response.status_code
        assert_security_headers(response, name)

    assert statuses == {"invalid comment": 400, "no CSRF token": 403, "server error": 500, "database down": 503}


def raise_database_unavailable(*args, **kwargs):
    raise OperationalError("the database is unreachable")


@pytest.mark.slow
def test_static_files_from_a_cdn_are_allowed_by_the_policy():
    result = read_setting(
        "s.CONTENT_SECURITY_POLICY['DIRECTIVES']['style-src']",
        STATIC_URL="https://cdn.news.example/static/",
        **PRODUCTION,
    )

    assert result.stdout == "[\"'self'\", 'https://cdn.news.example']\n"


@pytest.mark.slow
def test_https_turns_on_redirect_hsts_and_secure_cookies():
    expression = ", ".join(f"s.{name}" for name in HTTPS_ON)

    assert read_setting(expression, HTTPS="on", **PRODUCTION).stdout == "True 31536000 True True True True\n"
    assert read_setting(expression, **PRODUCTION).stdout == "False 0 False False False False\n"


@pytest.mark.slow
def test_proxy_ssl_header_is_read_as_a_header_and_a_value():
    result = read_setting(
        "s.SECURE_PROXY_SSL_HEADER", SECURE_PROXY_SSL_HEADER="HTTP_X_FORWARDED_PROTO,https", **PRODUCTION
    )

    assert result.stdout == "('HTTP_X_FORWARDED_PROTO', 'https')\n"
    assert read_setting("s.SECURE_PROXY_SSL_HEADER", **PRODUCTION).stdout == "None\n"
    assert read_setting("s.SECURE_PROXY_SSL_HEADER", SECURE_PROXY_SSL_HEADER="https", **PRODUCTION).returncode != 0


@override_settings(**HTTPS_ON)
def test_with_https_plain_http_is_redirected(client, article):
    response = client.get(article.get_absolute_url())

    assert response.status_code == 301
    assert response["Location"] == f"https://testserver{article.get_absolute_url()}"


@override_settings(**HTTPS_ON)
def test_with_https_pages_send_hsts_and_cookies_are_secure(client, admin_user):
    login_page = client.get("/admin/login/", secure=True)
    logged_in = client.post("/admin/login/", {"username": "admin", "password": "password"}, secure=True)

    assert login_page["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
    assert login_page.cookies["csrftoken"]["secure"] is True
    assert logged_in.status_code == 302
    assert logged_in.cookies["sessionid"]["secure"] is True
    assert logged_in.cookies["sessionid"]["httponly"] is True


@override_settings(**HTTPS_ON, SECURE_PROXY_SSL_HEADER=("HTTP_X_FORWARDED_PROTO", "https"))
def test_behind_a_proxy_its_header_marks_the_request_secure(client, article):
    response = client.get(article.get_absolute_url(), headers={"X-Forwarded-Proto": "https"})

    assert response.status_code == 200
    assert "Strict-Transport-Security" in response


def test_without_https_the_site_serves_plain_http(client, article):
    response = client.get(article.get_absolute_url())

    assert response.status_code == 200
    assert "Strict-Transport-Security" not in response


@pytest.mark.slow
def test_deployment_check_is_clean_with_production_settings():
    result = manage("check", "--deploy", "--fail-level", "WARNING", HTTPS="on", **PRODUCTION)

    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout


@pytest.mark.slow
def test_deployment_check_warns_without_https():
    result = manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION)

    assert result.returncode != 0
    assert "security.W008" in result.stderr
