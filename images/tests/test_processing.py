"""Uploads are checked, cleaned of their metadata and stored once, with renditions made at upload time."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from PIL import ExifTags
from PIL import Image as PillowImage

from images.models import Image
from images.processing import clean_upload
from images.tests.helpers import picture_bytes, picture_upload

pytestmark = pytest.mark.django_db

GPS = ExifTags.IFD.GPSInfo


def gps_exif(orientation=None):
    """EXIF naming a camera, its owner and a position (51° 30′ N, 0° 7′ W), and an orientation."""
    exif = PillowImage.Exif()
    exif[ExifTags.Base.Make] = "Newsroom Camera Co"
    exif[ExifTags.Base.BodySerialNumber] = "SN-123456"
    exif[ExifTags.Base.Artist] = "A Photographer"
    if orientation:
        exif[ExifTags.Base.Orientation] = orientation
    exif.get_ifd(GPS).update(
        {
            ExifTags.GPS.GPSLatitudeRef: "N",
            ExifTags.GPS.GPSLatitude: (51.0, 30.0, 0.0),
            ExifTags.GPS.GPSLongitudeRef: "W",
            ExifTags.GPS.GPSLongitude: (0.0, 7.0, 0.0),
        }
    )
    return exif


def opened(name):
    with default_storage.open(name) as stored:
        picture = PillowImage.open(io.BytesIO(stored.read()))
        picture.load()
        return picture


def stored_files(image):
    return [image.file.name] + [rendition.name for rendition in image.rendition_list]


def test_gps_and_camera_metadata_is_stripped_from_every_stored_file(make_image):
    upload = picture_upload("holiday.jpg", exif=gps_exif())
    assert b"SN-123456" in upload.read()
    assert PillowImage.open(upload).getexif().get_ifd(GPS)
    upload.seek(0)

    image = make_image(upload=upload)

    for name in stored_files(image):
        picture = opened(name)
        assert not picture.getexif(), name
        assert not picture.getexif().get_ifd(GPS), name
        assert not {"exif", "xmp", "comment"} & picture.info.keys(), name
        with default_storage.open(name) as stored:
            content = stored.read()
        assert b"SN-123456" not in content
        assert b"Newsroom Camera" not in content
        assert b"Photographer" not in content


def test_exif_orientation_is_applied_before_it_is_stripped(make_image):
    # Orientation 6: the camera was turned; the picture must be rotated 90° clockwise to be upright.
    upload = picture_upload("turned.jpg", width=800, height=400, exif=gps_exif(orientation=6))

    image = make_image(upload=upload)

    assert (image.width, image.height) == (400, 800)
    picture = opened(image.file.name)
    assert picture.size == (400, 800)
    assert picture.getpixel((380, 20)) == pytest.approx((255, 255, 255), abs=8)  # the white box, now top right
    assert picture.getpixel((20, 20)) != pytest.approx((255, 255, 255), abs=8)


def test_renditions_in_webp_and_jpeg_never_upscaled(make_image):
    image = make_image(upload=picture_upload("wide.jpg", width=1000, height=600))

    assert [(r.kind, r.width, r.height) for r in image.rendition_list] == [
        ("webp", 400, 240),
        ("webp", 800, 480),
        ("webp", 1000, 600),
        ("jpeg", 400, 240),
        ("jpeg", 800, 480),
        ("jpeg", 1000, 600),
    ]
    for rendition in image.rendition_list:
        picture = opened(rendition.name)
        assert picture.format == {"webp": "WEBP", "jpeg": "JPEG"}[rendition.kind]
        assert picture.size == (rendition.width, rendition.height)
        assert rendition.size == default_storage.size(rendition.name)


def test_the_widest_rendition_is_capped(make_image):
    image = make_image(upload=picture_upload("huge.png", image_format="PNG", width=2400, height=1200))

    assert [r.width for r in image.renditions_of("jpeg")] == [400, 800, 1200, 1600]
    assert (image.width, image.height) == (2400, 1200)
    assert opened(image.file.name).format == "PNG"


def test_a_small_picture_gets_one_rendition_of_its_own_width(make_image):
    image = make_image(upload=picture_upload("icon.gif", image_format="GIF", width=120, height=80))

    assert [(r.kind, r.width) for r in image.rendition_list] == [("webp", 120), ("jpeg", 120)]


def test_a_transparent_png_keeps_its_transparency_in_webp_and_is_flattened_on_white_in_jpeg(make_image):
    upload = picture_upload("logo.png", image_format="PNG", mode="RGBA", color=(0, 0, 0, 0), width=500, height=300)

    image = make_image(upload=upload)

    webp, jpeg = image.rendition("webp", 400), image.rendition("jpeg", 400)
    assert opened(webp.name).getpixel((300, 200))[3] == 0
    assert opened(jpeg.name).getpixel((300, 200)) == pytest.approx((255, 255, 255), abs=3)


def test_the_same_picture_uploaded_twice_is_stored_once(make_image):
    first = make_image(upload=picture_upload("same.jpg"))
    second = make_image(upload=picture_upload("same.jpg"))

    assert first.file.name == second.file.name
    assert first.renditions == second.renditions


def test_deleting_an_image_deletes_its_files_unless_shared(make_image, django_capture_on_commit_callbacks):
    first = make_image(upload=picture_upload("shared.jpg"))
    second = make_image(upload=picture_upload("shared.jpg"))
    names = stored_files(first)

    with django_capture_on_commit_callbacks(execute=True):
        first.delete()
    assert all(default_storage.exists(name) for name in names)

    with django_capture_on_commit_callbacks(execute=True):
        second.delete()
    assert not any(default_storage.exists(name) for name in names)


def upload_error(upload):
    with pytest.raises(ValidationError) as error:
        clean_upload(upload)
    return error.value


def test_a_text_file_named_jpg_is_refused():
    error = upload_error(SimpleUploadedFile("notes.jpg", b"Not a picture at all.\n" * 20, "image/jpeg"))

    assert error.code == "not_an_image"
    assert error.messages == ["This file is not an image we can use. Upload a JPEG, PNG, WebP or GIF picture."]


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (picture_bytes()[:2000], "truncated"),
        (picture_bytes(image_format="PNG")[:-30] + b"\x00" * 30, "damaged"),
        (picture_bytes(image_format="BMP"), "another format"),
        (b"", "empty"),
    ],
)
def test_broken_and_other_files_are_refused(content, reason):
    assert upload_error(SimpleUploadedFile("broken.jpg", content)).code == "not_an_image", reason


def test_a_file_over_the_size_limit_is_refused_before_it_is_opened(settings):
    settings.IMAGES_MAX_UPLOAD_MB = 1
    upload = SimpleUploadedFile("big.jpg", picture_bytes() + b"\x00" * (1024 * 1024), "image/jpeg")

    error = upload_error(upload)

    assert error.code == "file_too_large"
    assert error.messages == ["This file is 1.0\xa0MB; images may be at most 1.0\xa0MB."]


def test_a_picture_over_the_pixel_limit_is_refused(settings):
    settings.IMAGES_MAX_PIXELS = 1_000_000

    error = upload_error(picture_upload("wide.png", image_format="PNG", width=2000, height=1000))

    assert error.code == "too_many_pixels"
    assert error.messages == [
        "This picture is 2000 × 1000 pixels (2.0 million); images may have at most 1 million. "
        "Make it smaller and upload it again."
    ]


def test_a_decompression_bomb_is_refused_with_a_message():
    # A 9,000 × 9,000 PNG of one colour is about 12 kB; decoded as RGB it would take 243 MB.
    bomb = io.BytesIO()
    PillowImage.new("1", (9_000, 9_000)).save(bomb, "PNG")
    assert len(bomb.getvalue()) < 20_000

    error = upload_error(SimpleUploadedFile("bomb.png", bomb.getvalue(), "image/png"))

    assert error.code == "too_many_pixels"
    assert "9000 × 9000 pixels (81.0 million)" in error.messages[0]


def test_a_bomb_beyond_pillows_own_limit_is_refused_even_with_a_careless_setting(settings):
    settings.IMAGES_MAX_PIXELS = 10**12
    bomb = io.BytesIO()
    PillowImage.new("1", (14_000, 14_000)).save(bomb, "PNG")  # over twice Pillow's MAX_IMAGE_PIXELS

    error = upload_error(SimpleUploadedFile("bomb.png", bomb.getvalue(), "image/png"))

    assert error.code == "too_many_pixels"
    assert error.messages == [
        "This picture has too many pixels to be opened safely. Make it smaller and upload it again."
    ]


def test_an_image_without_alt_text_must_be_marked_decorative(make_image):
    image = make_image()
    image.alt = " "
    with pytest.raises(ValidationError) as error:
        image.full_clean()
    assert error.value.message_dict == {
        "alt": ["Describe the picture for readers who cannot see it, or mark it as decorative."]
    }

    image.decorative = True
    image.alt = "A line"
    image.full_clean()
    assert image.alt == ""
    assert image.alt_text == ""


def test_create_from_file_refuses_a_missing_alt_before_storing_anything(make_image, media_root):
    stored_before = sorted(media_root.rglob("*"))

    with pytest.raises(ValidationError):
        make_image(alt="", upload=picture_upload("never-stored.jpg", color=(1, 2, 3)))

    assert not Image.objects.exists()
    assert sorted(media_root.rglob("*")) == stored_before


def test_makerenditions_follows_a_change_of_widths(make_image, settings, capsys):
    image = make_image(upload=picture_upload("wide.jpg", width=1000, height=600))
    original = image.file.name
    settings.IMAGES_RENDITION_WIDTHS = [320, 640]

    call_command("makerenditions")
    call_command("makerenditions")

    image.refresh_from_db()
    assert image.file.name == original
    assert [(r.width, r.height) for r in image.renditions_of("webp")] == [(320, 192), (640, 384)]
    assert all(default_storage.exists(r.name) for r in image.rendition_list)
    assert opened(image.rendition("jpeg", 640).name).size == (640, 384)
    assert capsys.readouterr().out == "1 of 1 images got new renditions.\n0 of 1 images got new renditions.\n"
