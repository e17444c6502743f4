from django.db import migrations, models


class AddFieldWithoutRebuild(migrations.AddField):
    """On SQLite, add the column with ALTER TABLE and a constant default.

    Django would rebuild the table to add a NOT NULL column there, and a rebuild would try to recreate the
    PostgreSQL-only search index.
    """

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor != "sqlite":
            super().database_forwards(app_label, schema_editor, from_state, to_state)
            return
        model = to_state.apps.get_model(app_label, self.model_name)
        field = model._meta.get_field(self.name)
        definition, _params = schema_editor.column_sql(model, field)
        schema_editor.execute(
            f"ALTER TABLE {schema_editor.quote_name(model._meta.db_table)} "
            f"ADD COLUMN {schema_editor.quote_name(field.column)} {definition} DEFAULT {int(field.default)}"
        )


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0007_corrections_and_updates"),
    ]

    operations = [
        AddFieldWithoutRebuild(
            model_name="article",
            name="comment_count",
            field=models.PositiveIntegerField(
                default=0,
                editable=False,
                help_text="Kept up to date by the comments app on every change of a comment's status.",
                verbose_name="approved comments",
            ),
        ),
    ]
