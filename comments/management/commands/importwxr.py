from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from comments.wordpress import WXRError, import_wxr


class Command(BaseCommand):
    help = (
        "Import a WordPress export (WXR file): posts become articles, with their authors, categories, tags "
        "and comments. Importing the same export again updates what it imported."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="The export, as written by WordPress's Tools → Export.")
        parser.add_argument(
            "--media-dir",
            metavar="DIR",
            help="A copy of the WordPress site's wp-content/uploads folder: posts' featured images are imported "
            "from it (…/wp-content/uploads/2024/07/photo.jpg is DIR/2024/07/photo.jpg).",
        )
        parser.add_argument(
            "--progress-every", type=int, default=1000, metavar="N", help="Report progress every N items (1000)."
        )

    def handle(self, *args, **options):
        if options["progress_every"] < 1:
            raise CommandError("--progress-every must be at least 1.")
        if options["media_dir"] and not Path(options["media_dir"]).is_dir():
            raise CommandError(f"--media-dir {options['media_dir']} is not a folder.")
        try:
            with open(options["file"], "rb") as export:
                counts = import_wxr(
                    export,
                    on_progress=lambda counts: self.stdout.write(counts.progress()),
                    progress_every=options["progress_every"],
                    media_dir=options["media_dir"],
                )
        except OSError as error:
            raise CommandError(f"Cannot read {options['file']}: {error.strerror}") from error
        except WXRError as error:
            raise CommandError(f"{options['file']}: {error}. Nothing was imported.") from error
        self.stdout.write(self.style.SUCCESS(counts.summary()))
        for reason in counts.images_not_imported:
            self.stdout.write(self.style.WARNING(f"Featured image not imported for {reason}"))
