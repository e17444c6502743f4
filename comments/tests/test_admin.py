import importlib
import re
from types import SimpleNamespace
from urllib.parse import urlencode

import pytest
from django.apps import apps
from django.contrib.auth.models import Group, Permission
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.html import escape
from pytest_django.asserts import assertContains, assertInHTML, assertNotContains

from articles.models import Article
from comments.models import Comment, DiscussionSettings

pytestmark = pytest.mark.django_db

QUEUE = reverse("admin:comments_comment_changelist")
PENDING_QUEUE = f"{QUEUE}?status__exact=pending"
editors_migration = importlib.import_module("comments.migrations.0003_editors_group")
images_editors_migration = importlib.import_module("images.migrations.0002_editors_manage_images")
coauthors_migration = importlib.import_module("comments.migrations.0005_editors_edit_bylines_and_notes")
bans_migration = importlib.import_module("comments.migrations.0011_held_reason_bans")
reports_migration = importlib.import_module("comments.migrations.0013_editors_delete_reports")


def run_action(client, action, *comments):
    return client.post(QUEUE, {"action": action, "_selected_action": [comment.pk for comment in comments]}, follow=True)


def listed(response):
    return list(response.context["cl"].result_list)


def test_editors_can_list_search_and_open_comments(editor_client, make_comment):
    comment = make_comment(author="Ann Lee", email="ann@readers.example")

    changelist = editor_client.get(QUEUE, {"q": "ann@readers", "status__exact": "approved"})
    change = editor_client.get(reverse("admin:comments_comment_change", args=[comment.pk]))

    assert changelist.status_code == 200
    assert "Ann Lee" in changelist.content.decode()
    assert change.status_code == 200
    assert "ann@readers.example" in change.content.decode()


def test_an_editor_approves_one_comment_and_marks_another_as_spam(editor_client, client, article, make_comment):
    good = make_comment(status=Comment.Status.PENDING, body="A thoughtful reply.")
    bad = make_comment(status=Comment.Status.PENDING, body="Cheap watches here.")

    approved = run_action(editor_client, "approve", good)
    marked = run_action(editor_client, "mark_spam", bad)

    assert "1 comment approved." in approved.content.decode()
    assert "1 comment marked as spam." in marked.content.decode()
    good.refresh_from_db()
    bad.refresh_from_db()
    assert (good.status, bad.status) == (Comment.Status.APPROVED, Comment.Status.SPAM)
    editor_client.logout()
    page = client.get(article.get_absolute_url()).content.decode()
    assert "A thoughtful reply." in page
    assert "Cheap watches here." not in page


@pytest.mark.parametrize(
    ("action", "description", "message"),
    [
        ("approve", "Approve", "2 comments approved."),
        ("unapprove", "Unapprove", "2 comments unapproved."),
        ("mark_spam", "Mark as spam", "2 comments marked as spam."),
        ("trash", "Move to trash", "2 comments moved to the trash."),
    ],
)
def test_each_bulk_action_says_how_many_comments_it_changed(editor_client, make_comment, action, description, message):
    # Three selected: two change, and one already has the status the action gives (or, for Unapprove, is pending).
    statuses = {
        "approve": ["pending", "spam", "approved"],
        "unapprove": ["approved", "approved", "pending"],
        "mark_spam": ["pending", "approved", "spam"],
        "trash": ["pending", "spam", "trash"],
    }[action]
    comments = [make_comment(status=status) for status in statuses]

    listing = editor_client.get(QUEUE).content.decode()
    response = run_action(editor_client, action, *comments)

    assertInHTML(f'<option value="{action}">{description}</option>', listing)
    assert message in response.content.decode()


def test_the_queue_lists_pending_comments_first_then_the_newest(editor_client, make_comment):
    old_approved = make_comment()
    old_pending = make_comment(status=Comment.Status.PENDING)
    new_spam = make_comment(status=Comment.Status.SPAM)
    new_pending = make_comment(status=Comment.Status.PENDING)

    assert listed(editor_client.get(QUEUE)) == [new_pending, old_pending, new_spam, old_approved]


def test_the_status_filter_counts_each_status(editor_client, make_comment):
    for status, count in [("pending", 3), ("approved", 2), ("spam", 1)]:
        for _ in range(count):
            make_comment(status=status)

    listing = editor_client.get(QUEUE).content.decode()
    pending = editor_client.get(PENDING_QUEUE)

    for label in ("Pending (3)", "Approved (2)", "Spam (1)", "Trash (0)"):
        assert label in listing
    assert len(listed(pending)) == 3
    assert {comment.status for comment in listed(pending)} == {"pending"}


