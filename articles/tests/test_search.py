from datetime import timedelta

import pytest
from django.contrib.postgres.search import SearchQuery
from django.db import connection
from django.utils import timezone
from pytest_django.asserts import assertContains, assertInHTML

from articles.models import SEARCH_CONFIG, Article
from articles.search import MAX_QUERY_LENGTH, clean_query, highlight, search

pytestmark = pytest.mark.django_db

needs_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="full-text search, ranking and headlines need PostgreSQL"
)


@pytest.fixture
def stories(make_article):
    return {
        "bridge": make_article(
            title="Council approves footbridge repairs",
            standfirst="The riverside crossing reopens in spring.",
            body="Engineers found corrosion in the steel deck.",
        ),
        "floods": make_article(
            title="Spring floods close Mill Lane",
            body="The river rose above the barrier near the old mill, and the council closed the road.",
        ),
        "bakery": make_article(title="Bakery celebrates fifty years", body="Bread and cakes since 1974."),
    }


def test_finds_words_in_the_title(stories):
    assert list(search("footbridge")) == [stories["bridge"]]


def test_finds_words_in_the_body(stories):
    assert list(search("corrosion")) == [stories["bridge"]]
    assert list(search("barrier")) == [stories["floods"]]


def test_every_word_must_match(stories):
    assert set(search("council")) == {stories["bridge"], stories["floods"]}
    assert list(search("council barrier")) == [stories["floods"]]
    assert list(search("council bread")) == []


def test_is_case_insensitive(stories):
    assert list(search("BAKERY")) == [stories["bakery"]]


def test_drafts_and_scheduled_articles_are_never_found(make_article):
    make_article(title="Secret footbridge plan", status=Article.Status.DRAFT)
    make_article(title="Embargoed footbridge plan", published_at=timezone.now() + timedelta(days=1))

    assert list(search("footbridge")) == []


@pytest.mark.parametrize(
    "garbage",
    ["", "   ", "!!!", "?*&^%$#@", '"', '"unbalanced', "foot\x00bridge", "a" * 10_000, "-", "or", "(", "'; drop table"],
)
def test_garbage_queries_find_nothing_and_never_fail(stories, garbage):
    assert list(search(garbage)) in ([], [stories["bridge"]])


def test_queries_are_cleaned_and_capped():
    assert clean_query("  council \x00 floods\n ") == "council floods"
    assert len(clean_query("word " * 1000)) <= MAX_QUERY_LENGTH


def test_search_page_shows_results_with_the_query_kept(client, stories):
    response = client.get("/search/", {"q": "footbridge"})

    assert response.status_code == 200
    assert list(response.context["article_list"]) == [stories["bridge"]]
    html = response.content.decode()
    assert "1 result for “footbridge”" in html
    assert stories["bridge"].get_absolute_url() in html
    assertContains(
        response,
        '<input class="search-form__input" id="search-page-query" type="search" name="q" value="footbridge"'
        ' maxlength="200" placeholder="Search the archive">',
        html=True,
    )


def test_empty_search_invites_a_search(client, stories):
    response = client.get("/search/")

    assert response.status_code == 200
    assert list(response.context["article_list"]) == []
    assert "Type a few words above" in response.content.decode()


@pytest.mark.parametrize("garbage", ["!!!", '"unbalanced', "x\x00y", "ü" * 5000, "<script>alert(1)</script>"])
def test_garbage_search_page_says_no_results(client, stories, garbage):
    response = client.get("/search/", {"q": garbage})

    assert response.status_code == 200
    html = response.content.decode()
    assert "No results" in html
    assert "<script>alert(1)" not in html


def test_search_results_are_paginated(client, make_article, settings):
    settings.ARTICLES_PER_PAGE = 2
    for _ in range(3):
        make_article(title="Harbour news")

    first = client.get("/search/", {"q": "harbour"})
    second = client.get("/search/", {"q": "harbour", "page": 2})

    assert len(first.context["article_list"]) == 2
    assert "3 results" in first.content.decode()
    assertContains(first, '<a class="pagination__link" rel="next" href="?q=harbour&amp;page=2">Older →</a>', html=True)
    assert len(second.context["article_list"]) == 1


