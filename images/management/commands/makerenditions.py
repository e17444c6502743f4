from django.core.management.base import BaseCommand

from images.models import Image


class Command(BaseCommand):
    help = (
        "Make every library image's renditions in the widths IMAGES_RENDITION_WIDTHS asks for now, from the "
        "stored originals (after changing that setting). Renditions already stored are kept; safe to run twice."
    )

    def handle(self, *args, **options):
        changed = sum(image.remake_renditions() for image in Image.objects.order_by("pk").iterator())
        self.stdout.write(f"{changed} of {Image.objects.count()} images got new renditions.")
