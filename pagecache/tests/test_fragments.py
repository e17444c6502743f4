"""Parts of pages kept in the cache for pages rendered afresh: kept until what they show changes, never one
reader's own."""

import re
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.db import connection
from django.template import Context, Template, TemplateSyntaxError
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation
from pytest_django.asserts import assertInHTML

from articles.models import Article, Tag
from comments.models import Comment
from comments.tests.helpers import comment_form_data
from pagecache import holes
from pagecache.fragments import cached_fragment, fragment_key
from pagecache.invalidation import invalidate, pending
from pagecache.tests.helpers import comment_data

pytestmark = pytest.mark.django_db

SECTIONS = 'FROM "articles_section"'
COMMENTS = 'FROM "comments_comment"'


@pytest.fixture
def fragments(settings):
    """The fragment cache on, the page cache off: every page is rendered for its request."""
    settings.FRAGMENT_CACHE_SECONDS = 60
    settings.PAGE_CACHE_SECONDS = 0
    settings.COMMENTS_MIN_SUBMIT_SECONDS = 0
    return settings


class Renders:
    """A fragment's render function that counts its calls."""

    def __init__(self, html="<p>Most read</p>"):
        self.html = html
        self.calls = 0

    def __call__(self):
        self.calls += 1
        return self.html


def test_a_fragment_is_rendered_once_and_kept_until_one_of_its_topics_changes(fragments):
    render = Renders()
    for _ in range(3):
        assert cached_fragment("sidebar", [], ["articles"], render) == "<p>Most read</p>"
    assert render.calls == 1

    invalidate(["article:5"])
    cached_fragment("sidebar", [], ["articles"], render)
    assert render.calls == 1

    invalidate(["articles"])
    cached_fragment("sidebar", [], ["articles"], render)
    assert render.calls == 2

    invalidate()  # every page
    cached_fragment("sidebar", [], ["articles"], render)
    assert render.calls == 3


def test_fragments_are_kept_apart_by_what_they_vary_on_and_by_language(fragments):
    first, second = Renders("<p>first</p>"), Renders("<p>second</p>")
    assert cached_fragment("related", [1], ["articles"], first) == "<p>first</p>"
    assert cached_fragment("related", [2], ["articles"], second) == "<p>second</p>"
    with translation.override("fr"):
        assert cached_fragment("related", [1], ["articles"], second) == "<p>second</p>"
    assert cached_fragment("related", [1], ["articles"], second) == "<p>first</p>"


def test_the_fragments_of_one_page_read_each_topics_generation_once(fragments, rf, monkeypatch):
    invalidate(["site", "articles", "article:1"])  # each topic has a generation
    read = []
    get_many = cache.get_many
    monkeypatch.setattr(cache, "get_many", lambda keys: read.append(list(keys)) or get_many(keys))
    request = rf.get("/")

    cached_fragment("sidebar", [], ["articles"], Renders(), request)
    cached_fragment("related", [1], ["articles", "article:1"], Renders(), request)

    assert sorted(read[0]) == sorted([fragment_key("sidebar", []), "pages:topic:site", "pages:topic:articles"])
    assert read[1] == [fragment_key("related", [1]), "pages:topic:article:1"]


def test_with_the_fragment_cache_off_each_page_renders_its_fragments(fragments):
    fragments.FRAGMENT_CACHE_SECONDS = 0
    render = Renders()
    cached_fragment("sidebar", [], ["articles"], render)
    cached_fragment("sidebar", [], ["articles"], render)
    assert render.calls == 2


def test_a_failing_cache_renders_the_fragment_and_says_so(fragments, monkeypatch, caplog):
    def unreachable(*args, **kwargs):
        raise ConnectionError("the cache is unreachable")

    monkeypatch.setattr(cache, "get_many", unreachable)
    render = Renders()
    assert cached_fragment("sidebar", [], ["articles"], render) == "<p>Most read</p>"
    assert "Fragment cache unavailable, rendering sidebar without it" in caplog.text

    monkeypatch.undo()
    monkeypatch.setattr(cache, "set", unreachable)
    assert cached_fragment("sidebar", [], ["articles"], render) == "<p>Most read</p>"
    assert "Fragment sidebar not kept" in caplog.text


