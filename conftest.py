"""Fixtures shared by every app's tests: small factories, and a real browser for the browser tests.

Tests that start a server or a browser, or run Hypothesis, are marked ``slow`` here, from the fixtures they use;
tests that start a Python interpreter (``newsroom.tests.helpers.run_python`` and its users, ``subprocess``) carry
the mark where they are written, and fail without it. ``make test-fast`` runs the rest (``pytest -m "not slow"``).
"""

import importlib
import os
import secrets
import subprocess
from datetime import timedelta
from itertools import count
from pathlib import Path

import pytest
import redis
from django.apps import apps
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.db import connection
from django.test import override_settings
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult
from hypothesis import is_hypothesis_test
from playwright.sync_api import expect, sync_playwright

from articles.counting import owed_views
from articles.demo import EDITORS_GROUP
from articles.models import Article, Author, Section, Tag
from comments.models import Comment
from images.models import Image
from images.tests.helpers import picture_upload
from newsroom.tests.helpers import REDIS_URL, redis_answers
from pagecache.invalidation import pending
from pagecache.pages import recent_pages
from pagecache.signals import pages_changed

_sequence = count(1)

# Fixtures that start a server (pytest-django's live_server) or a browser (Chromium, through Playwright).
SLOW_FIXTURES = {"live_server", "browser"}


def pytest_collection_modifyitems(items):
    for item in items:
        uses_slow_fixture = not SLOW_FIXTURES.isdisjoint(getattr(item, "fixturenames", ()))
        if uses_slow_fixture or is_hypothesis_test(getattr(item, "obj", None)):
            item.add_marker(pytest.mark.slow)


@pytest.fixture(autouse=True)
def no_process_started_by_a_fast_test(request, monkeypatch):
    """A test not marked slow may not start a process (an interpreter, a server), which would slow the fast tier."""
    if request.node.get_closest_marker("slow") is None:

        def refuse(*args, **kwargs):
            raise AssertionError(f"{request.node.nodeid} starts a process: mark it @pytest.mark.slow")

        monkeypatch.setattr(subprocess, "Popen", refuse)


@pytest.fixture(autouse=True)
def empty_cache():
    """Each test starts with an empty cache, as the database starts empty (and so does what processes keep
    for the cache: the page cache's copies and waiting invalidations, views owed to the cache's totals)."""
    cache.clear()
    recent_pages.clear()
    pending.topics.clear()
    owed_views.clear()


@pytest.fixture
def pages_changed_sent():
    """What ``pages_changed`` was sent during the test: (sender, the changed objects or None for all)."""
    sent = []

    def record(sender, instances=None, **kwargs):
        sent.append((sender, None if instances is None else sorted(instance.pk for instance in instances)))

    pages_changed.connect(record)
    yield sent
    pages_changed.disconnect(record)


@pytest.fixture(scope="session", autouse=True)
def media_root(tmp_path_factory):
    """Uploaded files go to a temporary folder, never the project's media folder."""
    folder = tmp_path_factory.mktemp("media")
    with override_settings(MEDIA_ROOT=folder):
        yield folder


@pytest.fixture
def make_image(db):
    """A library image of a generated picture (1000 × 600 JPEG unless told), with alt text."""

    def make(*, upload=None, **fields):
        number = next(_sequence)
        fields.setdefault("alt", f"Picture number {number}")
        upload = upload or picture_upload(f"picture-{number}.jpg", color=(number * 37 % 256, 90, 40))
        return Image.objects.create_from_file(upload, **fields)

    return make


@pytest.fixture
def make_author(db):
    def make(**fields):
        number = next(_sequence)
        fields.setdefault("name", f"Author {number}")
        fields.setdefault("slug", f"author-{number}")
        fields.setdefault("email", f"author{number}@newsroom.example")
        return Author.objects.create(**fields)

    return make


@pytest.fixture
def make_section(db):
    def make(**fields):
        number = next(_sequence)
        fields.setdefault("name", f"Section {number}")
        fields.setdefault("slug", f"section-{number}")
        return Section.objects.create(**fields)

    return make


@pytest.fixture
def make_tag(db):
    def make(**fields):
        number = next(_sequence)
        fields.setdefault("name", f"Tag {number}")
        fields.setdefault("slug", f"tag-{number}")
        return Tag.objects.create(**fields)

    return make


