from datetime import UTC, datetime
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from articles.importing import PageFormatError, parse_page
from articles.models import Article, Author

pytestmark = pytest.mark.django_db

SAVED_PAGE = Path(__file__).parent / "fixtures" / "article-page.txt"


def test_importpage_imports_the_saved_model_page(client, capsys):
    call_command("importpage", str(SAVED_PAGE), "--date", "2024-07-12T09:00")

    article = Article.objects.get()
    assert article.title == "China Rejects NATO’s Accusations of Supporting Russia"
    assert article.slug == "china-rejects-natos-accusations-of-supporting-russia"
    assert article.view_count == 18
    assert article.is_published()
    assert (article.author.name, article.author.email) == ("Colton Brown", "in@pakistantimes.ca")
    paragraphs = article.body.split("\n\n")
    assert len(paragraphs) == 10
    assert paragraphs[0].startswith("China’s Foreign Minister Wang Yi")
    assert "Leave a Reply" not in article.body
    assert "in@pakistantimes.ca" not in article.body
    assert "Created “China Rejects NATO’s Accusations of Supporting Russia” by Colton Brown" in capsys.readouterr().out
    response = client.get("/2024/07/12/china-rejects-natos-accusations-of-supporting-russia/")
    assert "19 Views" in response.content.decode()


def test_importing_again_updates_instead_of_duplicating(tmp_path):
    call_command("importpage", str(SAVED_PAGE), "--date", "2024-07-12")
    changed = tmp_path / "page.txt"
    changed.write_text(SAVED_PAGE.read_text(encoding="utf-8").replace("18 Views", "1,204 Views"), encoding="utf-8")

    call_command("importpage", str(changed), "--date", "2024-07-12")

    article = Article.objects.get()
    assert article.view_count == 1204
    assert article.get_absolute_url().startswith("/2024/07/12/")
    assert Author.objects.count() == 1


def test_another_days_page_with_the_same_title_never_overwrites_an_article(tmp_path, make_article, make_author):
    original = make_article(
        title="China Rejects NATO’s Accusations of Supporting Russia",
        slug="china-rejects-natos-accusations-of-supporting-russia",
        body="The original story.",
        view_count=5000,
        author=make_author(name="Ana Lima"),
        published_at=datetime(2024, 7, 1, 8, tzinfo=UTC),
    )

    with pytest.raises(CommandError, match=r"already exists, published on 2024-07-01 .*--date 2024-07-01"):
        call_command("importpage", str(SAVED_PAGE))
    call_command("importpage", str(SAVED_PAGE), "--date", "2024-07-12T09:00")

    original.refresh_from_db()
    assert (original.body, original.view_count, original.author.name) == ("The original story.", 5000, "Ana Lima")
    assert original.published_at == datetime(2024, 7, 1, 8, tzinfo=UTC)
    imported = Article.objects.exclude(pk=original.pk).get()
    assert imported.get_absolute_url() == "/2024/07/12/china-rejects-natos-accusations-of-supporting-russia/"
    assert imported.view_count == 18


def test_an_existing_author_is_reused(make_author):
    author = make_author(name="C. Brown", email="IN@pakistantimes.ca")

    call_command("importpage", str(SAVED_PAGE), "--draft")

    article = Article.objects.get()
    assert article.author == author
    assert article.status == Article.Status.DRAFT


def test_a_page_without_views_or_boilerplate():
    page = parse_page("Short title\n\nOnly paragraph.\n\nAna Lima\nana@news.example\n")

    assert (page.title, page.view_count, page.paragraphs) == ("Short title", 0, ["Only paragraph."])
    assert (page.author_name, page.author_email) == ("Ana Lima", "ana@news.example")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "The page is empty"),
        ("Leave a Reply\n\nYour email address will not be published.", "The page is empty"),
        ("Title\n\n18 Views", "no body and no byline"),
        ("Title\n\nA paragraph.\n\nColton Brown", "must end with the byline"),
        ("Title\n\nA paragraph.\n\nColton Brown\nnot-an-email", "must end with the byline"),
        ("Title\n\nColton Brown\nin@pakistantimes.ca", "no body paragraphs"),
        ("Title\nsecond line\n\nBody.\n\nA B\na@b.example", "The first line must be the title"),
    ],
)
def test_malformed_pages_are_refused_with_a_reason(text, message):
    with pytest.raises(PageFormatError, match=message):
        parse_page(text)


def test_command_errors_are_clear_and_keep_nothing(tmp_path):
    broken = tmp_path / "broken.txt"
    broken.write_text("Title only\n", encoding="utf-8")
    binary = tmp_path / "binary.txt"
    binary.write_bytes(b"Title\n\n\xff\xfe body")

    with pytest.raises(CommandError, match="no body and no byline"):
        call_command("importpage", str(broken))
    with pytest.raises(CommandError, match="is not UTF-8 text"):
        call_command("importpage", str(binary))
    with pytest.raises(CommandError, match="Cannot read .*: No such file or directory"):
        call_command("importpage", str(tmp_path / "missing.txt"))
    with pytest.raises(CommandError, match="is not an ISO date"):
        call_command("importpage", str(SAVED_PAGE), "--date", "12/07/2024")
    assert not Article.objects.exists()
    assert not Author.objects.exists()