def test_no_fragment_is_used_while_this_process_owes_the_cache_an_invalidation(fragments, monkeypatch):
    render = Renders()
    cached_fragment("sidebar", [], ["articles"], render)

    def unreachable(*args, **kwargs):
        raise ConnectionError("the cache is unreachable")

    monkeypatch.setattr(cache, "set_many", unreachable)
    invalidate(["articles"])  # not written: it waits in this process
    assert pending
    cached_fragment("sidebar", [], ["articles"], render)
    assert render.calls == 2

    monkeypatch.undo()
    cached_fragment("sidebar", [], ["articles"], render)  # the invalidation is written first
    assert not pending
    assert render.calls == 3


def test_a_hole_in_a_fragment_is_given_again_for_each_page_that_shows_it(fragments, rf, monkeypatch):
    monkeypatch.setitem(holes.fillers, "greeting", lambda request, default: f"Hello, {request.GET.get('who', default)}")
    template = Template(
        '{% load pagecache %}{% fragment "hello" on "articles" %}'
        '<p>{{ count }} {% per_request "greeting" default="reader" %}</p>{% endfragment %}'
    )

    assert template.render(Context({"request": rf.get("/?who=Ann"), "count": 1})) == "<p>1 Hello, Ann</p>"
    assert template.render(Context({"request": rf.get("/?who=Bo"), "count": 2})) == "<p>1 Hello, Bo</p>"
    for_the_cache = rf.get("/?who=Cy")
    with holes.kept_as_markers(for_the_cache) as page:
        pieces, page_holes = page.cut(template.render(Context({"request": for_the_cache, "count": 3})))
    assert pieces == ["<p>1 ", "</p>"]
    assert page_holes == [("greeting", {"default": "reader"})]


@pytest.mark.parametrize(
    "tamper",
    [
        lambda kept: "<script>alert(1)</script>",
        lambda kept: ("fragment/0", *kept[1:]),
        lambda kept: (*kept[:2], ["<p>", "</p>"], [("no-such-hole", {})]),
        lambda kept: (*kept[:2], ["<p>"], [("csrf_token", {})]),
    ],
    ids=["not a fragment", "another version", "an unknown hole", "pieces and holes that do not match"],
)
def test_an_entry_this_code_did_not_keep_is_rendered_anew(fragments, tamper):
    render = Renders()
    cached_fragment("sidebar", [], ["articles"], render)
    key = fragment_key("sidebar", [])
    cache.set(key, tamper(cache.get(key)))

    assert cached_fragment("sidebar", [], ["articles"], render) == "<p>Most read</p>"
    assert render.calls == 2


def test_the_tag_needs_a_name_and_a_topic():
    for source in ('{% fragment "sidebar" %}{% endfragment %}', '{% fragment "sidebar" on %}{% endfragment %}'):
        with pytest.raises(TemplateSyntaxError, match="at least one topic"):
            Template("{% load pagecache %}" + source)
    template = Template('{% load pagecache %}{% fragment "hello" name on "articles" %}Hi {{ name }}{% endfragment %}')
    assert template.render(Context({"name": "reader"})) == "Hi reader"


def queries_of(client, path):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200
    return response.content.decode(), [query["sql"] for query in queries.captured_queries]


def test_a_page_rendered_again_reads_no_sidebar_and_no_comments(fragments, make_article, make_comment):
    article = make_article()
    make_comment(article=article, body="Kept in the fragment.")
    first_html, first_queries = queries_of(Client(), article.get_absolute_url())
    html, queries = queries_of(Client(), article.get_absolute_url())

    assert html.count("Kept in the fragment.") == first_html.count("Kept in the fragment.") == 1
    for table in (SECTIONS, COMMENTS):
        assert any(table in sql for sql in first_queries)
        assert not any(table in sql for sql in queries)
    assert len(queries) < len(first_queries)


