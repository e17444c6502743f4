"""Revisions of articles: recorded on every kind of save, listed, compared and restored by editors."""

from pathlib import Path

import pytest
from django.contrib.auth.models import Permission
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from pytest_django.asserts import assertContains, assertInHTML, assertNotContains
from reversion.models import Version

from articles.models import Article
from articles.tests.helpers import article_form_data

pytestmark = pytest.mark.django_db

SAVED_PAGE = Path(__file__).parent / "fixtures" / "article-page.txt"
WORDPRESS_EXPORT = Path(__file__).parents[2] / "comments" / "tests" / "fixtures" / "wordpress-export.xml"


def versions(article):
    return list(Version.objects.get_for_object(article).select_related("revision__user").order_by("pk"))


def change_url(article):
    return reverse("admin:articles_article_change", args=[article.pk])


def edit(client, article, **changes):
    """Save the article through its admin form with ``changes``."""
    published_at = timezone.localtime(article.published_at)
    kept = {
        "slug": article.slug,
        "title": article.title,
        "body": article.body,
        "published_at_0": published_at.strftime("%Y-%m-%d"),
        "published_at_1": published_at.strftime("%H:%M:%S"),
    }
    data = article_form_data(article.author, **{**kept, **changes})
    response = client.post(change_url(article), data)
    assert response.status_code == 302, response.context["errors"] if response.context else response
    article.refresh_from_db()


@pytest.fixture
def story(make_article, make_tag, make_author):
    return make_article(title="Otters return", body="The otters are back.", tags=[make_tag(name="Wildlife")])


def test_each_save_in_the_admin_keeps_a_revision_by_the_editor(editor_client, editor, story, make_tag, make_author):
    rivers = make_tag(name="Rivers")
    edit(editor_client, story, body="The oters are back.", tags=[rivers.pk])
    coauthor = make_author(name="Bea")
    edit(
        editor_client,
        story,
        body="The otters are back.",
        tags=[rivers.pk],
        **{
            "article_authors-TOTAL_FORMS": "1",
            "article_authors-0-author": coauthor.pk,
            "article_authors-0-position": "1",
        },
    )

    first, second = versions(story)
    assert (first.revision.user, second.revision.user) == (editor, editor)
    assert first.field_dict["body"] == "<p>The oters are back.</p>"
    assert first.field_dict["tags"] == [rivers.pk]
    assert second.field_dict["body"] == "<p>The otters are back.</p>"
    assert [v.field_dict["author_id"] for v in second.revision.version_set.exclude(pk=second.pk)] == [coauthor.pk]


def test_restoring_a_revision_brings_back_text_tags_and_co_authors_but_not_old_view_counts(
    editor_client, story, make_tag, make_author
):
    wildlife = list(story.tags.all())
    edit(editor_client, story, tags=[tag.pk for tag in wildlife])
    earlier = versions(story)[0]
    edit(
        editor_client,
        story,
        title="Otters are back",
        tags=[make_tag(name="Rivers").pk],
        **{
            "article_authors-TOTAL_FORMS": "1",
            "article_authors-0-author": make_author(name="Bea").pk,
            "article_authors-0-position": "1",
        },
    )
    Article.objects.filter(pk=story.pk).update(view_count=500)
    restore_url = reverse("admin:articles_article_revision", args=[story.pk, earlier.pk])

    form = editor_client.get(restore_url)
    assertContains(form, 'value="Otters return"')
    data = article_form_data(story.author, slug=story.slug, title="Otters return", tags=[tag.pk for tag in wildlife])
    restored = editor_client.post(restore_url, {**data, "body": story.body})

    assert restored.status_code == 302
    story.refresh_from_db()
    assert story.title == "Otters return"
    assert list(story.tags.all()) == wildlife
    assert story.bylines == [story.author]
    assert story.view_count == 500
    assert "Reverted to previous version" in versions(story)[-1].revision.get_comment()


def test_bulk_actions_keep_one_revision_per_article(editor_client, editor, make_article):
    drafts = [make_article(status=Article.Status.DRAFT) for _ in range(2)]

    editor_client.post(
        reverse("admin:articles_article_changelist"),
        {"action": "publish", "_selected_action": [article.pk for article in drafts]},
    )

    for article in drafts:
        (version,) = versions(article)
        assert version.field_dict["status"] == Article.Status.PUBLISHED
        assert version.revision.user == editor
        assert version.revision.get_comment() == "Published."
        assert version.revision.version_set.count() == 1
    Article.objects.filter(pk=drafts[0].pk).unpublish()
    assert versions(drafts[0])[-1].field_dict["status"] == Article.Status.DRAFT