def test_the_queue_shows_what_moderation_needs(editor_client, article, make_comment):
    make_comment(
        author="Ann Lee",
        email="ann@readers.example",
        ip_address="203.0.113.7",
        body="An opinion. " * 20,
        status=Comment.Status.PENDING,
    )

    row = editor_client.get(QUEUE).content.decode()

    article_url = reverse("admin:articles_article_change", args=[article.pk])
    assertInHTML(f'<a href="{article_url}">{article.title}</a>', row)
    for shown in ("Ann Lee", "ann@readers.example", "203.0.113.7", "Pending", "An opinion. An opinion."):
        assert shown in row
    assert "An opinion. " * 20 not in row


@pytest.mark.parametrize("query", ["Ann Lee", "ann@readers", "otters", "203.0.113.7"])
def test_the_queue_searches_names_emails_text_and_ip_addresses(editor_client, make_comment, query):
    wanted = make_comment(
        author="Ann Lee", email="ann@readers.example", body="About the otters.", ip_address="203.0.113.7"
    )
    make_comment(author="Bob", email="bob@readers.example", body="About the budget.", ip_address="198.51.100.2")

    assert listed(editor_client.get(QUEUE, {"q": query})) == [wanted]


def test_the_articles_list_counts_approved_and_pending_comments(editor_client, article, make_article, make_comment):
    quiet = make_article()
    for status in ("approved", "approved", "pending", "spam"):
        make_comment(status=status)

    listing = editor_client.get(reverse("admin:articles_article_changelist"))

    counts = {row.pk: (row.approved_comment_count, row.pending_comment_count) for row in listed(listing)}
    assert counts == {article.pk: (2, 1), quiet.pk: (0, 0)}
    pending_url = f"{QUEUE}?article__id__exact={article.pk}&amp;status__exact=pending"
    assertContains(listing, f'<td class="field-pending_comments"><a href="{pending_url}">1</a></td>', html=True)
    assertContains(listing, '<td class="field-approved_comments">2</td>', html=True)


def test_an_articles_page_lists_its_comments_pending_first(editor_client, article, make_comment):
    approved = make_comment(author="Early Reader")
    pending = make_comment(author="Late Reader", status=Comment.Status.PENDING)

    change = editor_client.get(reverse("admin:articles_article_change", args=[article.pk]))

    inline = change.context["inline_admin_formsets"][-1]
    assert [form.original for form in inline] == [pending, approved]
    assert not inline.has_add_permission
    assert not inline.formset.can_delete
    assert list(inline.formset.form.base_fields) == ["status"]


def test_changelist_queries_do_not_grow_with_rows(editor_client, make_article, make_comment):
    def queries(url):
        with CaptureQueriesContext(connection) as captured:
            assert editor_client.get(url).status_code == 200
        return len(captured)

    def add_comments(count):
        for _ in range(count):
            article = make_article()
            make_comment(article=article, status=Comment.Status.PENDING)
            make_comment(article=article)

    articles = reverse("admin:articles_article_changelist")
    editor_client.get(QUEUE)
    editor_client.get(articles)
    add_comments(2)
    with_two = (queries(QUEUE), queries(articles))
    add_comments(18)

    assert (queries(QUEUE), queries(articles)) == with_two


def test_the_admin_home_shows_how_many_comments_await_moderation(editor_client, make_comment):
    for _ in range(3):
        make_comment(status=Comment.Status.PENDING)
    make_comment()

    home = editor_client.get(reverse("admin:index")).content.decode()

    assertInHTML(f'<a href="{PENDING_QUEUE}">3 comments awaiting moderation</a>', home)


def test_the_admin_home_hides_the_queue_from_who_may_not_see_comments(client, django_user_model, make_comment):
    make_comment(status=Comment.Status.PENDING)
    client.force_login(django_user_model.objects.create_user("intern", is_staff=True))

    home = client.get(reverse("admin:index"))

    assert home.status_code == 200
    assert "awaiting moderation" not in home.content.decode()


def test_the_editors_group_has_exactly_what_editors_need():
    editors = Group.objects.get(name="Editors")

    permissions = {
        f"{app_label}.{codename}"
        for app_label, codename in editors.permissions.values_list("content_type__app_label", "codename")
    }

    assert permissions == {
        *(
            f"articles.{action}_{model}"
            for action in ("add", "change", "delete", "view")
            for model in ("article", "author", "section", "tag", "articleauthor", "articlenote")
        ),
        "comments.view_comment",
        "comments.change_comment",
        "comments.delete_comment",
        "comments.view_discussionsettings",
        "comments.change_discussionsettings",
        *(f"comments.{action}_commentban" for action in ("add", "change", "delete", "view")),
        "comments.view_commentreport",
        "comments.delete_commentreport",
        *(f"images.{action}_image" for action in ("add", "change", "delete", "view")),
    }