@pytest.fixture
def make_article(db, make_author):
    """A published article from yesterday unless told otherwise; ``tags`` may list Tag objects, ``coauthors``
    the Author objects of its further bylines, in order."""

    def make(*, tags=(), coauthors=(), **fields):
        number = next(_sequence)
        fields.setdefault("title", f"Article number {number}")
        fields.setdefault("slug", f"article-number-{number}")
        fields.setdefault("body", f"The body of article {number}.")
        fields.setdefault("status", Article.Status.PUBLISHED)
        fields.setdefault("published_at", timezone.now() - timedelta(days=1))
        if "author" not in fields:
            fields["author"] = make_author()
        article = Article.objects.create(**fields)
        article.tags.set(tags)
        for position, coauthor in enumerate(coauthors, start=1):
            article.article_authors.create(author=coauthor, position=position)
        return article

    return make


@pytest.fixture
def article(make_article):
    return make_article()


@pytest.fixture
def make_comment(db, request):
    """An approved comment on the ``article`` fixture unless told otherwise."""

    def make(**fields):
        number = next(_sequence)
        if "article" not in fields:
            fields["article"] = request.getfixturevalue("article")
        fields.setdefault("author", f"Reader {number}")
        fields.setdefault("email", f"reader{number}@readers.example")
        fields.setdefault("body", f"Comment number {number}.")
        fields.setdefault("status", Comment.Status.APPROVED)
        return Comment.objects.create(**fields)

    return make


@pytest.fixture
def editor(django_user_model):
    """A staff user who is not a superuser, in the Editors group that a migration creates."""
    user = django_user_model.objects.create_user("ed", is_staff=True)
    user.groups.add(Group.objects.get(name=EDITORS_GROUP))
    return user


@pytest.fixture
def editors_group(db):
    """The Editors group, made as its migrations make it, for tests whose database is emptied after each test
    (``transaction=True``), data migrations' rows included."""
    importlib.import_module("comments.migrations.0003_editors_group").create_editors_group(
        apps, connection.schema_editor()
    )
    importlib.import_module("comments.migrations.0005_editors_edit_bylines_and_notes").grant_editors(
        apps, connection.schema_editor()
    )
    importlib.import_module("images.migrations.0002_editors_manage_images").editors_manage_images(
        apps, connection.schema_editor()
    )
    importlib.import_module("comments.migrations.0011_held_reason_bans").editors_manage_bans(
        apps, connection.schema_editor()
    )
    importlib.import_module("comments.migrations.0013_editors_delete_reports").editors_delete_reports(
        apps, connection.schema_editor()
    )


@pytest.fixture
def editor_with_password(editors_group, editor):
    """The ``editor``, who can log in with the password in its ``test_password`` attribute."""
    editor.test_password = "a-long-test-password"  # noqa: S105 - a test login
    editor.set_password(editor.test_password)
    editor.save()
    return editor


@pytest.fixture
def admin_login(editor_with_password):
    """Log a browser tab into the admin as the ``editor``, through the login form."""

    def log_in(tab):
        tab.goto("/admin/")
        tab.get_by_label("Username").fill(editor_with_password.username)
        tab.get_by_label("Password").fill(editor_with_password.test_password)
        tab.get_by_role("button", name="Log in").click()
        expect(tab.locator("#logout-form")).to_be_attached()

    return log_in


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


@pytest.fixture
def run_tasks(db):
    """Run the background tasks that are due, one after the other as ``manage.py db_worker --batch`` does;
    ``retries=True`` makes the retries waiting for later due first. Returns how many tasks ran."""

    def run(*, retries=False):
        if retries:
            DBTaskResult.objects.filter(status=TaskResultStatus.READY).update(run_after=timezone.now())
        worker = Worker(
            queue_names=["*"],
            interval=0,
            batch=True,
            backend_name="default",
            startup_delay=False,
            max_tasks=None,
            worker_id="test-worker",
            excluded_queue_names=[],
        )
        ran = 0
        while (due := DBTaskResult.objects.ready().first()) is not None:
            due.claim(worker.worker_id)
            worker.run_task(due)
            ran += 1
        return ran

    return run


@pytest.fixture
def redis_cache(settings):
    """Django's cache in Redis for this test, under a key prefix of its own whose keys are deleted afterwards
    (other processes may share the server, so it is never flushed). Skipped where Redis does not answer."""
    if not redis_answers():
        pytest.skip("Redis does not answer on 127.0.0.1:6379")
    prefix = f"newsroom-test-{secrets.token_hex(8)}"
    settings.CACHES = {"default": {"BACKEND": "newsroom.cache.RedisCache", "LOCATION": REDIS_URL, "KEY_PREFIX": prefix}}
    yield prefix
    with redis.Redis.from_url(REDIS_URL) as server:
        keys = list(server.scan_iter(match=f"{prefix}:*"))
        if keys:
            server.delete(*keys)


