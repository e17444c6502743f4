import re

import pytest
from django.core import mail
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from pytest_django.asserts import assertContains, assertInHTML

from articles.models import Article
from comments.models import Comment
from comments.tests.helpers import comment_form_data, posted_from

pytestmark = pytest.mark.django_db


def post_url(article):
    return reverse("comments:post", args=[article.pk])


def comments_section(response):
    html = response.content.decode()
    return html[html.index('<section id="comments"') : html.index("</section>", html.index('<section id="comments"'))]


def comment_item(response, comment):
    """The HTML of one comment's <article>, without its replies."""
    html = response.content.decode()
    start = html.index(f'<li id="comment-{comment.pk}"')
    return html[start : html.index("</article>", start)]


def test_a_comment_posted_to_the_articles_address_is_refused_there_with_what_was_typed(client, article):
    typed = comment_form_data(article, comment="Kept <word> for word.", email="not-an-email")

    refused = client.post(article.get_absolute_url(), typed)
    accepted = client.post(article.get_absolute_url(), {**typed, "email": "ann@readers.example"})

    assert refused.status_code == 400
    assert refused.wsgi_request.path == article.get_absolute_url()
    assertInHTML(
        '<textarea name="comment" cols="45" rows="8" aria-required="true" maxlength="65525" required id="comment">'
        "\nKept &lt;word&gt; for word.</textarea>",
        refused.content.decode(),
    )
    comment = Comment.objects.get()
    assert accepted.status_code == 302
    assert accepted["Location"] == f"{article.get_absolute_url()}#comment-{comment.pk}"


def test_article_page_has_the_leave_a_reply_form(client, article):
    html = comments_section(client.get(article.get_absolute_url()))

    assertInHTML('<h2 id="reply-title" class="comment-respond__title">Leave a Reply</h2>', html)
    assert "Your email address will not be published. Required fields are marked *" in html
    assert f'action="{article.get_absolute_url()}" method="post"' in html
    assert 'name="csrfmiddlewaretoken"' in html
    positions = [html.index(f'name="{name}"') for name in ("comment", "author", "email", "url")]
    assert positions == sorted(positions)
    assert html.index('name="url"') < html.index('name="wp-comment-cookies-consent"') < html.index("Post Comment")
    assertInHTML('<input type="hidden" name="comment_parent" id="comment_parent">', html)
    for name, label in [("comment", "Comment"), ("author", "Name"), ("email", "Email")]:
        assertInHTML(
            f'<label for="{name}">{label} <span class="required" aria-hidden="true">*</span>'
            '<span class="visually-hidden"> (required)</span></label>',
            html,
        )
        tag = re.search(rf'<(?:input|textarea)[^>]*name="{name}"[^>]*>', html).group()
        assert ' required id="' in tag
        assert 'aria-required="true"' in tag
    assertInHTML('<label for="url">Website</label>', html)
    assertInHTML(
        '<input type="checkbox" name="wp-comment-cookies-consent" id="wp-comment-cookies-consent"> '
        '<label for="wp-comment-cookies-consent">Save my name, email, and website in this browser for the next time I '
        "comment.</label>",
        html,
    )
    assert "Comments are closed." not in html


def test_posting_saves_a_pending_comment_and_redirects_to_it(client, article):
    response = client.post(
        post_url(article),
        comment_form_data(article, url="ann.example"),
        HTTP_USER_AGENT="Test browser",
        REMOTE_ADDR="203.0.113.9",
    )

    comment = Comment.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"{article.get_absolute_url()}#comment-{comment.pk}"
    assert (comment.article, comment.author, comment.email, comment.url, comment.body) == (
        article,
        "Ann Lee",
        "ann@readers.example",
        "https://ann.example",
        "A fair point.",
    )
    assert comment.status == Comment.Status.PENDING
    assert (comment.ip_address, comment.user_agent) == ("203.0.113.9", "Test browser")


def test_only_the_commenter_sees_their_pending_comment(client, article):
    client.post(post_url(article), comment_form_data(article, comment="Waiting for the editors."))
    comment = Comment.objects.get()

    own_view = client.get(article.get_absolute_url())
    other_view = Client().get(article.get_absolute_url())

    assert "Your comment is awaiting moderation." in comment_item(own_view, comment)
    assert "Waiting for the editors." in comment_item(own_view, comment)
    other_html = other_view.content.decode()
    for trace in ("Waiting for the editors.", "Ann Lee", f"comment-{comment.pk}", "awaiting moderation", "1 Comment"):
        assert trace not in other_html
    assert "One Comment" not in other_html


