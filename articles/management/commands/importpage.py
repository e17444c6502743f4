from datetime import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from articles.importing import PageConflictError, PageFormatError, import_page
from articles.models import Article


def publication_date(value):
    """An ISO date or date and time, in the site's time zone unless it names its own."""
    try:
        moment = datetime.fromisoformat(value)
    except ValueError as error:
        raise CommandError(f"--date: {value!r} is not an ISO date such as 2024-07-12 or 2024-07-12T09:00") from error
    return moment if timezone.is_aware(moment) else timezone.make_aware(moment)


class Command(BaseCommand):
    help = (
        "Import an article saved as plain text from a web page: title, 'N Views', paragraphs, "
        "then the byline's name and email. Importing the same page again with the same --date updates the article."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="The saved page, a UTF-8 text file.")
        parser.add_argument(
            "--date",
            help="Publication date, e.g. 2024-07-12 or 2024-07-12T09:00 (default: now). The article with the "
            "page's slug on that day is updated; without --date, a page whose slug is taken is refused.",
        )
        parser.add_argument("--draft", action="store_true", help="Import as a draft instead of publishing it.")

    def handle(self, *args, **options):
        published_at = publication_date(options["date"]) if options["date"] else None
        try:
            with open(options["file"], encoding="utf-8-sig") as saved:
                text = saved.read()
        except OSError as error:
            raise CommandError(f"Cannot read {options['file']}: {error.strerror}") from error
        except UnicodeDecodeError as error:
            raise CommandError(f"{options['file']} is not UTF-8 text (byte {error.start} is invalid).") from error
        status = Article.Status.DRAFT if options["draft"] else Article.Status.PUBLISHED
        try:
            article, created = import_page(text, published_at=published_at, status=status)
        except (PageFormatError, PageConflictError) as error:
            raise CommandError(f"{options['file']}: {error}") from error
        action = "Created" if created else "Updated"
        self.stdout.write(f"{action} “{article.title}” by {article.author.name}: {article.get_absolute_url()}")
