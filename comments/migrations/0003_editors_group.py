from django.apps import apps as global_apps
from django.contrib.auth.management import create_permissions
from django.db import migrations

EDITORS = "Editors"

# What editors may do, by model: everything with articles and the things around them, moderation of
# comments and the discussion settings; nothing with users, groups or permissions.
EDITORS_PERMISSIONS = {
    ("articles", "article"): ["add", "change", "delete", "view"],
    ("articles", "author"): ["add", "change", "delete", "view"],
    ("articles", "section"): ["add", "change", "delete", "view"],
    ("articles", "tag"): ["add", "change", "delete", "view"],
    ("comments", "comment"): ["change", "delete", "view"],
    ("comments", "discussionsettings"): ["change", "view"],
}


def create_editors_group(apps, schema_editor):
    # On a fresh database, permissions are only created after all migrations have run.
    for app_label in ("articles", "comments"):
        create_permissions(
            global_apps.get_app_config(app_label), verbosity=0, apps=apps, using=schema_editor.connection.alias
        )
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    editors, _created = Group.objects.get_or_create(name=EDITORS)
    for (app_label, model), actions in EDITORS_PERMISSIONS.items():
        editors.permissions.add(
            *Permission.objects.filter(
                content_type__app_label=app_label,
                content_type__model=model,
                codename__in=[f"{action}_{model}" for action in actions],
            )
        )


def delete_editors_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=EDITORS).delete()


class Migration(migrations.Migration):

    dependencies = [
        ("articles", "0003_article_search_index"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("comments", "0002_discussionsettings"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.RunPython(create_editors_group, delete_editors_group),
    ]
