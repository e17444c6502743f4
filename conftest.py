"""Fixtures shared by every app's tests: small factories, and a real browser for the browser tests."""

import os
import secrets
from datetime import timedelta
from itertools import count
from pathlib import Path

import pytest
import redis
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.test import override_settings
from django.utils import timezone
from playwright.sync_api import sync_playwright

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
    """A published article from yesterday unless told otherwise; ``tags`` may list Tag objects."""

    def make(*, tags=(), **fields):
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
def editor_client(client, editor):
    client.force_login(editor)
    return client


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


@pytest.fixture
def viewports():
    """The widths every page is checked at: a phone and a desktop."""
    return VIEWPORTS


@pytest.fixture
def axe_violations():
    """Run axe-core in a page; return its serious and critical violations as readable lines."""
    if not AXE_SCRIPT.exists():
        message = f"accessibility tests need axe-core at {AXE_SCRIPT} (run npm ci)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)

    def check(tab):
        tab.add_script_tag(path=str(AXE_SCRIPT))
        results = tab.evaluate("() => axe.run(document, {resultTypes: ['violations']})")
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
    """Save a full-page screenshot under test-results/screenshots/."""

    def save(tab, name):
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        tab.screenshot(path=SCREENSHOTS / f"{name}.png", full_page=True)

    return save
