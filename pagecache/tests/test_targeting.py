"""A change makes stale only the pages that show it; unknown query parameters reach the same page."""

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.test import Client
from django.urls import reverse

from articles.models import Article, ArticleAuthor, ArticleNote
from comments.models import Comment
from pagecache.pages import page_key
from pagecache.tests.helpers import Work

pytestmark = pytest.mark.django_db


def served_from_cache(path, **headers):
    """The page, and whether it came from the cache (no template rendered, no query run)."""
    with Work() as work:
        response = Client().get(path, **headers)
    assert response.status_code == 200
    return response.content.decode(), work.templates == 0 and not work.queries.captured_queries


def test_approving_a_comment_stales_its_articles_pages_and_the_lists_of_counts_only(
    page_cache, make_article, make_comment, django_capture_on_commit_callbacks
):
    first, second = make_article(title="First story"), make_article(title="Second story")
    comment = make_comment(article=first, status=Comment.Status.PENDING, body="Now public.")
    for path in (first.get_absolute_url(), second.get_absolute_url(), "/"):
        Client().get(path)

    with django_capture_on_commit_callbacks(execute=True):
        Comment.objects.filter(pk=comment.pk).approve()

    first_page, first_cached = served_from_cache(first.get_absolute_url())
    second_page, second_cached = served_from_cache(second.get_absolute_url())
    home, home_cached = served_from_cache("/")
    assert "Now public." in first_page
    assert not first_cached
    assert second_cached
    assert "Second story" in second_page
    assert not home_cached  # its card of the first story shows the new comment count
    assert "One Comment" in home


@pytest.mark.parametrize("change", ["save", "unapprove", "delete"])
def test_editing_or_removing_a_comment_stales_its_article(
    page_cache, make_article, make_comment, django_capture_on_commit_callbacks, change
):
    article, other = make_article(), make_article()
    comment = make_comment(article=article, body="Said once.")
    Client().get(article.get_absolute_url())
    Client().get(other.get_absolute_url())

    with django_capture_on_commit_callbacks(execute=True):
        if change == "save":
            comment.body = "Said twice."
            comment.save()
        elif change == "unapprove":
            Comment.objects.filter(pk=comment.pk).unapprove()
        else:
            comment.delete()

    page, _ = served_from_cache(article.get_absolute_url())
    assert "Said once." not in page
    assert served_from_cache(other.get_absolute_url())[1]


def test_saving_an_article_stales_its_page_and_the_lists(page_cache, make_article, django_capture_on_commit_callbacks):
    article = make_article(title="Old headline")
    for path in (article.get_absolute_url(), "/", article.author.get_absolute_url()):
        Client().get(path)

    article.title = "New headline"
    with django_capture_on_commit_callbacks(execute=True):
        article.save()

    for path in (article.get_absolute_url(), "/", article.author.get_absolute_url()):
        page, cached = served_from_cache(path)
        assert "New headline" in page
        assert not cached


def test_an_edited_lead_image_shows_at_once(page_cache, make_article, make_image, django_capture_on_commit_callbacks):
    image = make_image(alt="An otter on a rock")
    article = make_article(lead_image=image)
    for path in (article.get_absolute_url(), "/"):
        Client().get(path)

    image.alt = "Two otters on a rock"
    with django_capture_on_commit_callbacks(execute=True):
        image.save()

    for path in (article.get_absolute_url(), "/"):
        assert 'alt="Two otters on a rock"' in served_from_cache(path)[0]


def test_tags_set_after_the_article_is_saved_reach_the_tag_page(
    page_cache, make_article, make_tag, django_capture_on_commit_callbacks
):
    tag = make_tag(name="Rivers")
    article = make_article(title="Otters return")
    Client().get(tag.get_absolute_url())

    with django_capture_on_commit_callbacks(execute=True):
        article.tags.add(tag)

    assert "Otters return" in served_from_cache(tag.get_absolute_url())[0]


