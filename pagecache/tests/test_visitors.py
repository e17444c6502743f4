"""Who is served cached pages, and that nothing of one visitor reaches another."""

import pickle
import pickletools
import re

import pytest
from django.core.cache import cache
from django.test import Client

from articles.models import Article
from comments.models import Comment
from comments.visitor import DETAILS_KEY, POSTED_KEY
from pagecache import holes
from pagecache.pages import CachedPage, page_key, recent_pages
from pagecache.tests.helpers import Work

pytestmark = pytest.mark.django_db

NEVER_CACHE = "max-age=0, no-cache, no-store, must-revalidate, private"


def returning_commenter(**session):
    """A browser whose session holds what a commenter's posts left in it."""
    client = Client()
    stored = client.session
    stored.update(session)
    stored.save()
    client.cookies["sessionid"] = stored.session_key
    return client


def test_a_returning_commenter_gets_the_cached_page_with_their_details(page_cache, article):
    Client().get(article.get_absolute_url())
    details = {"author": "Ana O'Reilly & co", "email": "ana@readers.example", "url": "https://ana.example"}
    ana = returning_commenter(**{DETAILS_KEY: details, POSTED_KEY: []})

    with Work() as work:
        response = ana.get(article.get_absolute_url())

    assert work.templates == 0
    assert response.status_code == 200
    html = response.content.decode()
    form = html[html.index('id="commentform"') :]
    assert 'value="Ana O&#x27;Reilly &amp; co"' in form
    assert 'value="ana@readers.example"' in form
    assert 'value="https://ana.example"' in form
    assert re.search(r'<input type="checkbox" name="wp-comment-cookies-consent" checked id="[^"]+">', form)


def test_nothing_of_one_visitor_reaches_another(page_cache, article, make_comment):
    own = make_comment(status=Comment.Status.PENDING, body="Mine, awaiting moderation.", author="Ana Reader")
    details = {"author": "Ana Reader", "email": "ana@readers.example", "url": ""}
    ana = returning_commenter(**{DETAILS_KEY: details, POSTED_KEY: [own.pk]})
    url = article.get_absolute_url()

    anas_page = ana.get(url).content.decode()  # rendered for her: her comment awaits moderation here
    strangers_pages = [Client().get(url).content.decode() for _ in range(2)]
    assert "Mine, awaiting moderation." in anas_page
    for page in strangers_pages:
        assert "Mine, awaiting moderation." not in page
        assert "ana@readers.example" not in page
        assert "Ana Reader" not in page
        assert "checked" not in page[page.index('id="commentform"') :]
    stored = CachedPage.from_data(cache.get(page_key(Client().get(url).wsgi_request)))
    assert b"ana@readers.example" not in b"".join(stored.pieces)


def test_a_pending_comment_on_another_article_still_gets_the_cached_page(page_cache, make_article, make_comment):
    article, other = make_article(), make_article()
    own = make_comment(article=other, status=Comment.Status.PENDING)
    Client().get(article.get_absolute_url())
    ana = returning_commenter(**{POSTED_KEY: [own.pk]})

    with Work() as work:
        ana.get(article.get_absolute_url())
    assert work.templates == 0

    with Work() as work:
        page = ana.get(other.get_absolute_url()).content.decode()
    assert work.templates > 0
    assert own.body in page


def test_logged_in_users_get_fresh_pages_that_no_one_keeps(page_cache, make_article, admin_user):
    published = make_article(title="Out now")
    draft = make_article(title="Not yet", status=Article.Status.DRAFT)
    Client().get(published.get_absolute_url())
    editor = Client()
    editor.force_login(admin_user)

    for path in (published.get_absolute_url(), draft.get_absolute_url(), "/"):
        with Work() as work:
            response = editor.get(path)
        assert response.status_code == 200
        assert work.templates > 0
        assert response["Cache-Control"] == NEVER_CACHE
    assert Client().get(draft.get_absolute_url()).status_code == 404
    assert not Client().get("/").has_header("Cache-Control")


