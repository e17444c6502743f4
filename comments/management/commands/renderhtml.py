from django.core.management.base import BaseCommand
from django.db import transaction

from articles.models import Article
from comments.models import Comment


class Command(BaseCommand):
    help = (
        "Render again the stored HTML of article bodies and comments that was made by other templates, rules "
        "or settings (language, time zone, date formats) than today's. Run it after upgrading or changing those; "
        "until then such pages are rendered as they are served, correct but slower."
    )

    def add_arguments(self, parser):
        parser.add_argument("--all", action="store_true", help="Render every article and comment, stale or not.")

    def handle(self, *args, all=False, **options):
        articles = Article.objects.all() if all else Article.objects.stale_bodies()
        comments = Comment.objects.all() if all else Comment.objects.stale_html()
        with transaction.atomic():
            rendered_articles = articles.render_bodies()
            rendered_comments = comments.render_html()
        self.stdout.write(f"Rendered the HTML of {rendered_articles} articles and {rendered_comments} comments.")