def test_the_editors_migration_is_reversible():
    schema_editor = SimpleNamespace(connection=connection)
    before = set(Group.objects.get(name="Editors").permissions.all())

    editors_migration.delete_editors_group(apps, schema_editor)
    assert not Group.objects.filter(name="Editors").exists()

    editors_migration.create_editors_group(apps, schema_editor)
    images_editors_migration.editors_manage_images(apps, schema_editor)
    coauthors_migration.grant_editors(apps, schema_editor)
    bans_migration.editors_manage_bans(apps, schema_editor)
    reports_migration.editors_delete_reports(apps, schema_editor)
    assert set(Group.objects.get(name="Editors").permissions.all()) == before

    images_editors_migration.editors_stop_managing_images(apps, schema_editor)
    assert not Group.objects.get(name="Editors").permissions.filter(content_type__app_label="images").exists()


def test_discussion_settings_are_one_page_never_a_list(editor_client):
    settings = DiscussionSettings.load()
    change_url = reverse("admin:comments_discussionsettings_change", args=[settings.pk])

    listing = editor_client.get(reverse("admin:comments_discussionsettings_changelist"))
    saved = editor_client.post(change_url, {"moderation_keys": "casino", "disallowed_keys": ""})

    assert listing.status_code == 302
    assert listing.url == change_url
    assert editor_client.get(reverse("admin:comments_discussionsettings_add")).status_code == 403
    assert editor_client.get(reverse("admin:comments_discussionsettings_delete", args=[settings.pk])).status_code == 403
    assert saved.status_code == 302
    assert DiscussionSettings.load().moderation_keys == "casino"
    assert DiscussionSettings.objects.count() == 1


def moderate_url(comment, action, back=PENDING_QUEUE):
    return f"{reverse('admin:comments_comment_moderate', args=[comment.pk, action])}?{urlencode({'next': back})}"


def reply_url(comment, back=PENDING_QUEUE):
    return f"{reverse('admin:comments_comment_reply', args=[comment.pk])}?{urlencode({'next': back})}"


SHORTCUTS = {"approve": "a", "unapprove": "u", "hold": "u", "mark_spam": "s", "trash": "t"}


def row_button(comment, action, label, back):
    action_url = escape(moderate_url(comment, action, back))
    key = SHORTCUTS[action]
    return (
        f'<button type="submit" class="button" form="row-moderation" formaction="{action_url}" data-shortcut="{key}"'
        f' aria-keyshortcuts="{key}">{label}</button>'
    )


@pytest.mark.parametrize(
    ("status", "buttons"),
    [
        ("pending", [("approve", "Approve"), ("mark_spam", "Spam"), ("trash", "Trash")]),
        ("approved", [("unapprove", "Unapprove"), ("mark_spam", "Spam"), ("trash", "Trash")]),
        ("spam", [("approve", "Approve"), ("hold", "Pending"), ("trash", "Trash")]),
        ("trash", [("approve", "Approve"), ("hold", "Pending"), ("mark_spam", "Spam")]),
    ],
)
def test_each_row_carries_the_buttons_that_apply_to_it(editor_client, make_comment, status, buttons):
    comment = make_comment(status=status)

    listing = editor_client.get(QUEUE, {"status__exact": status}).content.decode()

    back = f"{QUEUE}?status__exact={status}"
    expected = "".join(row_button(comment, action, label, back) for action, label in buttons)
    if status in ("pending", "approved"):
        expected += f'<a class="button" href="{escape(reply_url(comment, back))}">Reply</a>'
    assertInHTML(f'<div class="row-buttons" data-comment="{comment}">{expected}</div>', listing)
    assertInHTML('<form id="row-moderation" method="post" hidden></form>', re.sub(r"<input[^>]*>", "", listing))


def test_a_row_button_moderates_its_comment_and_returns_to_the_filtered_list(editor_client, article, make_comment):
    comment = make_comment(status=Comment.Status.PENDING)
    other = make_comment(status=Comment.Status.PENDING)
    back = f"{PENDING_QUEUE}&q=Reader&p=1"

    response = editor_client.post(moderate_url(comment, "approve", back))

    assert response.status_code == 302
    assert response["Location"] == back
    comment.refresh_from_db()
    other.refresh_from_db()
    assert (comment.status, other.status) == (Comment.Status.APPROVED, Comment.Status.PENDING)
    assert Article.objects.get(pk=article.pk).comment_count == 1
    assertContains(editor_client.get(back), "1 comment approved.")


