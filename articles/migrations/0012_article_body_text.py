import importlib

import django.contrib.postgres.indexes
from django.contrib.postgres.search import SearchVector
from django.db import migrations, models

from articles.html import visible_text

SEARCH_CONFIG = "english"
stored_search_document = importlib.import_module("articles.migrations.0011_stored_search_document")


def fill_body_text(apps, schema_editor):
    """Store the visible text of every body, then the search documents made of it (PostgreSQL)."""
    Article = apps.get_model("articles", "Article")
    articles = Article.objects.using(schema_editor.connection.alias)
    with_text = []
    for article in articles.only("pk", "body").iterator(chunk_size=500):
        article.body_text = visible_text(article.body)
        with_text.append(article)
    articles.bulk_update(with_text, ["body_text"], batch_size=500)
    if schema_editor.connection.vendor == "postgresql":
        articles.update(
            search_document=SearchVector("title", weight="A", config=SEARCH_CONFIG)
            + SearchVector("standfirst", weight="B", config=SEARCH_CONFIG)
            + SearchVector("body_text", weight="C", config=SEARCH_CONFIG)
        )


class Migration(migrations.Migration):
    """The body's visible text, which search reads instead of the body's markup.

    The PostgreSQL-only index leaves the state while the column is added: on SQLite, adding a column with a
    default rebuilds the table, and a rebuild would try to create that index there.
    """

    dependencies = [
        ("articles", "0011_stored_search_document"),
    ]

    operations = [
        stored_search_document.RemoveIndexOnPostgreSQL(
            model_name="article",
            name="article_search_document",
        ),
        migrations.AddField(
            model_name="article",
            name="body_text",
            field=models.TextField(
                blank=True,
                default="",
                editable=False,
                help_text="What readers see of the body, without markup: what search looks in. Kept by save().",
                verbose_name="visible text of the body",
            ),
        ),
        migrations.RunPython(fill_body_text, migrations.RunPython.noop),
        stored_search_document.AddIndexOnPostgreSQL(
            model_name="article",
            index=django.contrib.postgres.indexes.GinIndex(fields=["search_document"], name="article_search_document"),
        ),
    ]
