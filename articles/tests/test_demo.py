import pytest
from django.core.management import call_command
from django.db.models import Count
from pytest_django.asserts import assertContains

from articles.demo import DEMO_EDITOR_PASSWORD, DEMO_EDITOR_USERNAME
from articles.models import Article, Author, Section, Tag
from images.models import Image

pytestmark = pytest.mark.django_db

SEED_SLUG = "china-rejects-natos-accusations-of-supporting-russia"


def snapshot():
    return (
        list(Author.objects.values().order_by("pk")),
        list(Section.objects.values().order_by("pk")),
        list(Tag.objects.values().order_by("pk")),
        list(Article.objects.values().order_by("pk")),
        list(Article.tags.through.objects.values().order_by("pk")),
    )


def test_loaddemo_loads_the_model_pages_article(client):
    call_command("loaddemo")

    article = Article.objects.get(slug=SEED_SLUG)
    assert article.title == "China Rejects NATO’s Accusations of Supporting Russia"
    assert article.view_count == 18
    assert article.is_published()
    assert article.get_absolute_url() == f"/2024/07/12/{SEED_SLUG}/"
    assert (article.author.name, article.author.email) == ("Colton Brown", "in@pakistantimes.ca")
    paragraphs = article.body.split("\n\n")
    assert len(paragraphs) == 10
    assert paragraphs[0].startswith("China’s Foreign Minister Wang Yi has strongly refuted NATO’s recent claims")
    assert paragraphs[-1].endswith("impacting the future of the Ukraine conflict and global diplomatic relations.")

    html = client.get(article.get_absolute_url()).content.decode()
    assert "19 Views" in html  # the 18 stored, plus this reader
    assert html.count("<p>") >= 10


def test_loaddemo_gives_enough_to_browse(client, settings):
    call_command("loaddemo")

    published = Article.objects.published()
    assert published.count() > settings.ARTICLES_PER_PAGE * 2
    assert Author.objects.annotate(n=Count("articles")).filter(n__gt=0).count() >= 3
    assert len(published.dates("published_at", "month")) >= 6
    assert client.get("/?page=2").status_code == 200
    assert published.filter(published_at__date="2024-07-12").count() >= 2


def test_loaddemo_twice_changes_nothing():
    call_command("loaddemo", "--editor")
    first = snapshot()

    call_command("loaddemo", "--editor")

    assert snapshot() == first


def test_demo_editor_can_use_the_admin(client, django_user_model, capsys):
    call_command("loaddemo", "--editor")

    assert f"username {DEMO_EDITOR_USERNAME}, password {DEMO_EDITOR_PASSWORD}" in capsys.readouterr().out
    editor = django_user_model.objects.get(username=DEMO_EDITOR_USERNAME)
    assert editor.is_staff
    assert not editor.is_superuser
    assert [group.name for group in editor.groups.all()] == ["Editors"]
    assert client.login(username=DEMO_EDITOR_USERNAME, password=DEMO_EDITOR_PASSWORD)
    assert client.get("/admin/articles/article/").status_code == 200
    assert client.get("/admin/comments/comment/").status_code == 200
    assert client.get("/admin/auth/user/").status_code == 403


def test_every_demo_article_has_a_section_and_tags(client):
    call_command("loaddemo")

    assert not Article.objects.filter(section=None).exists()
    assert not Article.objects.filter(tags=None).exists()
    assert Section.objects.count() >= 6
    seed = Article.objects.get(slug=SEED_SLUG)
    assert seed.section.name == "World"
    assert {"China", "NATO"} <= {tag.name for tag in seed.tags.all()}
    response = client.get(seed.get_absolute_url())
    assertContains(response, '<a href="/section/world/">World</a>', html=True)
    assertContains(response, '<a href="/tag/nato/" rel="tag">NATO</a>', html=True)


def test_demo_sections_and_tags_have_pages(client):
    call_command("loaddemo")

    for section in Section.objects.all():
        assert section.articles.published().exists(), section
        assert client.get(section.get_absolute_url()).status_code == 200
    shared_tags = Tag.objects.annotate(n=Count("articles")).filter(n__gt=1)
    assert shared_tags.count() >= 5


def test_loaddemo_gives_earlier_demo_articles_their_section_and_tags():
    call_command("loaddemo")
    seed = Article.objects.get(slug=SEED_SLUG)
    updated_at = seed.updated_at
    Article.objects.update(section=None)
    seed.tags.clear()
    Section.objects.all().delete()

    call_command("loaddemo")

    seed.refresh_from_db()
    assert seed.section.slug == "world"
    assert seed.tags.count() == 4
    assert seed.updated_at == updated_at
    assert not Article.objects.filter(section=None).exists()


def test_loaddemo_gives_every_article_a_drawn_lead_image_with_alt_text():
    call_command("loaddemo")
    call_command("loaddemo")

    articles = Article.objects.select_related("lead_image")
    assert Image.objects.count() == articles.count()
    for article in articles:
        image = article.lead_image
        assert image.alt.startswith("Illustration: ")
        assert image.credit == "Illustration: drawn for the Newsroom demo"
        assert (image.width, image.height) == (1200, 675)
        assert [r.width for r in image.renditions_of("webp")] == [400, 800, 1200]
