from django.db import migrations, models
from django.db.models import F


def note_published_comments(apps, schema_editor):
    """Comments published before this field existed were, as far as anyone can tell, published when posted."""
    Comment = apps.get_model("comments", "Comment")
    Comment.objects.filter(status="approved").update(first_approved_at=F("created_at"))


class Migration(migrations.Migration):
    dependencies = [
        ("comments", "0011_held_reason_bans"),
    ]

    operations = [
        migrations.AddField(
            model_name="comment",
            name="first_approved_at",
            field=models.DateTimeField(
                blank=True,
                editable=False,
                help_text="When it was first published: its author and the author it replies to are told once.",
                null=True,
                verbose_name="first approved",
            ),
        ),
        migrations.RunPython(note_published_comments, migrations.RunPython.noop),
    ]