CHROMIUM = Path("/usr/bin/chromium")
AXE_SCRIPT = Path(__file__).parent / "node_modules" / "axe-core" / "axe.min.js"
SCREENSHOTS = Path(__file__).parent / "test-results" / "screenshots"
VIEWPORTS = {"phone": {"width": 375, "height": 812}, "desktop": {"width": 1280, "height": 900}}


@pytest.fixture(scope="session")
def browser():
    """Debian's headless Chromium, driven by Playwright.

    Browser tests are skipped where Chromium is missing, except in CI (CI=true), where they must run.
    """
    if not CHROMIUM.exists():
        message = f"browser tests need Chromium at {CHROMIUM} (Debian: apt-get install chromium)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    # Playwright's synchronous API runs an event loop in this thread; the tests still use the ORM
    # synchronously, between browser steps, which is safe.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM),
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser, live_server):
    """A fresh browser tab (its own cookies) at desktop width, whose relative URLs go to the live server."""
    context = browser.new_context(base_url=live_server.url, viewport=VIEWPORTS["desktop"], bypass_csp=True)
    tab = context.new_page()
    yield tab
    context.close()


# Records the page's Content-Security-Policy violations in ``window.cspViolations`` and reports each to the test;
# Playwright adds it to every document the ``strict_page`` tab opens.
RECORD_CSP_VIOLATIONS = """
window.cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  const violation = `${event.violatedDirective} ${event.blockedURI} ${event.sample}`;
  window.cspViolations.push(violation);
  window.reportCspViolation(violation);
});
"""


@pytest.fixture
def csp_violations():
    """The Content-Security-Policy violations reported in the ``strict_page`` tab, on every page it opened."""
    return []


@pytest.fixture
def strict_page(browser, live_server, viewports, csp_violations):
    """A tab at desktop width that enforces the site's Content-Security-Policy (``page`` and ``new_tab`` bypass it
    for axe-core), its violations gathered in ``csp_violations``."""
    context = browser.new_context(base_url=live_server.url, viewport=viewports["desktop"])

    def report(violation):
        csp_violations.append(violation)

    context.expose_function("reportCspViolation", report)
    context.add_init_script(RECORD_CSP_VIOLATIONS)
    tab = context.new_page()
    yield tab
    context.close()


@pytest.fixture
def new_tab(browser, live_server, viewports):
    """Open tabs in new browser contexts: other people, with cookies of their own."""
    contexts = []

    def open_tab():
        context = browser.new_context(base_url=live_server.url, viewport=viewports["desktop"], bypass_csp=True)
        contexts.append(context)
        return context.new_page()

    yield open_tab
    for context in contexts:
        context.close()


@pytest.fixture
def viewports():
    """The widths every page is checked at: a phone and a desktop."""
    return VIEWPORTS


@pytest.fixture
def axe_violations():
    """Run axe-core in a page, or in the part of it that a CSS selector ``within`` picks; return its serious and
    critical violations as readable lines."""
    if not AXE_SCRIPT.exists():
        message = f"accessibility tests need axe-core at {AXE_SCRIPT} (run npm ci)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)

    def check(tab, within=None):
        tab.add_script_tag(path=str(AXE_SCRIPT))
        results = tab.evaluate(
            "(within) => axe.run(within ? document.querySelector(within) : document, {resultTypes: ['violations']})",
            within,
        )
        return [
            f"{violation['impact']}: {violation['id']} ({violation['help']}) at "
            + ", ".join(" ".join(node["target"]) for node in violation["nodes"])
            for violation in results["violations"]
            if violation["impact"] in ("serious", "critical")
        ]

    return check


@pytest.fixture
def scrolls_sideways():
    """Whether a page is wider than its window, so that a reader would have to scroll sideways."""

    def check(tab):
        return tab.evaluate("() => document.documentElement.scrollWidth > window.innerWidth")

    return check


@pytest.fixture
def screenshot():
    """Save a full-page screenshot under test-results/screenshots/, or one of the element a locator ``of`` finds."""

    def save(tab, name, of=None):
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        if of is None:
            tab.screenshot(path=SCREENSHOTS / f"{name}.png", full_page=True)
        else:
            of.screenshot(path=SCREENSHOTS / f"{name}.png")

    return save
