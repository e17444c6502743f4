"""An article's body HTML is rendered when the body changes, stored, and served as stored."""

import pytest
from django.core.management import call_command

from articles.demo import load_demo
from articles.html import RENDERING_VERSION, render_body
from articles.models import Article

pytestmark = pytest.mark.django_db


def test_saving_stores_the_body_html(make_article):
    article = make_article(body="First paragraph.\n\n<script>alert(1)</script>Second.")

    stored = Article.objects.get(pk=article.pk)
    assert stored.rendered_body == "<p>First paragraph.</p>\n<p>Second.</p>"
    assert stored.rendered_body_version == RENDERING_VERSION
    assert stored.summary == "First paragraph. Second."


def test_the_summary_of_a_body_stored_by_other_rules_is_taken_from_the_body_again(make_article):
    article = make_article(body="The body.")
    Article.objects.filter(pk=article.pk).update(body_text="Old text.", rendered_body_version="old")

    assert Article.objects.get(pk=article.pk).summary == "The body."


def test_the_page_shows_the_stored_body_and_its_text(client, make_article):
    article = make_article(body="As written.")
    Article.objects.filter(pk=article.pk).update(rendered_body="<p>As stored.</p>", body_text="As stored.")

    html = client.get(article.get_absolute_url()).content.decode()

    assert "As stored." in html
    assert "As written." not in html


def test_update_and_update_or_create_render_the_body_again(client, make_article):
    article = make_article(body="Old body.")

    Article.objects.filter(pk=article.pk).update(body="New body.")
    assert Article.objects.get(pk=article.pk).rendered_body == "<p>New body.</p>"

    Article.objects.update_or_create(pk=article.pk, defaults={"body": "Newer body."})
    assert "<p>Newer body.</p>" in client.get(article.get_absolute_url()).content.decode()


def test_body_html_of_other_rules_is_rendered_afresh_and_by_renderhtml(make_article):
    article = make_article(body="The body.")
    Article.objects.filter(pk=article.pk).update(rendered_body="<p>Old rules.</p>", rendered_body_version="old")

    assert Article.objects.get(pk=article.pk).body_html == "<p>The body.</p>"
    call_command("renderhtml", stdout=None)
    assert Article.objects.get(pk=article.pk).rendered_body == "<p>The body.</p>"


def test_bulk_create_stores_the_body_html(make_author):
    [article] = Article.objects.bulk_create([Article(title="T", slug="t", author=make_author(), body="Imported.")])

    assert Article.objects.get(pk=article.pk).rendered_body == "<p>Imported.</p>"


def test_the_demo_articles_are_stored_rendered():
    load_demo()

    assert Article.objects.exists()
    assert not Article.objects.stale_bodies().exists()
    for article in Article.objects.all():
        assert article.rendered_body == render_body(article.body)
