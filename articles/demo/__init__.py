"""Demo content: the model page's article and a small archive around it (demo.json beside this file)."""

import json
from collections import Counter
from datetime import datetime
from pathlib import Path

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction

from articles.demo.pictures import demo_picture
from articles.models import Article, Author, Section, Tag, record_revision
from images.models import Image

DEMO_FILE = Path(__file__).with_name("demo.json")
DEMO_IMAGE_CREDIT = "Illustration: drawn for the Newsroom demo"
DEMO_EDITOR_USERNAME = "editor"
DEMO_EDITOR_PASSWORD = "newsroom-demo"  # noqa: S105 - a demo login, printed by `make run`
EDITORS_GROUP = "Editors"  # created by a migration, with the permissions editors need


@transaction.atomic
def load_demo(path=DEMO_FILE):
    """Add the demo authors, sections, tags and articles that are missing; return how many of each were created.

    Existing rows are left as they are, except that demo articles without a section, tags or lead image
    (loaded before those existed) receive theirs; loading twice changes nothing. Lead images are drawn
    with Pillow (``articles.demo.pictures``).
    """
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    created = Counter()
    authors = {}
    for item in data["authors"]:
        authors[item["slug"]], is_new = Author.objects.get_or_create(
            slug=item["slug"], defaults={"name": item["name"], "email": item["email"], "bio": item["bio"]}
        )
        created["authors"] += is_new
    sections = {}
    for item in data["sections"]:
        sections[item["slug"]], is_new = Section.objects.get_or_create(
            slug=item["slug"],
            defaults={"name": item["name"], "description": item["description"], "ordering": item["ordering"]},
        )
        created["sections"] += is_new
    tags = {}
    for item in data["tags"]:
        tags[item["slug"]], is_new = Tag.objects.get_or_create(slug=item["slug"], defaults={"name": item["name"]})
        created["tags"] += is_new
    for item in data["articles"]:
        article, is_new = Article.objects.get_or_create(
            slug=item["slug"],
            defaults={
                "title": item["title"],
                "author": authors[item["author"]],
                "standfirst": item["standfirst"],
                "body": item["body"],
                "published_at": datetime.fromisoformat(item["published_at"]),
                "view_count": item["view_count"],
                "status": Article.Status.PUBLISHED,
            },
        )
        if article.section_id is None:
            Article.objects.filter(pk=article.pk).update(section=sections[item["section"]])
        if is_new or not article.tags.exists():
            article.tags.set(tags[slug] for slug in item["tags"])
        if article.lead_image_id is None:
            picture, alt = demo_picture(item["slug"])
            image = Image.objects.create_from_file(picture, f"{item['slug']}.jpg", alt=alt, credit=DEMO_IMAGE_CREDIT)
            Article.objects.filter(pk=article.pk).update(lead_image=image)
            created["images"] += 1
        if is_new:
            record_revision(article, "Demo content.")
        created["articles"] += is_new
    return created


def create_demo_editor():
    """Create the demo editor (staff, not a superuser, in the Editors group) unless it exists.

    Returns True when the user was created.
    """
    user_model = get_user_model()
    user = user_model.objects.filter(username=DEMO_EDITOR_USERNAME).first()
    created = user is None
    if created:
        user = user_model.objects.create_user(
            DEMO_EDITOR_USERNAME, email="editor@localhost", password=DEMO_EDITOR_PASSWORD, is_staff=True
        )
    user.groups.add(Group.objects.get(name=EDITORS_GROUP))
    return created
