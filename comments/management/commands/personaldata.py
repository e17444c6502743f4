import json

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.core.validators import validate_email

from comments.privacy import erase_personal_data, export_personal_data


class Command(BaseCommand):
    help = (
        "Export, as JSON, or erase what the site stores about a commenter, found by email address: "
        "the name, email, website, IP address and user agent of their comments (and, on request, the text), "
        "the details browsers remember for the comment form, and the admin history's entries naming them."
    )

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True, metavar="{export,erase}")
        export = actions.add_parser("export", help="Print a JSON document of the commenter's data.")
        export.add_argument("email")
        erase = actions.add_parser("erase", help="Anonymise the commenter's comments.")
        erase.add_argument("email")
        erase.add_argument("--delete-text", action="store_true", help="Replace the comments' text as well.")

    def handle(self, *args, action, email, **options):
        try:
            validate_email(email)
        except ValidationError as error:
            raise CommandError(f"{email!r} is not an email address.") from error
        if action == "export":
            self.stdout.write(json.dumps(export_personal_data(email), indent=2, ensure_ascii=False))
        else:
            erased = erase_personal_data(email, delete_text=options["delete_text"])
            self.stdout.write(f"Erased the personal data of {erased} comment{'s' if erased != 1 else ''} by {email}.")