@pytest.mark.parametrize("model", ["comment", "article"])
def test_bulk_delete_in_the_admin_stales_the_pages(
    page_cache, make_article, make_comment, admin_user, django_capture_on_commit_callbacks, model
):
    article = make_article(title="Withdrawn story")
    comment = make_comment(article=article, body="A libel to take down.")
    Client().get(article.get_absolute_url())
    Client().get("/")
    editor = Client()
    editor.force_login(admin_user)
    target = {"comment": comment, "article": article}[model]

    with django_capture_on_commit_callbacks(execute=True):
        response = editor.post(
            reverse(f"admin:{target._meta.app_label}_{model}_changelist"),
            {"action": "delete_selected", ACTION_CHECKBOX_NAME: [target.pk], "post": "yes"},
        )

    assert response.status_code == 302
    assert not type(target).objects.filter(pk=target.pk).exists()
    article_page = Client().get(article.get_absolute_url())
    assert "A libel to take down." not in article_page.content.decode()
    if model == "article":
        assert article_page.status_code == 404
        assert "Withdrawn story" not in served_from_cache("/")[0]


def test_a_deleted_articles_comments_go_with_it(
    page_cache, make_article, make_comment, django_capture_on_commit_callbacks
):
    article = make_article()
    make_comment(article=article)
    Client().get(article.get_absolute_url())

    with django_capture_on_commit_callbacks(execute=True):
        Article.objects.filter(pk=article.pk).delete()

    assert Client().get(article.get_absolute_url()).status_code == 404


def test_unknown_query_parameters_reach_the_cached_page(page_cache, article, rf):
    path = article.get_absolute_url()
    Client().get(path)

    for query in ("?utm_source=newsletter&utm_medium=email", "?x=8f2c1a", "?fbclid=1&page="):
        page, cached = served_from_cache(path + query)
        assert cached, query
        assert "x=8f2c1a" not in page
    assert page_key(rf.get(path + "?utm_source=a")) == page_key(rf.get(path))
    assert page_key(rf.get("/?q=otters&utm_source=a")) == page_key(rf.get("/?q=otters"))
    assert page_key(rf.get("/?q=otters")) != page_key(rf.get("/?q=rivers"))
    assert page_key(rf.get(path + "?replytocom=3")) != page_key(rf.get(path))


def test_pagination_links_keep_only_what_the_page_reads(page_cache, make_article, settings):
    settings.ARTICLES_PER_PAGE = 1
    make_article()
    make_article()

    page = Client().get("/?utm_campaign=spring&page=1").content.decode()

    assert "utm_campaign" not in page
    assert 'href="?page=2"' in page


@pytest.mark.parametrize("change", ["correction", "co-author"])
def test_a_correction_or_a_co_author_stales_the_pages_that_show_it(
    page_cache, make_article, make_author, django_capture_on_commit_callbacks, change
):
    article, other = make_article(), make_article()
    Client().get(article.get_absolute_url())
    Client().get(other.get_absolute_url())

    with django_capture_on_commit_callbacks(execute=True):
        if change == "correction":
            ArticleNote.objects.create(article=article, text="An earlier version misspelt the mayor's name.")
            shown = "misspelt the mayor"
        else:
            ArticleAuthor.objects.create(article=article, author=make_author(name="Second Byline"), position=1)
            shown = "Second Byline"

    page, cached = served_from_cache(article.get_absolute_url())
    assert not cached
    assert shown in page
    # A byline is shown wherever the article is listed, "Related" on other articles' pages included.
    assert served_from_cache(other.get_absolute_url())[1] == (change == "correction")


def test_bulk_changes_of_articles_tell_the_page_cache(make_article, pages_changed_sent):
    article = make_article(status=Article.Status.DRAFT)
    articles = Article.objects.filter(pk=article.pk)

    articles.publish()
    articles.update(title="A new headline")
    articles.update(body="<p>A new body.</p>")
    articles.render_bodies()
    articles.update(view_count=3)

    assert pages_changed_sent == [(Article, [article.pk])] * 4


def test_a_changed_comment_count_tells_the_page_cache(make_article, make_comment, pages_changed_sent):
    article = make_article()
    comment = make_comment(article=article, status=Comment.Status.PENDING)
    pages_changed_sent.clear()

    Comment.objects.filter(pk=comment.pk).approve()

    assert (Comment, [comment.pk]) in pages_changed_sent
    assert (Article, [article.pk]) in pages_changed_sent
