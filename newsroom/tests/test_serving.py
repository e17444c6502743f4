"""Production serving: hashed, compressed, long-cached static files, and gunicorn running the site."""

import re
import secrets
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import Client

from newsroom.settings import BASE_DIR
from newsroom.tests.helpers import manage

HASHED_STYLESHEET = re.compile(r'href="(/static/css/newsroom\.[0-9a-f]{12}\.css)"')
TEN_YEARS = "max-age=315360000, public, immutable"


@pytest.fixture
def production_static_files(tmp_path, settings):
    """collectstatic into a fresh STATIC_ROOT with the production storage; WhiteNoise serves only from there."""
    settings.STATIC_ROOT = tmp_path
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }
    settings.WHITENOISE_USE_FINDERS = False
    settings.WHITENOISE_AUTOREFRESH = False
    call_command("collectstatic", interactive=False, verbosity=0)
    return tmp_path


def test_pages_link_the_hashed_stylesheet_cached_for_ten_years_and_gzipped(production_static_files, db):
    client = Client()  # WhiteNoise reads STATIC_ROOT when the client's handler starts, after collectstatic
    stylesheet_url = HASHED_STYLESHEET.search(client.get("/no/such/page/").content.decode())[1]

    stylesheet = client.get(stylesheet_url, headers={"Accept-Encoding": "gzip"})

    assert stylesheet.status_code == 200
    assert stylesheet["Cache-Control"] == TEN_YEARS
    assert stylesheet["Content-Encoding"] == "gzip"
    assert stylesheet["Content-Type"].startswith("text/css")
    assert (production_static_files / stylesheet_url.removeprefix("/static/")).with_suffix(".css.gz").exists()


def test_unhashed_static_names_are_cached_for_an_hour(production_static_files):
    response = Client().get("/static/css/newsroom.css")

    assert response.status_code == 200
    assert response["Cache-Control"] == "max-age=3600, public"


def free_port():
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        return listener.getsockname()[1]


def fetch(url, **headers):
    """GET a URL on a server that may still be starting: retry while the connection is refused, for ten seconds."""
    for _ in range(100):
        try:
            with urllib.request.urlopen(urllib.request.Request(url, headers=headers), timeout=5) as response:  # noqa: S310
                return response.status, response.headers, response.read()
        except urllib.error.URLError as error:
            if not isinstance(error.reason, ConnectionRefusedError):
                raise
            time.sleep(0.1)
    raise AssertionError(f"nothing answered at {url}")


@pytest.mark.slow
def test_gunicorn_serves_the_site_with_the_projects_configuration(tmp_path):
    environment = {
        "SECRET_KEY": secrets.token_urlsafe(50),
        "STATIC_ROOT": str(tmp_path / "static"),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "WEB_CONCURRENCY": "2",
    }
    assert manage("collectstatic", "--noinput", **environment).returncode == 0
    port = free_port()
    server = subprocess.Popen(
        [Path(sys.executable).with_name("gunicorn"), "--bind", f"127.0.0.1:{port}"],
        cwd=BASE_DIR,
        env={"PATH": "/usr/bin:/bin", "ENV_FILE": "/dev/null", **environment},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        status, headers, body = fetch(f"http://127.0.0.1:{port}/admin/login/")
        stylesheet_url = re.search(r'href="(/static/admin/css/base\.[0-9a-f]{12}\.css)"', body.decode())[1]
        static_status, static_headers, _ = fetch(
            f"http://127.0.0.1:{port}{stylesheet_url}", **{"Accept-Encoding": "gzip"}
        )
    finally:
        server.terminate()
        access_log, error_log = server.communicate(timeout=30)

    assert status == 200
    assert "script-src 'self'" in headers["Content-Security-Policy"]
    assert static_status == 200
    assert static_headers["Cache-Control"] == TEN_YEARS
    assert static_headers["Content-Encoding"] == "gzip"
    assert '"GET /admin/login/ HTTP/1.1" 200' in access_log
    assert len(re.findall(r"Booting worker with pid", error_log)) == 2