def test_own_pending_comment_has_no_links(client, article):
    client.post(
        post_url(article),
        comment_form_data(article, url="https://ann.example", comment="See https://example.com and www.example.org"),
    )
    comment = Comment.objects.get()

    item = comment_item(client.get(article.get_absolute_url()), comment)

    assert not re.search(r"<a[\s>]", item)
    assert "https://ann.example" in item
    assert "See https://example.com and www.example.org" in item


def test_known_commenter_is_published_at_once(client, article, make_comment):
    posted_from(client, make_comment(author="Ann Lee", email="ann@readers.example"))

    client.post(post_url(article), comment_form_data(article, comment="Straight through."))

    assert Comment.objects.get(body="Straight through.").status == Comment.Status.APPROVED
    html = Client().get(article.get_absolute_url()).content.decode()
    assert "Straight through." in html
    assert "2 Comments" in html


def test_reply_is_nested_under_its_parent(client, article, make_comment, settings):
    settings.COMMENTS_MODERATION = False
    parent = make_comment()

    response = client.post(
        post_url(article), comment_form_data(article, comment="I disagree.", comment_parent=str(parent.pk))
    )

    reply = Comment.objects.get(body="I disagree.")
    assert response.status_code == 302
    assert reply.parent == parent
    html = client.get(article.get_absolute_url()).content.decode()
    assert re.search(
        rf'<li id="comment-{parent.pk}" class="comment depth-1">.*<ol class="comment-list comment-list--replies">\s*'
        rf'<li id="comment-{reply.pk}" class="comment depth-2">',
        html,
        re.DOTALL,
    )


def test_approved_comment_shows_name_link_date_permalink_and_reply(client, article, make_comment):
    comment = make_comment(author="Ann <b>Lee</b>", url="https://ann.example", body="Look: https://example.com\n\nBye")

    item = comment_item(client.get(article.get_absolute_url()), comment)

    assertInHTML('<a href="https://ann.example" rel="external nofollow ugc">Ann &lt;b&gt;Lee&lt;/b&gt;</a>', item)
    assert f'<a href="#comment-{comment.pk}"><time datetime="' in item
    assertInHTML('<p>Look: <a href="https://example.com" rel="nofollow ugc">https://example.com</a></p>', item)
    assertInHTML("<p>Bye</p>", item)
    assertInHTML(
        f'<a rel="nofollow" href="?replytocom={comment.pk}#respond" '
        'aria-label="Reply to Ann &lt;b&gt;Lee&lt;/b&gt;">Reply</a>',
        item,
    )


def test_name_without_website_is_plain_text(client, article, make_comment):
    comment = make_comment(author="Ann Lee")

    assertInHTML("<b>Ann Lee</b>", comment_item(client.get(article.get_absolute_url()), comment))


@pytest.mark.parametrize(("count", "heading"), [(1, "One Comment"), (2, "2 Comments"), (12, "12 Comments")])
def test_comment_count_heading(client, article, make_comment, count, heading):
    for _ in range(count):
        make_comment()
    make_comment(status=Comment.Status.PENDING)

    assertContains(client.get(article.get_absolute_url()), f'<h2 class="comments__title">{heading}</h2>', html=True)


def test_no_comments_no_count_heading(client, article):
    html = client.get(article.get_absolute_url()).content.decode()

    assert "comments__title" not in html
    assert "comment-list" not in html


def test_article_page_fetches_comments_in_two_queries(client, article, make_comment):
    """How many comments and threads there are, then the comments of the page's threads."""
    first = make_comment()
    client.get(article.get_absolute_url())  # the session and anything else cached per client are set up

    with CaptureQueriesContext(connection) as one_comment:
        client.get(article.get_absolute_url())
    parent = first
    for _ in range(10):
        parent = make_comment(parent=parent)
        make_comment()
    with CaptureQueriesContext(connection) as many_comments:
        response = client.get(article.get_absolute_url())

    assert len(many_comments.captured_queries) == len(one_comment.captured_queries)
    assert sum("comments_comment" in query["sql"] for query in many_comments.captured_queries) == 2
    assert "21 Comments" in response.content.decode()


def test_reply_link_fills_in_the_reply_heading_and_parent(client, article, make_comment):
    parent = make_comment(author="Ann Lee")

    html = comments_section(client.get(f"{article.get_absolute_url()}?replytocom={parent.pk}"))

    assert "Leave a Reply to Ann Lee" in html
    assertInHTML(
        f'<a rel="nofollow" class="comment-respond__cancel" href="{article.get_absolute_url()}#respond">'
        "Cancel reply</a>",
        html,
    )
    assertInHTML(f'<input type="hidden" name="comment_parent" value="{parent.pk}" id="comment_parent">', html)


