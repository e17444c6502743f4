from datetime import UTC, datetime
from pathlib import Path

import pytest
from django.core.cache import cache
from django.core.management import CommandError, call_command
from pytest_django.asserts import assertInHTML

from articles.counting import views_key
from articles.html import visible_text
from articles.models import Article, Author, Section, Tag
from comments.models import Comment
from images.models import Image

pytestmark = pytest.mark.django_db

EXPORT = Path(__file__).parent / "fixtures" / "wordpress-export.xml"


def import_export(path=EXPORT, *options):
    """Run ``importwxr`` on the export at ``path``."""
    call_command("importwxr", str(path), *options)


def written(tmp_path, text, name="export.xml"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_posts_become_articles_with_their_author_section_tags_and_views(capsys):
    import_export()

    article = Article.objects.get(wordpress_id=101)
    assert article.title == "China rejects NATO's accusations"
    assert article.slug == "china-rejects-natos-accusations"
    assert article.status == Article.Status.PUBLISHED
    assert article.published_at == datetime(2024, 7, 12, 9, 0, tzinfo=UTC)
    assert article.comments_open
    assert article.view_count == 1204
    assert article.author.name == "Colton Brown"
    assert article.section.name == "World"
    assert sorted(article.tags.values_list("name", flat=True)) == ["Diplomacy", "NATO", "Politics"]
    assert article.standfirst == "Beijing answers NATO & its allies."
    assert article.body_text == visible_text(article.body)
    assert "Created 4 articles, updated 0, skipped 4" in capsys.readouterr().out


def test_each_wordpress_status_maps_to_an_article_status():
    import_export()

    draft = Article.objects.get(wordpress_id=102)
    scheduled = Article.objects.get(wordpress_id=103)
    pending = Article.objects.get(wordpress_id=104)
    assert draft.status == Article.Status.DRAFT
    assert not draft.comments_open
    assert draft.slug == "notes-for-a-story"
    assert pending.status == Article.Status.REVIEW
    assert scheduled.status == Article.Status.PUBLISHED
    assert scheduled.published_at == datetime(2031, 11, 4, 20, 0, tzinfo=UTC)
    assert scheduled.view_count == 17
    assert not scheduled.is_published()
    assert list(Article.objects.published().values_list("wordpress_id", flat=True)) == [101]


def test_a_password_protected_post_becomes_a_draft_and_the_summary_says_so(tmp_path, client, capsys):
    text = EXPORT.read_text(encoding="utf-8").replace(
        "<wp:post_password><![CDATA[]]></wp:post_password>",
        "<wp:post_password><![CDATA[s3cret]]></wp:post_password>",
        1,
    )

    import_export(written(tmp_path, text))

    protected = Article.objects.get(wordpress_id=101)
    assert protected.status == Article.Status.DRAFT
    assert not Article.objects.published().exists()
    assert client.get("/sitemap.xml").content.decode().count("<url>") == 1
    assert "1 password-protected posts imported as drafts, not published" in capsys.readouterr().out


def test_pages_attachments_menu_items_and_trashed_posts_are_not_articles():
    import_export()

    assert sorted(Article.objects.values_list("wordpress_id", flat=True)) == [101, 102, 103, 104]
    assert not Comment.objects.filter(author="Eve Page").exists()


def test_authors_are_not_given_their_private_wordpress_email():
    import_export()

    assert sorted(Author.objects.values_list("name", "wordpress_login", "email")) == [
        ("Ana Lima", "alima", ""),
        ("Colton Brown", "cbrown", ""),
    ]


def test_the_body_is_sanitised_and_block_markers_are_dropped():
    import_export()

    body = Article.objects.get(wordpress_id=101).body
    assertInHTML("<strong>rejected</strong>", body)
    assertInHTML('<a href="https://news.example/" rel="noopener noreferrer">a good one</a>', body)
    for removed in ("<script", "alert", "javascript:", "onclick", "wp:paragraph"):
        assert removed not in body
    assert body.count("\n\n") == 1


def test_comments_keep_status_threading_dates_and_details():
    import_export()

    comments = {comment.wordpress_id: comment for comment in Comment.objects.all()}
    assert sorted(comments) == [201, 202, 203, 204, 205]
    first, pending, reply, spam, trash = (comments[number] for number in (201, 202, 203, 204, 205))
    statuses = [comment.status for comment in (first, pending, reply, spam, trash)]
    assert statuses == ["approved", "pending", "approved", "spam", "trash"]
    assert reply.parent == first
    assert pending.parent == reply
    assert first.parent is None
    assert first.created_at == datetime(2024, 7, 12, 10, 0, tzinfo=UTC)
    assert (first.author, first.email, first.url, first.ip_address) == (
        "Ann Lee",
        "Ann@Readers.example",
        "http://ann.example",
        "198.51.100.7",
    )
    assert first.body == "A fair point & well made."
    assert pending.url == ""
    assert pending.ip_address == "2001:db8::1"
    assert trash.ip_address is None
    assert {comment.article.wordpress_id for comment in comments.values()} == {101}


def test_a_loop_of_replies_is_imported_unthreaded(tmp_path):
    text = EXPORT.read_text(encoding="utf-8").replace(
        "<wp:comment_parent>0</wp:comment_parent>", "<wp:comment_parent>202</wp:comment_parent>", 1
    )

    import_export(written(tmp_path, text))

    looped = Comment.objects.filter(wordpress_id__in=[201, 202, 203])
    assert looped.count() == 3
    assert looped.filter(parent=None).count() == 3


def test_imported_articles_and_comments_are_on_the_public_page(client):
    import_export()

    response = client.get("/2024/07/12/china-rejects-natos-accusations/")

    page = response.content.decode()
    assert response.status_code == 200
    assert "A fair point &amp; well made." in page
    assert "A reply that the export lists before the comment it answers." in page
    for hidden in ("Still waiting for an editor.", "Buy now!", "Thrown away.", "alert(", "readers.example"):
        assert hidden not in page


def test_importing_again_updates_instead_of_duplicating(tmp_path, capsys):
    import_export()
    capsys.readouterr()
    edited = EXPORT.read_text(encoding="utf-8")
    edited = edited.replace("China rejects NATO's accusations]]", "China rejects the accusations]]")
    edited = edited.replace("<![CDATA[1204]]>", "<![CDATA[1500]]>")
    edited = edited.replace("Still waiting for an editor.]]></wp:comment_content>", "Edited.]]></wp:comment_content>")
    edited = edited.replace("<![CDATA[0]]></wp:comment_approved>", "<![CDATA[1]]></wp:comment_approved>")

    import_export(written(tmp_path, edited))

    assert Article.objects.count() == 4
    assert Comment.objects.count() == 5
    assert (Author.objects.count(), Section.objects.count(), Tag.objects.count()) == (2, 1, 3)
    article = Article.objects.get(wordpress_id=101)
    assert (article.title, article.view_count) == ("China rejects the accusations", 1500)
    reply = Comment.objects.get(wordpress_id=202)
    assert (reply.body, reply.status, reply.parent.wordpress_id) == ("Edited.", "approved", 203)
    assert (
        "Created 0 articles, updated 4, skipped 4 (pages, attachments and other items that are not posts); "
        "created 0 comments, updated 5, skipped 1 (pingbacks and trackbacks); new: 0 authors, 0 sections, 0 tags."
    ) in capsys.readouterr().out


def test_importing_again_replaces_the_running_view_count(settings):
    settings.VIEW_COUNTS_IN_CACHE = True
    import_export()
    article = Article.objects.get(wordpress_id=101)
    cache.set(views_key(article.pk), 2000)

    import_export()

    assert cache.get(views_key(article.pk)) is None


def test_the_import_tells_the_page_cache_every_page_may_have_changed(pages_changed_sent):
    import_export()

    assert (Article, None) in pages_changed_sent


def test_authors_sections_and_tags_that_exist_are_reused(make_author, make_section, make_tag):
    author = make_author(name="Colton Brown", slug="colton")
    section = make_section(name="World news", slug="world")
    tag = make_tag(name="NATO", slug="north-atlantic")

    import_export()

    article = Article.objects.get(wordpress_id=101)
    assert article.author == author
    assert article.section == section
    assert tag in article.tags.all()
    assert Author.objects.get(pk=author.pk).wordpress_login == "cbrown"


def test_a_slug_taken_on_the_same_day_gets_the_post_id(make_article):
    existing = make_article(slug="china-rejects-natos-accusations", published_at=datetime(2024, 7, 12, 6, tzinfo=UTC))

    import_export()

    assert Article.objects.get(wordpress_id=101).slug == "china-rejects-natos-accusations-101"
    assert Article.objects.get(pk=existing.pk).slug == "china-rejects-natos-accusations"


@pytest.mark.parametrize(
    ("namespace", "version"),
    [("https://wordpress.org/export/1.2/", "1.2"), ("http://wordpress.org/export/1.1/", "1.1")],
)
def test_other_export_versions_and_https_namespaces_are_read(tmp_path, namespace, version):
    text = EXPORT.read_text(encoding="utf-8").replace("http://wordpress.org/export/1.2/", namespace)

    import_export(written(tmp_path, text.replace("<wp:wxr_version>1.2", f"<wp:wxr_version>{version}")))

    assert Article.objects.count() == 4
    assert Comment.objects.count() == 5


def test_progress_is_reported(capsys):
    import_export(EXPORT, "--progress-every", "3")

    lines = capsys.readouterr().out.splitlines()
    assert lines[:2] == ["3 items read: 3 articles, 5 comments", "6 items read: 4 articles, 5 comments"]


def test_a_truncated_export_is_refused_naming_the_line_and_nothing_is_kept(tmp_path):
    text = EXPORT.read_text(encoding="utf-8")
    truncated = text[: text.index("<title><![CDATA[About us]]>")]
    line = truncated.count("\n") + 1

    with pytest.raises(CommandError, match=rf"line {line}, column \d+.*Nothing was imported"):
        import_export(written(tmp_path, truncated))

    assert not Article.objects.exists()
    assert not Comment.objects.exists()
    assert not Author.objects.exists()


def test_a_malformed_export_is_refused_naming_the_line(tmp_path):
    text = EXPORT.read_text(encoding="utf-8").replace("<wp:post_id>104</wp:post_id>", "<wp:post_id>104</wp:post>")
    line = text[: text.index("</wp:post>")].count("\n") + 1

    with pytest.raises(CommandError, match=rf"not well-formed XML at line {line}, column \d+ \(mismatched tag\)"):
        import_export(written(tmp_path, text))

    assert not Article.objects.exists()


def test_a_file_that_is_not_a_wordpress_export_is_refused(tmp_path):
    feed = '<?xml version="1.0"?><rss version="2.0"><channel><title>A feed</title></channel></rss>'

    with pytest.raises(CommandError, match="not a WordPress export"):
        import_export(written(tmp_path, feed))


def test_an_export_declaring_entities_is_refused(tmp_path):
    text = EXPORT.read_text(encoding="utf-8").replace(
        "<rss version", '<!DOCTYPE rss [<!ENTITY lol "lol">]>\n<rss version'
    )

    with pytest.raises(CommandError, match="declares XML entities"):
        import_export(written(tmp_path, text))


def test_a_missing_file_is_refused(tmp_path):
    with pytest.raises(CommandError, match="Cannot read"):
        import_export(tmp_path / "missing.xml")


FEATURED = Path(__file__).parent / "fixtures" / "wordpress-featured-images.xml"
UPLOADS = Path(__file__).parent / "fixtures" / "wordpress-uploads"


def test_featured_images_are_imported_from_the_uploads_folder(capsys):
    import_export(FEATURED, "--media-dir", str(UPLOADS))

    harbour = Article.objects.get(wordpress_id=201).lead_image
    assert harbour.alt == "Fishing boats in the harbour at dawn"
    assert harbour.caption == "The harbour on Tuesday."
    assert (harbour.width, harbour.height) == (480, 270)
    with harbour.file.open() as stored:
        assert b"Fixture Camera" not in stored.read()
    assert Article.objects.get(wordpress_id=207).lead_image == harbour  # one image for both posts
    footbridge = Article.objects.get(wordpress_id=205).lead_image
    assert footbridge.alt == "The footbridge"  # no alt text in WordPress: the attachment's title
    assert footbridge.file.name.endswith("-footbridge.png")
    assert Image.objects.count() == 2
    for post_id in (202, 203, 204, 206):
        assert Article.objects.get(wordpress_id=post_id).lead_image is None

    output = capsys.readouterr().out
    assert "Featured images: 3 imported, 3 not." in output
    assert (
        "Featured image not imported for post 202: https://daily.example/wp-content/uploads/2024/07/lost.jpg: "
        f"no file {UPLOADS.resolve()}/2024/07/lost.jpg"
    ) in output
    assert (
        "Featured image not imported for post 203: https://daily.example/wp-content/uploads/2024/07/notes.jpg: "
        "This file is not an image we can use. Upload a JPEG, PNG, WebP or GIF picture."
    ) in output
    assert (
        "Featured image not imported for post 204: its featured image (attachment 399) is not in the export" in output
    )


def test_importing_featured_images_again_reuses_the_library_images():
    import_export(FEATURED, "--media-dir", str(UPLOADS))
    first = dict(Article.objects.values_list("wordpress_id", "lead_image"))

    import_export(FEATURED, "--media-dir", str(UPLOADS))

    assert dict(Article.objects.values_list("wordpress_id", "lead_image")) == first
    assert Image.objects.count() == 2


def test_without_a_media_dir_featured_images_are_listed_as_not_imported(capsys):
    import_export(FEATURED)

    output = capsys.readouterr().out
    assert "Featured images: 0 imported, 6 not." in output
    assert (
        "post 201: https://daily.example/wp-content/uploads/2024/07/harbour.jpg: no uploads folder given (--media-dir)"
        in output
    )
    assert not Image.objects.exists()


def test_a_media_dir_that_is_not_a_folder_is_refused(tmp_path):
    with pytest.raises(CommandError, match="is not a folder"):
        import_export(FEATURED, "--media-dir", str(tmp_path / "missing"))


def test_an_attachment_url_cannot_reach_outside_the_uploads_folder(tmp_path, capsys):
    export = FEATURED.read_text(encoding="utf-8").replace("uploads/2024/06/footbridge.png", "uploads/../../export.xml")
    (tmp_path / "uploads").mkdir()
    import_export(written(tmp_path, export), "--media-dir", str(tmp_path / "uploads"))

    assert "post 205: https://daily.example/wp-content/uploads/../../export.xml: no file" in capsys.readouterr().out
    assert Article.objects.get(wordpress_id=205).lead_image is None