def test_every_page_has_a_labelled_search_box(client, article):
    for path in ("/", article.get_absolute_url(), "/search/?q=x", "/no-such-page/"):
        html = client.get(path).content.decode()
        form = html[html.index('role="search"') - 200 : html.index("</form>")]
        assert 'action="/search/"' in form
        assert 'method="get"' in form
        assert 'name="q"' in form
        assertInHTML(
            '<label class="search-form__label visually-hidden" for="masthead-search">Search the archive</label>', html
        )


def test_highlight_escapes_everything_but_the_marks():
    headline = "<b>5 &lt; 6</b> \ue000river\ue001 <script>alert(1)</script> & more"

    assert str(highlight(headline)) == "5 &lt; 6 <mark>river</mark> alert(1) &amp; more"


@pytest.mark.parametrize(
    ("headline", "expected"),
    [
        ("<![\ue000CDATA\ue001[ x]]> after", "after"),
        ("<!-- \ue000unclosed\ue001 comment", ""),
        ('<a href="\ue000x">y\ue001</a> z', "y z"),
        ("a \ue000b", "a <mark>b</mark>"),
        ("<<b>>\ue000c\ue001<", "&lt;&gt;<mark>c</mark>&lt;"),
    ],
)
def test_highlight_survives_broken_markup_with_balanced_marks(headline, expected):
    assert str(highlight(headline)) == expected


@needs_postgresql
def test_title_matches_rank_above_body_matches(make_article):
    in_body = make_article(title="Weekend round-up", body="A note about otters near the weir.")
    in_title = make_article(title="Otters return to the river", body="A survey found them.")

    assert list(search("otter")) == [in_title, in_body]


def test_web_search_syntax_means_the_same_on_every_database(stories):
    assert list(search('"old mill"')) == [stories["floods"]]
    assert list(search('"mill old"')) == []
    assert list(search("council -corrosion")) == [stories["floods"]]
    assert list(search('council -"steel deck"')) == [stories["floods"]]
    assert list(search("-corrosion council")) == [stories["floods"]]
    assert set(search("bakery or footbridge")) == {stories["bakery"], stories["bridge"]}
    assert set(search("spring -corrosion or bread")) == {stories["floods"], stories["bakery"]}
    assert set(search("spring or bread -corrosion")) == set(stories.values())


@pytest.mark.parametrize("query", ["-corrosion", "-anything", "-a -b -c", 'or -"old mill"', "- -", "council or -x"])
def test_a_query_of_exclusions_alone_finds_nothing(stories, query, django_assert_max_num_queries):
    with django_assert_max_num_queries(0):
        assert list(search(query)) == []


@needs_postgresql
def test_only_the_newest_matches_are_ranked(make_article, monkeypatch):
    monkeypatch.setattr("articles.search.MAX_RANKED", 2)
    older, newer, newest = (
        make_article(title="Otters return", published_at=timezone.now() - timedelta(days=days)) for days in (3, 2, 1)
    )

    assert set(search("otters")) == {newer, newest}


@needs_postgresql
def test_stemming_finds_other_forms(stories):
    assert list(search("flooding")) == [stories["floods"]]


@needs_postgresql
def test_headline_highlights_the_matches_safely(make_article):
    make_article(title="Harbour", body='The <em>harbour</em> wall & the <a href="https://x.example">harbour</a> steps.')

    result = search("harbour").get()

    assert str(highlight(result.headline)) == "The <mark>harbour</mark> wall &amp; the <mark>harbour</mark> steps."


@needs_postgresql
def test_search_page_answers_when_a_match_sits_inside_broken_markup(client, make_article):
    make_article(title="Feed notes", body="Paste this: <![CDATA[ raw feed data ]]> and done.")

    response = client.get("/search/", {"q": "paste"})

    assert response.status_code == 200
    assert "Feed notes" in response.content.decode()


@needs_postgresql
def test_search_page_shows_the_highlighted_excerpt(client, stories):
    response = client.get("/search/", {"q": "corrosion"})

    assertContains(response, "<mark>corrosion</mark>", html=True)


