"""``Article.comment_count``: the approved comments of each article, stored, kept up to date on every change."""

import importlib
from pathlib import Path

import pytest
from django.apps import apps
from django.core.management import call_command

from articles.models import Article
from comments.models import Comment
from comments.privacy import erase_personal_data

pytestmark = pytest.mark.django_db

EXPORT = Path(__file__).parent / "fixtures" / "wordpress-export.xml"


def stored_count(article):
    return Article.objects.values_list("comment_count", flat=True).get(pk=article.pk)


def test_saving_counts_approved_comments_only(article, make_comment):
    make_comment()
    pending = make_comment(status=Comment.Status.PENDING)
    assert stored_count(article) == 1

    pending.status = Comment.Status.APPROVED
    pending.save()
    assert stored_count(article) == 2

    pending.status = Comment.Status.SPAM
    pending.save()
    assert stored_count(article) == 1


def test_moving_a_comment_to_another_article_counts_on_both(article, make_article, make_comment):
    other = make_article()
    comment = make_comment()

    comment = Comment.objects.get(pk=comment.pk)
    comment.article = other
    comment.save()

    assert stored_count(article) == 0
    assert stored_count(other) == 1


def test_deleting_comments_counts_them_out(article, make_comment):
    first, second, third = make_comment(), make_comment(), make_comment()
    make_comment(status=Comment.Status.PENDING)

    first.delete()
    assert stored_count(article) == 2

    Comment.objects.filter(pk__in=[second.pk, third.pk]).delete()
    assert stored_count(article) == 0


@pytest.mark.parametrize(("change", "expected"), [("approve", 2), ("unapprove", 0), ("mark_spam", 0), ("trash", 0)])
def test_each_bulk_status_change_counts_again(article, make_article, make_comment, change, expected):
    other = make_article()
    for each in (article, other):
        make_comment(article=each)
        make_comment(article=each, status=Comment.Status.PENDING)

    getattr(Comment.objects.all(), change)()

    assert stored_count(article) == stored_count(other) == expected


def test_the_wordpress_import_counts_the_approved_comments(tmp_path):
    call_command("importwxr", str(EXPORT))
    article = Article.objects.get(wordpress_id=101)
    assert stored_count(article) == article.comments.approved().count() == 2

    export = tmp_path / "export.xml"
    export.write_text(
        EXPORT.read_text(encoding="utf-8").replace(
            "<wp:comment_approved><![CDATA[0]]></wp:comment_approved>",
            "<wp:comment_approved><![CDATA[1]]></wp:comment_approved>",
            1,
        ),
        encoding="utf-8",
    )
    call_command("importwxr", str(export))
    assert stored_count(article) == 3


def test_erasing_personal_data_keeps_the_counts(article, make_comment):
    make_comment(email="reader@readers.example")
    make_comment(email="reader@readers.example", status=Comment.Status.PENDING)

    erase_personal_data("reader@readers.example", delete_text=True)

    assert stored_count(article) == 1


def test_saving_a_loaded_article_keeps_the_count_comments_changed_since(article, make_comment):
    loaded = Article.objects.get(pk=article.pk)
    make_comment()

    loaded.title = "A new title"
    loaded.save()

    assert stored_count(article) == 1
    assert Article.objects.get(pk=article.pk).title == "A new title"


def test_the_migration_fills_the_counts(article, make_article, make_comment):
    make_comment()
    make_comment()
    make_comment(status=Comment.Status.PENDING)
    silent = make_article()
    Article.objects.update(comment_count=7)

    migration = importlib.import_module("comments.migrations.0006_fill_article_comment_counts")
    migration.fill_comment_counts(apps, None)

    assert stored_count(article) == 2
    assert stored_count(silent) == 0
