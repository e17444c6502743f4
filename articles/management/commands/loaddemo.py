from django.core.management.base import BaseCommand

from articles.demo import DEMO_EDITOR_PASSWORD, DEMO_EDITOR_USERNAME, create_demo_editor, load_demo


class Command(BaseCommand):
    help = (
        "Load the demo articles (with lead images drawn on the spot), authors, sections and tags "
        "(and, with --editor, a demo editor login). Safe to run twice."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--editor",
            action="store_true",
            help=f"Also create the staff user '{DEMO_EDITOR_USERNAME}' with a known password (never in production).",
        )

    def handle(self, *args, **options):
        created = load_demo()
        self.stdout.write(
            f"Demo content: {created['articles']} new articles, {created['authors']} new authors, "
            f"{created['sections']} new sections, {created['tags']} new tags, {created['images']} new images."
        )
        if options["editor"]:
            created = create_demo_editor()
            state = "created" if created else "already there, password unchanged"
            self.stdout.write(
                f"Demo editor ({state}): username {DEMO_EDITOR_USERNAME}, password {DEMO_EDITOR_PASSWORD}"
            )
