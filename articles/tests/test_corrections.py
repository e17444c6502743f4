"""Dated corrections and updates: on the article, in its JSON-LD and feeds, and on /corrections/."""

import json
import re
from datetime import datetime, timedelta
from datetime import timezone as dt_timezone
from xml.etree import ElementTree

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from pytest_django.asserts import assertContains, assertInHTML, assertNotContains
from reversion.models import Version

from articles.models import Article, ArticleNote
from articles.tests.helpers import article_form_data

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"
NOTED = datetime(2026, 3, 4, 10, 0, tzinfo=dt_timezone.utc)


def note(article, kind=ArticleNote.Kind.CORRECTION, text="An earlier version misspelled the river.", **fields):
    return ArticleNote.objects.create(article=article, kind=kind, text=text, **{"noted_at": NOTED, **fields})


def json_ld(response):
    return json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', response.content.decode())[1])


def test_an_editor_adds_a_correction_that_readers_see_at_once(
    editor_client, settings, make_article, django_capture_on_commit_callbacks
):
    settings.PAGE_CACHE_SECONDS = 300
    article = make_article(title="Otters return", published_at=NOTED - timedelta(days=2))
    assertNotContains(Client().get(article.get_absolute_url()), "Corrections and updates")  # now cached
    published_at = timezone.localtime(article.published_at)
    data = article_form_data(
        article.author,
        title=article.title,
        slug=article.slug,
        status=Article.Status.PUBLISHED,
        published_at_0=published_at.strftime("%Y-%m-%d"),
        published_at_1=published_at.strftime("%H:%M:%S"),
        **{
            "notes-TOTAL_FORMS": "1",
            "notes-0-kind": "correction",
            "notes-0-noted_at_0": "2026-03-04",
            "notes-0-noted_at_1": "10:00:00",
            "notes-0-text": "An earlier version misspelled the river.",
        },
    )

    with django_capture_on_commit_callbacks(execute=True):
        saved = editor_client.post(reverse("admin:articles_article_change", args=[article.pk]), data)

    assert saved.status_code == 302
    page = Client().get(article.get_absolute_url()).content.decode()
    assertInHTML(
        '<span class="article__updated">Updated <time datetime="2026-03-04T10:00:00+00:00">4 March 2026</time></span>',
        page,
    )
    assertInHTML(
        '<p class="article-notes__note article-notes__note--correction"><strong>Correction, '
        '<time datetime="2026-03-04T10:00:00+00:00">4 March 2026</time>:</strong> '
        "An earlier version misspelled the river.</p>",
        page,
    )


def test_the_latest_note_dates_the_update_and_corrections_go_into_json_ld(client, make_article):
    article = make_article(published_at=NOTED - timedelta(days=5))
    Article.objects.filter(pk=article.pk).update(updated_at=NOTED - timedelta(days=5))
    note(article)
    note(article, kind=ArticleNote.Kind.UPDATE, text="Police have named the man.", noted_at=NOTED + timedelta(days=1))

    response = client.get(article.get_absolute_url())

    assertContains(response, '<span class="article__updated">Updated <time datetime="2026-03-05T10:00:00+00:00">')
    data = json_ld(response)
    assert data["dateModified"] == "2026-03-05T10:00:00+00:00"
    assert data["correction"] == [
        {
            "@type": "CorrectionComment",
            "text": "An earlier version misspelled the river.",
            "datePublished": "2026-03-04T10:00:00+00:00",
        }
    ]
    notes = re.findall(r'article-notes__note--(\w+)"', response.content.decode())
    assert notes == ["correction", "update"]


def test_an_article_without_notes_shows_no_update(client, article):
    response = client.get(article.get_absolute_url())

    assertNotContains(response, "article__updated")
    assertNotContains(response, "Corrections and updates")
    assert "correction" not in json_ld(response)


def test_feeds_carry_the_update_date(client, make_article):
    article = make_article(published_at=NOTED - timedelta(days=5))
    Article.objects.filter(pk=article.pk).update(updated_at=NOTED - timedelta(days=5))
    note(article)

    atom = ElementTree.fromstring(client.get("/feed/atom/").content)  # noqa: S314 - the site's own output
    rss = ElementTree.fromstring(client.get("/feed/").content)  # noqa: S314 - the site's own output

    assert atom.find(f"{ATOM}entry/{ATOM}updated").text == "2026-03-04T10:00:00+00:00"
    assert rss.find(f"channel/item/{ATOM}updated").text == "2026-03-04T10:00:00+00:00"


def test_the_corrections_page_lists_corrections_of_published_articles_only(client, make_article, settings):
    settings.ARTICLES_PER_PAGE = 2
    published = [make_article(title=f"Published {number}") for number in range(3)]
    for number, article in enumerate(published):
        note(article, text=f"Correction number {number}.", noted_at=NOTED + timedelta(days=number))
    note(published[0], kind=ArticleNote.Kind.UPDATE, text="Merely an update.")
    note(make_article(status=Article.Status.DRAFT), text="On a draft.")
    note(make_article(published_at=timezone.now() + timedelta(days=1)), text="On a scheduled article.")

    first = client.get("/corrections/")
    second = client.get("/corrections/", {"page": 2})

    texts = [c.text for c in first.context["corrections"]] + [c.text for c in second.context["corrections"]]
    assert texts == ["Correction number 2.", "Correction number 1.", "Correction number 0."]
    assertInHTML(
        f'<h2 class="correction-list__title"><a href="{published[2].get_absolute_url()}">Published 2</a></h2>',
        first.content.decode(),
    )
    assertContains(first, "Page 1 of 2")
    assertInHTML('<a href="/corrections/">Corrections</a>', client.get("/").content.decode())


def test_restoring_a_revision_keeps_the_notes(editor_client, make_article):
    article = make_article()
    Article.objects.filter(pk=article.pk).publish()
    Article.objects.filter(pk=article.pk).unpublish()
    correction = note(article)
    earlier = Version.objects.get_for_object(article).order_by("pk").first()

    earlier.revision.revert(delete=True)

    assert list(article.notes.all()) == [correction]
