import re

import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains, assertInHTML

from articles.models import Article
from articles.tests.helpers import article_form_data, queries_to_get

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:articles_article_changelist")


def run_action(client, action, *articles):
    return client.post(
        CHANGELIST, {"action": action, "_selected_action": [article.pk for article in articles]}, follow=True
    )


def test_an_editor_writes_an_article_and_publishes_it(editor_client, make_author):
    author = make_author(name="Colton Brown")
    form = editor_client.get(reverse("admin:articles_article_add")).content.decode()
    assert "data-prepopulated-fields=" in form
    assert (
        "&quot;#id_slug&quot;, &quot;name&quot;: &quot;slug&quot;, &quot;dependency_ids&quot;: [&quot;#id_title&quot;]"
        in form
    )

    saved = editor_client.post(reverse("admin:articles_article_add"), article_form_data(author))

    assert saved.status_code == 302
    article = Article.objects.get(slug="otters-return-to-the-river")
    assert article.status == Article.Status.DRAFT
    assert not Article.objects.published().exists()

    published = run_action(editor_client, "publish", article)

    assert "1 article was published." in published.content.decode()
    assert list(Article.objects.published()) == [article]
    editor_client.logout()
    assert editor_client.get(article.get_absolute_url()).status_code == 200


def test_publish_and_unpublish_actions_report_how_many_changed(editor_client, make_article):
    published = make_article()
    drafts = [make_article(status=Article.Status.DRAFT) for _ in range(2)]

    response = run_action(editor_client, "publish", published, *drafts)
    assert "2 articles were published." in response.content.decode()

    response = run_action(editor_client, "unpublish", published, drafts[0])
    assert "2 articles were unpublished." in response.content.decode()
    assert list(Article.objects.published()) == [drafts[1]]


def test_the_view_count_cannot_be_edited(editor_client, make_article):
    article = make_article(view_count=18)
    change_url = reverse("admin:articles_article_change", args=[article.pk])

    response = editor_client.post(
        change_url, article_form_data(article.author, title="Corrected title", slug=article.slug, view_count="999")
    )

    assert response.status_code == 302
    article.refresh_from_db()
    assert (article.title, article.view_count) == ("Corrected title", 18)
    assertContains(editor_client.get(change_url), '<div class="readonly">18</div>', html=True)


def test_the_changelist_shows_filters_and_searches(editor_client, make_article, make_author):
    author = make_author(name="Colton Brown")
    make_article(title="Otters return", author=author, view_count=1234)
    make_article(title="Budget vote", status=Article.Status.DRAFT)

    listing = editor_client.get(CHANGELIST).content.decode()
    found = editor_client.get(CHANGELIST, {"q": "otters"})
    drafts = editor_client.get(CHANGELIST, {"publication": "draft"})
    by_author = editor_client.get(CHANGELIST, {"author__id__exact": author.pk})

    for column in ("title", "publication", "author", "published_at", "view_count"):
        assert f'class="field-{column}' in listing
    assertInHTML('<td class="field-view_count">1234</td>', listing)
    assert [article.title for article in found.context["cl"].result_list] == ["Otters return"]
    assert [article.title for article in drafts.context["cl"].result_list] == ["Budget vote"]
    assert [article.title for article in by_author.context["cl"].result_list] == ["Otters return"]
    assert '<nav class="toplinks">' in listing  # the date hierarchy


def test_view_on_site_previews_a_draft_for_the_editor_without_counting_a_view(editor_client, make_article):
    draft = make_article(title="Under embargo", status=Article.Status.DRAFT)
    change = editor_client.get(reverse("admin:articles_article_change", args=[draft.pk])).content.decode()
    view_on_site = re.search(r'<a href="([^"]+)" class="viewsitelink">', change).group(1)

    preview = editor_client.get(view_on_site, follow=True)

    assert preview.status_code == 200
    assert "Under embargo" in preview.content.decode()
    draft.refresh_from_db()
    assert draft.view_count == 0
    editor_client.logout()
    assert editor_client.get(draft.get_absolute_url()).status_code == 404


@pytest.mark.parametrize(
    "url",
    [
        reverse("admin:auth_user_changelist"),
        reverse("admin:auth_user_add"),
        reverse("admin:auth_group_changelist"),
        reverse("admin:auth_group_add"),
    ],
)
def test_an_editor_is_refused_users_and_groups(editor_client, url):
    assert editor_client.get(url).status_code == 403


def test_changelist_queries_do_not_grow_with_rows(editor_client, make_article, make_author, make_section):
    def add_articles(count):
        for _ in range(count):
            make_article(author=make_author(), section=make_section())

    editor_client.get(CHANGELIST)
    add_articles(2)
    with_two = queries_to_get(editor_client, CHANGELIST)
    add_articles(18)

    assert queries_to_get(editor_client, CHANGELIST) == with_two
