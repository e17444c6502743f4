"""A crawler finds nothing private on the public site.

The site is seeded with comments in every status, each with its own email address, and with drafts and
scheduled articles sharing authors, sections and tags with published ones. An anonymous crawler then
follows every link on the site (pages, archives, pagination, search, feeds, comments feeds, the
sitemap, error pages and ``?replytocom=`` variants) after a commenter and an editor have been around.
No response, headers included, may hold a commenter's email address or a hash of one, a comment that is
not approved, or anything of an unpublished article.
"""

import hashlib
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from articles.models import Article
from comments.models import Comment
from comments.tests.helpers import comment_form_data
from newsroom.tests.helpers import crawl, public_text

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def small_pages(settings):
    settings.ARTICLES_PER_PAGE = 2
    settings.COMMENTS_FLOOD_SECONDS = 0
    settings.COMMENTS_MIN_SUBMIT_SECONDS = 0


@pytest.fixture
def site(make_article, make_author, make_section, make_tag):
    """Published articles over two years, unpublished ones beside them, and comments in every status."""
    author, section, tag = make_author(), make_section(), make_tag()
    now = timezone.now()
    public = [
        make_article(author=author, section=section, tags=[tag], published_at=now - timedelta(days=days))
        for days in (1, 2, 3, 40, 400)
    ]
    unpublished = [
        make_article(title="Draft about the harbour heist", slug="harbour-heist-draft", status=Article.Status.DRAFT),
        make_article(title="Embargoed harbour budget", slug="harbour-budget-embargo", published_at=now + timedelta(1)),
        make_article(title="Harbour news at noon", slug="harbour-news-at-noon", published_at=now + timedelta(hours=1)),
    ]
    for article in unpublished:
        article.author, article.section = author, section
        article.save()
        article.tags.set([tag])
    comments = []
    for article in [*public[:3], *unpublished]:
        for status in Comment.Status:
            for kind in ("top", "reply"):
                comments.append(
                    Comment.objects.create(
                        article=article,
                        parent=comments[-1] if kind == "reply" else None,
                        status=status,
                        author=f"Commenter {status} {kind} {article.pk}",
                        email=f"Private.{status}.{kind}.{article.pk}@Readers.Example",
                        url=f"https://{status}-{kind}-{article.pk}.example/",
                        body=f"Words of a {status} {kind} comment on article {article.pk}.",
                    )
                )
    return {"public": public, "unpublished": unpublished, "comments": comments}


def email_forms(email):
    """An email address as typed and normalised, and every usual hash of those (Gravatar's among them)."""
    forms = {email, email.lower(), email.strip().lower()}
    hashes = {
        getattr(hashlib, algorithm)(form.encode()).hexdigest()
        for form in forms
        for algorithm in ("md5", "sha1", "sha256")
    }
    return forms | hashes


def secrets_of(site, extra_comments=()):
    """What must never be public: every commenter email (and hash), and all of any hidden comment or article."""
    comments = [*site["comments"], *extra_comments]
    secrets = set()
    for comment in comments:
        secrets |= email_forms(comment.email)
        hidden = comment.status != Comment.Status.APPROVED or not comment.article.is_published()
        if hidden:
            secrets |= {comment.body, comment.author, comment.url, f'id="{comment.anchor}"'}
    for article in site["unpublished"]:
        secrets |= {article.title, article.slug, f"/comments/feed/{article.pk}/"}
    return secrets


def start_paths(site):
    """The home page and what a crawler guesses beyond its links: error pages, variants, every feed."""
    articles = [*site["public"], *site["unpublished"]]
    return [
        "/",
        "/sitemap.xml",
        "/robots.txt",
        "/no/such/page/",
        "/search/?q=harbour",
        "/search/?q=Words+comment",
        "/?page=999",
        "/?page=last",
        *(article.get_absolute_url() for article in articles),
        *(f"/comments/feed/{article.pk}/" for article in articles),
        *(f"/comments/feed/{article.pk}/atom/" for article in articles),
        *(
            f"{comment.article.get_absolute_url()}?replytocom={comment.pk}"
            for comment in site["comments"]
            if comment.article.is_published()
        ),
        *(
            f"{site['public'][0].get_absolute_url()}?replytocom={comment.pk}"
            for comment in site["comments"]
            if not comment.article.is_published()
        ),
    ]


def visit_as_commenter_and_editor(site, admin_user):
    """A reader posts a comment (remembering their details) and reads on; an editor previews drafts."""
    article = site["public"][0]
    commenter = Client()
    data = comment_form_data(
        article,
        comment="My own words, still awaiting moderation.",
        author="Pending Poster",
        email="Pending.Poster@Readers.Example",
        url="https://pending-poster.example/",
    )
    response = commenter.post(f"/comments/post/{article.pk}/", {**data, "wp-comment-cookies-consent": "yes"})
    assert response.status_code == 302
    assert commenter.get("/").status_code == 200
    for shown in (article, site["public"][1]):
        assert "Pending.Poster@Readers.Example" in commenter.get(shown.get_absolute_url()).content.decode()
    editor = Client()
    editor.force_login(admin_user)
    for unpublished in site["unpublished"]:
        assert editor.get(unpublished.get_absolute_url()).status_code == 200
    return Comment.objects.get(author="Pending Poster")


@pytest.mark.parametrize(
    ("page_cache_seconds", "fragment_cache_seconds"),
    [(0, 0), (0, 60), (300, 60)],
    ids=["no cache", "fragments", "page cache and fragments"],
)
def test_an_anonymous_crawler_finds_nothing_private(
    client, settings, site, admin_user, page_cache_seconds, fragment_cache_seconds
):
    settings.PAGE_CACHE_SECONDS = page_cache_seconds
    settings.FRAGMENT_CACHE_SECONDS = fragment_cache_seconds
    own_pending = visit_as_commenter_and_editor(site, admin_user)
    secrets = secrets_of(site, [own_pending])

    # With the page cache, the second crawl is served the pages the first one stored.
    for round_trip in ("first visit", "second visit")[: 2 if page_cache_seconds else 1]:
        responses = crawl(client, start_paths(site))

        for path, response in responses.items():
            assert response.status_code in (200, 301, 302, 404, 405), f"{path} answered {response.status_code}"
            text = public_text(response)
            leaked = sorted(secret for secret in secrets if secret in text)
            assert not leaked, f"{path} ({round_trip}) shows {leaked}"
            assert "gravatar" not in text.lower(), path

    visited = set(responses)
    article = site["public"][0]
    assert {"/feed/", "/feed/atom/", "/sitemap.xml", f"/comments/feed/{article.pk}/", "/?page=2"} <= visited
    assert {
        article.get_absolute_url(),
        article.author.get_absolute_url(),
        article.section.get_absolute_url(),
    } <= visited
    assert any(path.startswith("/search/") for path in visited)
    assert len([path for path in visited if "replytocom=" in path]) >= len(site["comments"]) // 2
    shown = responses[article.get_absolute_url()].content.decode()
    assert f"Words of a approved top comment on article {article.pk}." in shown
    assert f"https://approved-top-{article.pk}.example/" in shown