@pytest.mark.parametrize(("action", "status"), [("unapprove", "pending"), ("mark_spam", "spam"), ("trash", "trash")])
def test_every_row_button_changes_the_status(editor_client, make_comment, action, status):
    comment = make_comment()

    editor_client.post(moderate_url(comment, action))

    comment.refresh_from_db()
    assert comment.status == status


def test_a_row_button_only_posts_and_only_knows_its_actions(editor_client, make_comment):
    comment = make_comment(status=Comment.Status.PENDING)

    assert editor_client.get(moderate_url(comment, "approve")).status_code == 405
    assert editor_client.post(moderate_url(comment, "delete")).status_code == 404
    assert editor_client.post(moderate_url(SimpleNamespace(pk=999999), "approve")).status_code == 404
    comment.refresh_from_db()
    assert comment.is_pending


def test_a_row_button_never_returns_to_another_site(editor_client, make_comment):
    comment = make_comment(status=Comment.Status.PENDING)

    response = editor_client.post(moderate_url(comment, "approve", back="https://elsewhere.example/"))

    assert response["Location"] == QUEUE


def test_a_row_button_needs_the_csrf_token(editor, make_comment):
    comment = make_comment(status=Comment.Status.PENDING)
    client = Client(enforce_csrf_checks=True)
    client.force_login(editor)

    assert client.post(moderate_url(comment, "approve")).status_code == 403
    comment.refresh_from_db()
    assert comment.is_pending


def test_who_may_only_view_comments_gets_no_buttons_and_cannot_moderate(client, django_user_model, make_comment):
    viewer = django_user_model.objects.create_user("viewer", is_staff=True)
    viewer.user_permissions.add(Permission.objects.get(codename="view_comment"))
    client.force_login(viewer)
    comment = make_comment(status=Comment.Status.PENDING)

    listing = client.get(QUEUE)

    assert listing.status_code == 200
    assertNotContains(listing, 'class="row-buttons"')
    assert client.post(moderate_url(comment, "approve")).status_code == 403
    assert client.get(reply_url(comment)).status_code == 403
    comment.refresh_from_db()
    assert comment.is_pending


def test_an_editor_replies_under_their_name_and_the_reply_is_published(editor_client, editor, article, make_comment):
    editor.first_name, editor.last_name, editor.email = "Edna", "Ward", "edna@news.example"
    editor.save()
    comment = make_comment(author="Ann Lee", body="Where does the figure come from?", status=Comment.Status.PENDING)

    form = editor_client.get(reply_url(comment))
    assertContains(form, "Where does the figure come from?")
    assertContains(form, "replying approves it")
    response = editor_client.post(reply_url(comment), {"body": "From the ministry report.", "next": PENDING_QUEUE})

    assert response.status_code == 302
    assert response["Location"] == PENDING_QUEUE
    reply = Comment.objects.get(parent=comment)
    assert (reply.author, reply.email, reply.body, reply.status, reply.article) == (
        "Edna Ward",
        "edna@news.example",
        "From the ministry report.",
        Comment.Status.APPROVED,
        article,
    )
    comment.refresh_from_db()
    assert comment.status == Comment.Status.APPROVED
    assert Article.objects.get(pk=article.pk).comment_count == 2
    assertContains(editor_client.get(PENDING_QUEUE), "Your reply to Ann Lee is published.")
    assertContains(editor_client.get(article.get_absolute_url()), "From the ministry report.")


def test_a_refused_reply_keeps_what_the_editor_typed(editor_client, make_comment):
    comment = make_comment()

    response = editor_client.post(reply_url(comment), {"body": "Typed\x07 with a bell", "next": PENDING_QUEUE})

    assert response.status_code == 200
    assertContains(response, "Remove the invisible control characters from this field.")
    assertContains(response, "Typed\x07 with a bell")
    assert not Comment.objects.filter(parent=comment).exists()
    assert editor_client.post(reply_url(comment), {"body": "  "}).status_code == 200


def test_spam_and_trash_get_no_reply(editor_client, make_comment):
    for status in (Comment.Status.SPAM, Comment.Status.TRASH):
        assert editor_client.get(reply_url(make_comment(status=status))).status_code == 404
