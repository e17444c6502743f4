from django.conf import settings
from django.core.management.base import BaseCommand

from articles.counting import flush_views


class Command(BaseCommand):
    help = "Store the view totals counted in the cache. Run it every minute."

    def handle(self, *args, **options):
        if not settings.VIEW_COUNTS_IN_CACHE:
            self.stdout.write("Views are counted straight into the database (VIEW_COUNTS_IN_CACHE is off).")
            return
        articles, views = flush_views()
        self.stdout.write(f"Stored {views} views of {articles} articles.")