def test_imports_keep_a_revision_of_what_they_wrote():
    call_command("importwxr", str(WORDPRESS_EXPORT))
    call_command("importpage", str(SAVED_PAGE))

    for article in Article.objects.all():
        (version,) = versions(article)
        assert version.field_dict["body"] == article.body
        assert version.revision.user is None
        assert version.revision.get_comment().startswith("Imported from")


@pytest.fixture
def two_revisions(editor_client, story):
    edit(editor_client, story, body="The oters are back.\n\nThey were seen at dawn.")
    edit(editor_client, story, title="Otters are back", body="The otters are back.\n\nThey were seen at dawn.")
    return versions(story)


def test_the_history_lists_revisions_to_compare(editor_client, story, two_revisions):
    history = editor_client.get(reverse("admin:articles_article_history", args=[story.pk])).content.decode()

    older, newer = two_revisions
    assertInHTML(f'<input type="radio" name="old" value="{older.pk}" id="old-{older.pk}" checked>', history)
    assertInHTML(f'<input type="radio" name="new" value="{newer.pk}" id="new-{newer.pk}" checked>', history)
    assert f'<label for="old-{older.pk}" class="visually-hidden">Compare from the revision of' in history
    assertInHTML('<input type="submit" class="default" value="Compare selected revisions">', history)


def test_comparing_two_revisions_shows_what_changed_field_by_field(editor_client, story, two_revisions):
    older, newer = two_revisions
    compare_url = reverse("admin:articles_article_compare", args=[story.pk])

    # Chosen either way round, the older revision is the "before".
    page = editor_client.get(compare_url, {"old": newer.pk, "new": older.pk})

    assert page.status_code == 200
    html = page.content.decode()
    assertInHTML(
        '<p class="revision-diff">&lt;p&gt;The <del><span class="visually-hidden">removed: </span>oters</del>'
        '<ins><span class="visually-hidden">added: </span>otters</ins> are back.&lt;/p&gt;</p>',
        html,
    )
    assert "1 other paragraph unchanged." in html
    assertInHTML('<h2 id="change-1">Title</h2>', html)
    assert [change.label for change in page.context["changes"]] == ["Title", "Body"]
    restore_url = reverse("admin:articles_article_revision", args=[story.pk, older.pk])
    assert f'<a href="{restore_url}" class="button">Restore the revision of' in html


@pytest.mark.parametrize("query", [{}, {"old": "x", "new": "1"}, {"old": "999999", "new": "999998"}, "same"])
def test_comparing_needs_two_revisions_of_the_article(editor_client, story, two_revisions, make_article, query):
    if query == "same":
        query = {"old": two_revisions[0].pk, "new": two_revisions[0].pk}
    page = editor_client.get(reverse("admin:articles_article_compare", args=[story.pk]), query)

    assert page.status_code == 400
    assertContains(page, "Back to the revision history", status_code=400)


def test_only_staff_who_may_change_articles_compare_revisions(client, django_user_model, story, two_revisions):
    older, newer = two_revisions
    compare_url = reverse("admin:articles_article_compare", args=[story.pk])
    viewer = django_user_model.objects.create_user("viewer", is_staff=True)
    viewer.user_permissions.add(Permission.objects.get(codename="view_article"))
    client.force_login(viewer)

    assert client.get(compare_url, {"old": older.pk, "new": newer.pk}).status_code == 403
    history = client.get(reverse("admin:articles_article_history", args=[story.pk]))
    assertContains(history, "Revisions, newest first")
    assertNotContains(history, "Compare selected revisions")
    client.logout()
    assert client.get(compare_url, {"old": older.pk, "new": newer.pk}).status_code == 302  # to the login page


def test_articles_from_before_revisions_get_a_first_one_on_demand(make_article, make_author):
    article = make_article(coauthors=[make_author()])

    call_command("createinitialrevisions", "articles.Article", comment="Before revisions were kept.", verbosity=0)

    (version,) = versions(article)
    assert version.revision.get_comment() == "Before revisions were kept."
    assert version.revision.version_set.count() == 2  # the article and its co-author
