import django.contrib.postgres.indexes
import django.contrib.postgres.search
from django.contrib.postgres.search import SearchVector
from django.db import migrations

SEARCH_CONFIG = "english"


class OnPostgreSQLOnly:
    """An index operation that changes the database on PostgreSQL only; other databases search without it."""

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_forwards(app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_backwards(app_label, schema_editor, from_state, to_state)


class AddIndexOnPostgreSQL(OnPostgreSQLOnly, migrations.AddIndex):
    pass


class RemoveIndexOnPostgreSQL(OnPostgreSQLOnly, migrations.RemoveIndex):
    pass


def store_search_documents(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    Article = apps.get_model("articles", "Article")
    Article.objects.using(schema_editor.connection.alias).update(
        search_document=SearchVector("title", weight="A", config=SEARCH_CONFIG)
        + SearchVector("standfirst", weight="B", config=SEARCH_CONFIG)
        + SearchVector("body", weight="C", config=SEARCH_CONFIG)
    )


class Migration(migrations.Migration):

    dependencies = [
        ('articles', '0010_list_indexes'),
    ]

    operations = [
        migrations.AddField(
            model_name='article',
            name='search_document',
            field=django.contrib.postgres.search.SearchVectorField(editable=False, null=True),
        ),
        migrations.RunPython(store_search_documents, migrations.RunPython.noop),
        AddIndexOnPostgreSQL(
            model_name='article',
            index=django.contrib.postgres.indexes.GinIndex(fields=['search_document'], name='article_search_document'),
        ),
        RemoveIndexOnPostgreSQL(
            model_name='article',
            name='article_search',
        ),
    ]
