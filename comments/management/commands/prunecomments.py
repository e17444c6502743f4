from django.conf import settings
from django.core.management.base import BaseCommand

from comments.retention import clear_client_details, purge_spam_and_trash


class Command(BaseCommand):
    help = (
        "Remove the IP addresses and user agents of comments older than COMMENTS_RETAIN_DAYS, and delete "
        "spam and trash older than COMMENTS_PURGE_DAYS. Run it daily."
    )

    def handle(self, *args, **options):
        cleared = clear_client_details()
        purged = purge_spam_and_trash()
        self.stdout.write(
            f"Removed the IP address and user agent of {cleared} comments older than "
            f"{settings.COMMENTS_RETAIN_DAYS} days; deleted {purged} spam and trash comments older than "
            f"{settings.COMMENTS_PURGE_DAYS} days."
        )