@pytest.mark.parametrize("kind", ["pending", "spam", "trash", "foreign", "missing", "text"])
def test_reply_to_a_hidden_or_foreign_comment_is_ignored(client, article, make_article, make_comment, kind):
    targets = {
        "pending": lambda: make_comment(author="Secret Name", status=Comment.Status.PENDING).pk,
        "spam": lambda: make_comment(author="Secret Name", status=Comment.Status.SPAM).pk,
        "trash": lambda: make_comment(author="Secret Name", status=Comment.Status.TRASH).pk,
        "foreign": lambda: make_comment(author="Secret Name", article=make_article()).pk,
        "missing": lambda: 424242,
        "text": lambda: "<script>",
    }

    response = client.get(article.get_absolute_url(), {"replytocom": targets[kind]()})

    html = comments_section(response)
    assert response.status_code == 200
    assert "Secret Name" not in html
    assert "Leave a Reply\n" in html
    assert "Cancel reply" not in html
    assertInHTML('<input type="hidden" name="comment_parent" id="comment_parent">', html)


def test_invalid_post_shows_the_form_again_with_what_was_typed(client, article):
    typed = "A long and thoughtful comment.\n\nWith <b>two</b> paragraphs."

    response = client.post(
        post_url(article), comment_form_data(article, comment=typed, email="not-an-email", url="javascript:alert(1)")
    )

    assert response.status_code == 400
    assert response.templates[0].name == "articles/article_detail.html"
    html = comments_section(response)
    assert "A long and thoughtful comment.\n\nWith &lt;b&gt;two&lt;/b&gt; paragraphs.</textarea>" in html
    assert 'value="Ann Lee"' in html
    assert 'value="not-an-email"' in html
    assert '<div class="comment-form__errors" role="alert">' in html
    assertInHTML('<a href="#email">Email: Enter a valid email address, such as name@example.com.</a>', html)
    assertInHTML(
        '<ul class="errorlist" id="email_error"><li>Enter a valid email address, such as name@example.com.</li></ul>',
        html,
    )
    assert 'aria-invalid="true" aria-describedby="email_error" id="email"' in html
    assertInHTML(
        '<ul class="errorlist" id="url_error"><li>A website address must start with http:// or https://.</li></ul>',
        html,
    )
    assert 'href="javascript' not in html
    assert not Comment.objects.exists()


@pytest.mark.parametrize(
    "changes",
    [
        {"whole_form": {}},
        {"whole_form": {"comment": "Hi"}},
        {"comment_parent": "abc"},
        {"comment_parent": "-1"},
        {"comment_parent": "99999999999999999999999999"},
        {"author": "x" * 246},
        {"comment": "x" * 65526},
        {"author": "Ann\x00Lee"},
        {"unexpected": "field", "comment_post_ID": "7"},
    ],
    ids=[
        "empty",
        "only-comment",
        "parent-text",
        "parent-negative",
        "parent-huge",
        "long-name",
        "long-body",
        "nul",
        "extra",
    ],
)
def test_odd_input_gets_400_never_500(client, article, changes):
    data = changes["whole_form"] if "whole_form" in changes else comment_form_data(article, **changes)
    response = client.post(post_url(article), data)

    if "unexpected" in data:
        assert response.status_code == 302
    else:
        assert response.status_code == 400
        assert "Your comment was not posted." in response.content.decode()


@pytest.mark.parametrize("kind", ["pending", "foreign"])
def test_reply_to_a_hidden_or_foreign_parent_is_refused(client, article, make_article, make_comment, kind):
    parent = make_comment(status=Comment.Status.PENDING) if kind == "pending" else make_comment(article=make_article())

    response = client.post(post_url(article), comment_form_data(article, comment_parent=str(parent.pk)))

    assert response.status_code == 400
    assert "The comment you replied to is not available." in response.content.decode()
    assert parent.body not in response.content.decode()


def test_post_to_a_missing_or_unpublished_article_is_404(client, article, make_article):
    draft = make_article(status=Article.Status.DRAFT)

    assert client.post(post_url(draft), comment_form_data(article)).status_code == 404
    assert client.post(reverse("comments:post", args=[987654]), comment_form_data(article)).status_code == 404
    assert client.post("/comments/post/abc/", comment_form_data(article)).status_code == 404
    assert not Comment.objects.exists()


def test_get_on_the_post_address_is_not_allowed(client, article):
    assert client.get(post_url(article)).status_code == 405


