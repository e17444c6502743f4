from django.apps import apps as global_apps
from django.contrib.auth.management import create_permissions
from django.db import migrations

EDITORS = "Editors"


def editors_delete_reports(apps, schema_editor):
    """Editors may view and delete readers' reports: deleting a reported comment deletes its reports with it."""
    create_permissions(global_apps.get_app_config("comments"), verbosity=0, apps=apps, using=schema_editor.connection.alias)
    Permission = apps.get_model("auth", "Permission")
    editors = apps.get_model("auth", "Group").objects.filter(name=EDITORS).first()
    if editors is None:
        return
    editors.permissions.add(
        *Permission.objects.filter(
            content_type__app_label="comments", codename__in=["delete_commentreport", "view_commentreport"]
        )
    )


class Migration(migrations.Migration):
    dependencies = [
        ("comments", "0012_first_approved_at"),
    ]

    operations = [migrations.RunPython(editors_delete_reports, migrations.RunPython.noop)]
