from django.apps import apps as global_apps
from django.contrib.auth.management import create_permissions
from django.db import migrations

EDITORS = "Editors"
MODELS = [("articles", "articleauthor"), ("articles", "articlenote")]


def grant_editors(apps, schema_editor):
    """Editors may add, change, delete and view these models (the group and permissions exist by now)."""
    create_permissions(global_apps.get_app_config("articles"), verbosity=0, apps=apps, using=schema_editor.connection.alias)
    Permission = apps.get_model("auth", "Permission")
    editors = apps.get_model("auth", "Group").objects.filter(name=EDITORS).first()
    if editors is None:
        return
    for app_label, model in MODELS:
        editors.permissions.add(
            *Permission.objects.filter(
                content_type__app_label=app_label,
                content_type__model=model,
                codename__in=[f"{action}_{model}" for action in ("add", "change", "delete", "view")],
            )
        )


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0007_corrections_and_updates"),
        ("comments", "0004_wordpress_id_imported_dates_erasable_email"),
    ]

    operations = [migrations.RunPython(grant_editors, migrations.RunPython.noop)]
