from django.db import migrations
from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce


def fill_comment_counts(apps, schema_editor):
    """Store each article's number of approved comments."""
    Article = apps.get_model("articles", "Article")
    Comment = apps.get_model("comments", "Comment")
    approved = (
        Comment.objects.filter(article=OuterRef("pk"), status="approved")
        .order_by()
        .values("article")
        .annotate(count=Count("pk"))
        .values("count")
    )
    Article.objects.update(comment_count=Coalesce(Subquery(approved), 0))


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0008_article_comment_count"),
        ("comments", "0005_editors_edit_bylines_and_notes"),
    ]

    operations = [migrations.RunPython(fill_comment_counts, migrations.RunPython.noop)]