def test_a_new_article_reaches_the_sidebar_and_the_next_link_at_once(
    fragments, make_article, django_capture_on_commit_callbacks
):
    article = make_article(title="The older story")
    Client().get(article.get_absolute_url())

    with django_capture_on_commit_callbacks(execute=True):
        make_article(title="The newer story", published_at=timezone.now() - timedelta(hours=1))

    html = Client().get(article.get_absolute_url()).content.decode()
    assert 'rel="next"' in html
    assert html.count("The newer story") == 2  # the next article, and "Most read"


def test_approving_a_comment_renders_its_articles_comments_again_and_no_others(
    fragments, make_article, make_comment, django_capture_on_commit_callbacks
):
    first, second = make_article(), make_article()
    pending_comment = make_comment(article=first, status=Comment.Status.PENDING, body="Approved just now.")
    make_comment(article=second, body="On the second article.")
    for article in (first, second):
        Client().get(article.get_absolute_url())

    with django_capture_on_commit_callbacks(execute=True):
        Comment.objects.filter(pk=pending_comment.pk).approve()

    first_html, first_queries = queries_of(Client(), first.get_absolute_url())
    second_html, second_queries = queries_of(Client(), second.get_absolute_url())
    assert "Approved just now." in first_html
    assert any(COMMENTS in sql for sql in first_queries)
    assert "On the second article." in second_html
    assert not any(COMMENTS in sql for sql in second_queries)


def test_a_readers_own_pending_comment_is_shown_to_them_alone(fragments, article):
    Client().get(article.get_absolute_url())
    commenter = Client()
    commenter.post(
        article.get_absolute_url(),
        comment_form_data(article, comment="Mine, see https://spam.example/offer."),
    )
    assert Comment.objects.get().status == Comment.Status.PENDING

    own = commenter.get(article.get_absolute_url()).content.decode()
    other = Client().get(article.get_absolute_url()).content.decode()
    assert "Mine, see" in own
    assert 'href="https://spam.example' not in own
    assert "Mine, see" not in other


def test_an_article_page_whose_parts_are_kept_reads_only_the_article_and_its_views(
    fragments, make_article, make_comment, make_author
):
    otters = Tag.objects.create(name="Otters", slug="otters")
    article = make_article(title="Kept whole", tags=[otters], coauthors=[make_author(name="Bo Second")])
    article.notes.create(kind="correction", text="An earlier version misspelt a name.")
    make_comment(article=article, body="Kept in the fragment.")
    first_html, first_queries = queries_of(Client(), article.get_absolute_url())

    html, queries = queries_of(Client(), article.get_absolute_url())

    assert all('FROM "articles_article"' in sql or 'UPDATE "articles_article"' in sql for sql in queries), queries
    assert len(queries) == 3  # the article, and its view counted and read back
    for shown in ("Kept whole", "Bo Second", "Otters", "An earlier version misspelt a name.", "Kept in the fragment."):
        assert html.count(shown) == first_html.count(shown) > 0
    assert '"@type": "CorrectionComment"' in html
    assert "Leave a Reply" in html


def test_a_correction_reaches_the_article_and_its_metadata_at_once(
    fragments, make_article, django_capture_on_commit_callbacks
):
    article = make_article()
    Client().get(article.get_absolute_url())

    with django_capture_on_commit_callbacks(execute=True):
        note = article.notes.create(kind="correction", text="The bridge opened in 1932.")

    html = Client().get(article.get_absolute_url()).content.decode()
    assert "The bridge opened in 1932." in html
    assert f'<meta property="article:modified_time" content="{note.noted_at.isoformat()}">' in html
    assert '"@type": "CorrectionComment"' in html