def test_cache_entries_hold_only_plain_data(page_cache, article):
    Client().get(article.get_absolute_url())

    stored = cache.get(page_key(Client().get(article.get_absolute_url()).wsgi_request))

    def plain(value):
        if isinstance(value, (list, tuple)):
            return all(map(plain, value))
        if isinstance(value, dict):
            return all(map(plain, value)) and all(map(plain, value.values()))
        return value is None or isinstance(value, (bytes, str, int, float))

    assert plain(stored)
    opcodes = {opcode.name for opcode, _, _ in pickletools.genops(pickle.dumps(stored))}
    assert not opcodes & {"GLOBAL", "STACK_GLOBAL", "REDUCE", "BUILD", "INST", "OBJ", "NEWOBJ", "NEWOBJ_EX"}


def test_an_entry_the_code_did_not_write_is_rendered_anew(page_cache, article):
    Client().get(article.get_absolute_url())
    key = page_key(Client().get(article.get_absolute_url()).wsgi_request)
    data = list(cache.get(key))
    data[2] = [("os.system", {"command": "true"})] * (len(data[2]))
    cache.set(key, tuple(data))
    recent_pages.clear()  # as in another process

    with Work() as work:
        response = Client().get(article.get_absolute_url())

    assert response.status_code == 200
    assert work.templates > 0


@pytest.mark.parametrize("typed", ["page-cache-hole-csrf-token", "pagecache0123456789abcdef0123456789abcdefn0e"])
def test_placeholders_typed_into_content_stay_as_typed(page_cache, article, make_comment, typed):
    make_comment(body=f"Look: {typed} here.")
    Client().get(article.get_absolute_url())

    page = Client().get(article.get_absolute_url()).content.decode()

    assert f"Look: {typed} here." in page


def test_a_hole_that_cannot_apply_is_left_empty_without_asking_for_each(rf, monkeypatch):
    calls = []
    monkeypatch.setitem(holes.fillers, "own_links", lambda request, comment_id: calls.append(comment_id) or "Edit")
    monkeypatch.setitem(holes.conditions, "own_links", lambda request: calls.append("asked") or request.GET)
    pieces = [b"<ol>", b"<li>", b"<li>", b"</ol>"]
    page_holes = [("own_links", {"comment_id": 1}), ("own_links", {"comment_id": 2}), ("csrf_token", {})]

    monkeypatch.setitem(holes.fillers, "csrf_token", lambda request: "token")
    assert holes.fill(rf.get("/"), pieces, page_holes) == b"<ol><li><li>token</ol>"
    assert calls == ["asked"]

    calls.clear()
    assert holes.fill(rf.get("/?posted=yes"), pieces, page_holes) == b"<ol>Edit<li>Edit<li>token</ol>"
    assert calls == ["asked", 1, 2]

    calls.clear()
    assert holes.fill(rf.get("/"), [b"<p>", b"</p>"], [("csrf_token", {})]) == b"<p>token</p>"
    assert calls == []  # no such hole on the page: not asked


def test_a_page_rendered_for_one_visitor_asks_once_whether_a_hole_can_apply(rf, monkeypatch):
    calls = []
    monkeypatch.setitem(holes.fillers, "own_links", lambda request, comment_id: calls.append(comment_id) or "Edit")
    monkeypatch.setitem(holes.conditions, "own_links", lambda request: calls.append("asked") or request.GET)

    reader = rf.get("/")
    assert [holes.per_request(reader, "own_links", comment_id=n) for n in (1, 2, 3)] == ["", "", ""]
    assert calls == ["asked"]

    calls.clear()
    commenter = rf.get("/?posted=yes")
    assert [holes.per_request(commenter, "own_links", comment_id=n) for n in (1, 2)] == ["Edit", "Edit"]
    assert calls == ["asked", 1, 2]

    calls.clear()
    with holes.kept_as_markers(reader) as render:  # rendered for the cache: a marker, whoever asks
        marker = holes.per_request(reader, "own_links", comment_id=1)
    assert render.cut(f"<li>{marker}</li>") == (["<li>", "</li>"], [("own_links", {"comment_id": 1})])
    assert calls == []