@pytest.mark.parametrize("closing", ["switched-off", "too-old"])
def test_closed_article_shows_no_form_and_refuses_a_post_with_403(client, make_article, settings, closing):
    if closing == "switched-off":
        article = make_article(comments_open=False)
    else:
        settings.COMMENTS_CLOSE_AFTER_DAYS = 1
        article = make_article()
        Article.objects.filter(pk=article.pk).update(published_at=article.published_at.replace(year=2020))
        article.refresh_from_db()

    page = comments_section(client.get(article.get_absolute_url()))
    response = client.post(post_url(article), comment_form_data(article, comment="My unposted words."))

    assert "Comments are closed." in page
    assert "<form" not in page
    assert response.status_code == 403
    html = comments_section(response)
    assert "Comments are closed." in html
    assert "Your comment was not posted because comments on this article are closed." in html
    assert ">My unposted words.</textarea>" in html
    assert not Comment.objects.exists()


def test_closed_article_has_no_reply_links(client, make_article, make_comment):
    article = make_article(comments_open=False)
    make_comment(article=article)

    assert "replytocom" not in client.get(article.get_absolute_url()).content.decode()


def test_post_without_csrf_token_is_refused(article):
    client = Client(enforce_csrf_checks=True)

    response = client.post(post_url(article), comment_form_data(article))

    assert response.status_code == 403
    assert not Comment.objects.exists()


def test_post_with_csrf_token_from_the_page_is_accepted(article):
    client = Client(enforce_csrf_checks=True)
    html = client.get(article.get_absolute_url()).content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)

    response = client.post(post_url(article), comment_form_data(article, csrfmiddlewaretoken=token))

    assert response.status_code == 302
    assert Comment.objects.count() == 1


def test_ticked_box_remembers_details_for_the_next_form(client, article):
    remember = {"wp-comment-cookies-consent": "yes"}
    client.post(post_url(article), comment_form_data(article, url="https://ann.example", **remember))

    html = comments_section(client.get(article.get_absolute_url()))

    assert 'name="author" value="Ann Lee"' in html
    assert 'name="email" value="ann@readers.example"' in html
    assert 'name="url" value="https://ann.example"' in html
    assertInHTML(
        '<input type="checkbox" name="wp-comment-cookies-consent" id="wp-comment-cookies-consent" checked>', html
    )
    assert "ann@readers.example" not in "".join(client.cookies[name].value for name in client.cookies)
    assert 'name="author" value' not in Client().get(article.get_absolute_url()).content.decode()


def test_unticked_box_forgets_remembered_details(client, article):
    client.post(post_url(article), comment_form_data(article, **{"wp-comment-cookies-consent": "yes"}))
    client.post(post_url(article), comment_form_data(article, comment="Second thought."))

    html = comments_section(client.get(article.get_absolute_url()))

    assert 'name="author" value' not in html
    assert "ann@readers.example" not in html.split("<form")[1]


def test_pending_comment_notifies_editors_after_commit(
    client, article, settings, django_capture_on_commit_callbacks, run_tasks
):
    settings.COMMENTS_NOTIFY_EMAILS = ["desk@news.example"]
    settings.SITE_URL = "https://news.example"

    with django_capture_on_commit_callbacks(execute=True):
        client.post(post_url(article), comment_form_data(article))
    assert mail.outbox == []
    run_tasks()

    comment = Comment.objects.get()
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["desk@news.example"]
    assert f"https://news.example/admin/comments/comment/{comment.pk}/change/" in mail.outbox[0].body


def test_the_editors_links_ignore_the_commenters_host_header(
    client, article, settings, django_capture_on_commit_callbacks, run_tasks
):
    settings.COMMENTS_NOTIFY_EMAILS = ["desk@news.example"]
    settings.SITE_URL = "https://news.example/"
    settings.ALLOWED_HOSTS = ["news.example"]

    with django_capture_on_commit_callbacks(execute=True):
        client.post(post_url(article), comment_form_data(article), HTTP_HOST="news.example:6666")
    run_tasks()

    body = mail.outbox[0].body
    assert "news.example:6666" not in body
    assert f"https://news.example/admin/comments/comment/{Comment.objects.get().pk}/change/" in body
    assert f"https://news.example{article.get_absolute_url()}" in body


def test_deep_replies_are_shown_at_the_thread_depth_limit(client, article, make_comment, settings):
    settings.COMMENTS_THREAD_DEPTH = 2
    chain = [make_comment()]
    for _ in range(3):
        chain.append(make_comment(parent=chain[-1]))

    html = client.get(article.get_absolute_url()).content.decode()

    assert [int(depth) for depth in re.findall(r'class="comment depth-(\d)', html)] == [1, 2, 2, 2]
