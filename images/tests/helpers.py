"""Pictures made with Pillow for the tests, in any format, size and with any EXIF."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image as PillowImage
from PIL import ImageDraw

MEDIA_TYPES = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp", "GIF": "image/gif"}
EXTENSIONS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp", "GIF": "gif"}


def picture_bytes(width=1000, height=600, image_format="JPEG", color=(200, 90, 40), exif=None, mode="RGB"):
    """A picture with a white box in its top left corner (so that its orientation can be checked)."""
    picture = PillowImage.new(mode, (width, height), color)
    ImageDraw.Draw(picture).rectangle([0, 0, width // 4, height // 4], fill="white")
    buffer = io.BytesIO()
    options = {"exif": exif} if exif is not None else {}
    picture.save(buffer, image_format, **options)
    return buffer.getvalue()


def picture_upload(name=None, image_format="JPEG", **options):
    """An uploaded file of a picture, as a form receives it."""
    name = name or f"picture.{EXTENSIONS[image_format]}"
    return SimpleUploadedFile(name, picture_bytes(image_format=image_format, **options), MEDIA_TYPES[image_format])
