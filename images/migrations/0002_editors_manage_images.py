from django.apps import apps as global_apps
from django.contrib.auth.management import create_permissions
from django.db import migrations

EDITORS = "Editors"
ACTIONS = ["add", "change", "delete", "view"]


def editors_manage_images(apps, schema_editor):
    # On a fresh database, permissions are only created after all migrations have run.
    create_permissions(global_apps.get_app_config("images"), verbosity=0, apps=apps, using=schema_editor.connection.alias)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    editors, _created = Group.objects.get_or_create(name=EDITORS)
    editors.permissions.add(
        *Permission.objects.filter(
            content_type__app_label="images",
            content_type__model="image",
            codename__in=[f"{action}_image" for action in ACTIONS],
        )
    )


def editors_stop_managing_images(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    editors = apps.get_model("auth", "Group").objects.filter(name=EDITORS).first()
    if editors:
        editors.permissions.remove(*Permission.objects.filter(content_type__app_label="images"))


class Migration(migrations.Migration):

    dependencies = [
        ("images", "0001_image_library"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.RunPython(editors_manage_images, editors_stop_managing_images),
    ]