@needs_postgresql
def test_the_search_filter_can_use_the_gin_index(stories):
    query = Article.objects.filter(search_document=SearchQuery("river", search_type="websearch", config=SEARCH_CONFIG))
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        plan = query.explain()

    assert "article_search_document" in plan


@needs_postgresql
def test_the_stored_document_follows_every_way_of_changing_the_text(make_article, make_author):
    saved = make_article(title="Weekend round-up", body="Nothing yet.")
    [created] = Article.objects.bulk_create([Article(title="Imported", slug="imported", author=make_author(), body="")])
    assert list(search("kingfisher")) == []

    saved.body = "A kingfisher by the weir."
    saved.save(update_fields=["body"])
    Article.objects.filter(pk=created.pk).update(title="Kingfishers return", status=Article.Status.PUBLISHED)

    assert set(search("kingfisher")) == {saved, created}


def test_a_client_searching_too_often_is_asked_to_wait_with_the_query_kept(client, stories, settings):
    settings.SEARCH_RATE_LIMIT = 3
    for _ in range(3):
        assert client.get("/search/", {"q": "council"}, REMOTE_ADDR="203.0.113.9").status_code == 200

    refused = client.get("/search/", {"q": "council"}, REMOTE_ADDR="203.0.113.9")

    assert refused.status_code == 429
    assert refused["Retry-After"] == "60"
    html = refused.content.decode()
    assert "Please wait a minute, then search again." in html
    assert 'value="council"' in html
    assert client.get("/search/", {"q": "council"}, REMOTE_ADDR="203.0.113.10").status_code == 200
    assert client.get("/search/", REMOTE_ADDR="203.0.113.9").status_code == 200


def test_the_search_limit_counts_an_ipv6_client_by_its_64(client, stories, settings):
    settings.SEARCH_RATE_LIMIT = 2
    for host in ("1", "2"):
        assert client.get("/search/", {"q": "council"}, REMOTE_ADDR=f"2001:db8:1:2::{host}").status_code == 200

    assert client.get("/search/", {"q": "council"}, REMOTE_ADDR="2001:db8:1:2::3").status_code == 429
    assert client.get("/search/", {"q": "council"}, REMOTE_ADDR="2001:db8:1:3::1").status_code == 200


def test_a_failing_cache_never_stops_a_search(client, stories, settings, monkeypatch, caplog):
    settings.SEARCH_RATE_LIMIT = 1

    def fail(*args, **kwargs):
        raise ConnectionError("the cache is down")

    monkeypatch.setattr("newsroom.clients.cache.add", fail)

    for _ in range(3):
        assert client.get("/search/", {"q": "council"}).status_code == 200
    assert "Could not count search" in caplog.text


HIDDEN_BODY = (
    "<p>The harbour wall was rebuilt.</p>\n\n<!-- note to self: mention the kraken -->\n\n"
    "<script>var tracker = 'sasquatch';</script><style>.yeti { color: red }</style>\n\n<p>Boats returned.</p>"
)


@pytest.mark.parametrize("hidden", ["kraken", "sasquatch", "yeti", "color", "tracker"])
def test_words_the_page_hides_are_never_found(make_article, hidden):
    make_article(title="Harbour", body=HIDDEN_BODY)

    assert list(search(hidden)) == []
    assert len(search("boats")) == 1


def test_the_visible_text_follows_every_change_of_the_body(article):
    article.body = "<p>First <em>draft</em></p><!-- secret -->"
    article.save()
    assert list(search("secret")) == []

    article.body = "Now it says secret."
    article.save(update_fields=["body"])

    assert Article.objects.get().body_text == "Now it says secret."
    assert list(search("secret")) == [article]


@needs_postgresql
def test_the_excerpt_shows_only_visible_text(make_article):
    make_article(title="Harbour", body=HIDDEN_BODY)

    excerpt = str(highlight(search("harbour").get().headline))

    assert "<mark>harbour</mark> wall" in excerpt
    for hidden in ("kraken", "sasquatch", "yeti", "color"):
        assert hidden not in excerpt