def test_the_kept_comment_form_gives_each_reader_their_own_tokens_and_details(fragments, article):
    first, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    Client().get(article.get_absolute_url())  # the form is kept

    first_data = comment_data(first, article, author="First Reader", **{"wp-comment-cookies-consent": "on"})
    second_data = comment_data(second, article, author="Second Reader", email="second@readers.example")

    assert first_data["csrfmiddlewaretoken"] != second_data["csrfmiddlewaretoken"]
    for reader, data in ((first, first_data), (second, second_data)):
        assert reader.post(f"/comments/post/{article.pk}/", data).status_code == 302
    assert Comment.objects.count() == 2

    remembered = first.get(article.get_absolute_url()).content.decode()
    stranger = Client().get(article.get_absolute_url()).content.decode()
    assert 'value="First Reader"' in remembered
    [consent] = re.findall(r'<input[^>]*name="wp-comment-cookies-consent"[^>]*>', remembered)
    assert "checked" in consent
    assert "First Reader" not in stranger.split('id="respond"')[1]
    assert "ana@readers.example" in remembered
    assert "ana@readers.example" not in stranger
    assert "second@readers.example" not in stranger


def test_a_reply_form_is_kept_apart_from_the_articles_own(fragments, article, make_comment):
    comment = make_comment(article=article, author="Cy Commenter")

    reply = Client().get(f"{article.get_absolute_url()}?replytocom={comment.pk}").content.decode()
    plain = Client().get(article.get_absolute_url()).content.decode()

    assert "Leave a Reply to Cy Commenter" in reply
    assert f'name="comment_parent" value="{comment.pk}"' in reply
    assert "Leave a Reply to" not in plain
    assert 'name="comment_parent" value=' not in plain


def test_a_refused_comment_is_shown_with_what_was_typed_not_the_kept_form(fragments, article):
    Client().get(article.get_absolute_url())  # the empty form is kept
    typed = comment_form_data(article, comment="Kept <word> for word.", email="not-an-email")

    refused = Client().post(article.get_absolute_url(), typed)

    assert refused.status_code == 400
    assertInHTML(
        '<textarea name="comment" cols="45" rows="8" aria-required="true" maxlength="65525" required id="comment">'
        "\nKept &lt;word&gt; for word.</textarea>",
        refused.content.decode(),
    )
    assert 'value="not-an-email"' in refused.content.decode()
    assert "Kept &lt;word&gt;" not in Client().get(article.get_absolute_url()).content.decode()


def test_an_editors_preview_of_a_draft_is_kept_apart_from_what_readers_see(
    fragments, make_article, editor_client, django_capture_on_commit_callbacks
):
    article = make_article(title="Otters, the first version")
    Client().get(article.get_absolute_url())  # the published article's fragments are kept
    with django_capture_on_commit_callbacks(execute=True):
        Article.objects.filter(pk=article.pk).update(status=Article.Status.DRAFT, title="Otters, being rewritten")

    preview = editor_client.get(article.get_absolute_url()).content.decode()

    assert "Preview of a draft" in preview
    assert "Otters, being rewritten" in preview
    assert "Otters, the first version" not in preview
    assert Client().get(article.get_absolute_url()).status_code == 404


def test_an_approved_comment_renders_the_comments_and_their_count_again_not_the_article(
    fragments, make_article, make_comment, make_author, django_capture_on_commit_callbacks
):
    otters = Tag.objects.create(name="Otters", slug="otters")
    article = make_article(tags=[otters], coauthors=[make_author(name="Bo Second")])
    article.notes.create(kind="update", text="Photographs added.")
    make_comment(article=article, body="The first comment.")
    waiting = make_comment(article=article, status=Comment.Status.PENDING, body="Approved just now.")
    Client().get(article.get_absolute_url())

    with django_capture_on_commit_callbacks(execute=True):
        Comment.objects.filter(pk=waiting.pk).approve()
    html, queries = queries_of(Client(), article.get_absolute_url())

    assert "Approved just now." in html
    assert '<a class="comment-count" href="#comments">2 Comments</a>' in html
    assert any(COMMENTS in sql for sql in queries)
    for table in ("articles_article_tags", "articles_articleauthor", "articles_articlenote"):
        assert not any(table in sql for sql in queries), table
    for shown in ("Otters", "Bo Second", "Photographs added."):
        assert shown in html
