"""Editors upload pictures in the admin; the body editor reads the library as JSON; uploads are served."""

import pytest
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from images.models import Image
from images.tests.helpers import picture_upload

pytestmark = pytest.mark.django_db

ADD = reverse("admin:images_image_add")
CHANGELIST = reverse("admin:images_image_changelist")
LIBRARY = reverse("admin:images_image_library")


def test_an_editor_uploads_a_picture_with_alt_text(editor_client):
    form = editor_client.get(ADD)
    assert b'enctype="multipart/form-data"' in form.content
    assert b'accept="image/jpeg,image/png,image/webp,image/gif"' in form.content

    response = editor_client.post(
        ADD,
        {
            "upload": picture_upload("Harbour at dawn.JPG", width=1600, height=900),
            "alt": "Fishing boats moored in the harbour at dawn",
            "caption": "The harbour on Tuesday morning.",
            "credit": "Photo: Jane Doe",
            "title": "",
        },
    )

    assert response.status_code == 302
    image = Image.objects.get()
    assert image.alt == "Fishing boats moored in the harbour at dawn"
    assert (image.width, image.height) == (1600, 900)
    assert image.file.name.endswith("-harbour-at-dawn.jpg")
    assert [r.width for r in image.renditions_of("webp")] == [400, 800, 1200, 1600]


def test_the_list_shows_thumbnails(editor_client, make_image):
    image = make_image(alt="A lighthouse in the fog")

    response = editor_client.get(CHANGELIST)

    assert response.status_code == 200
    thumbnail = image.thumbnail
    assert f'<img src="{thumbnail.url}" width="96" height="58" alt="" class="image-thumbnail">' in response.text
    assert "A lighthouse in the fog" in response.text
    assert "1000 × 600" in response.text


def test_alt_text_is_required_unless_decorative(editor_client):
    refused = editor_client.post(ADD, {"upload": picture_upload(), "alt": ""})

    assert refused.status_code == 200
    assert refused.context["adminform"].form.errors == {
        "alt": ["Describe the picture for readers who cannot see it, or mark it as decorative."]
    }
    assert not Image.objects.exists()

    accepted = editor_client.post(ADD, {"upload": picture_upload(), "alt": "", "decorative": "on"})
    assert accepted.status_code == 302
    assert Image.objects.get().decorative


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (
            SimpleUploadedFile("notes.jpg", b"These are my notes.\n", "image/jpeg"),
            "This file is not an image we can use. Upload a JPEG, PNG, WebP or GIF picture.",
        ),
        (
            picture_upload("big.png", image_format="PNG", width=3000, height=2000),
            "This picture is 3000 × 2000 pixels (6.0 million); images may have at most 5 million. "
            "Make it smaller and upload it again.",
        ),
    ],
    ids=["text-file", "too-many-pixels"],
)
def test_a_refused_upload_gets_a_message_and_keeps_what_was_typed(editor_client, settings, upload, message):
    settings.IMAGES_MAX_PIXELS = 5_000_000

    response = editor_client.post(ADD, {"upload": upload, "alt": "What I typed", "credit": "Photo: me"})

    assert response.status_code == 200
    assert response.context["adminform"].form.errors == {"upload": [message]}
    assert 'value="What I typed"' in response.text
    assert not Image.objects.exists()


def test_changing_the_texts_keeps_the_picture_and_a_new_upload_replaces_it(
    editor_client, make_image, django_capture_on_commit_callbacks
):
    image = make_image()
    change = reverse("admin:images_image_change", args=[image.pk])
    old_name = image.file.name

    editor_client.post(change, {"alt": "Better words", "caption": "", "credit": "", "title": ""})
    image.refresh_from_db()
    assert (image.alt, image.file.name) == ("Better words", old_name)

    with django_capture_on_commit_callbacks(execute=True):
        editor_client.post(change, {"upload": picture_upload("new.png", image_format="PNG"), "alt": "New"})
    image.refresh_from_db()
    assert image.file.name.endswith("-new.png")
    assert not image.file.storage.exists(old_name)


def test_the_library_lists_images_as_json_for_the_body_editor(editor_client, make_image):
    older = make_image(alt="Older", caption="A caption", credit="Photo: A")
    newer = make_image(alt="", decorative=True)

    response = editor_client.get(LIBRARY)

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response.json() == {
        "images": [
            {
                "id": newer.pk,
                "url": newer.file.url,
                "alt": "",
                "decorative": True,
                "caption": "",
                "credit": "",
                "thumbnail": newer.thumbnail.url,
                "width": 1000,
                "height": 600,
            },
            {
                "id": older.pk,
                "url": older.file.url,
                "alt": "Older",
                "decorative": False,
                "caption": "A caption",
                "credit": "Photo: A",
                "thumbnail": older.thumbnail.url,
                "width": 1000,
                "height": 600,
            },
        ],
        "page": 1,
        "pages": 1,
        "next": None,
    }
    assert older.file.url.startswith("/media/images/")
    assert [item["id"] for item in editor_client.get(LIBRARY, {"q": "older"}).json()["images"]] == [older.pk]


def test_the_library_pages_by_fifty(editor_client, make_image, monkeypatch):
    monkeypatch.setattr("images.admin.LIBRARY_PAGE_SIZE", 2)
    for _ in range(3):
        make_image()

    first = editor_client.get(LIBRARY, {"q": "picture"}).json()
    assert (len(first["images"]), first["pages"], first["next"]) == (2, 2, f"{LIBRARY}?q=picture&page=2")
    assert len(editor_client.get(first["next"]).json()["images"]) == 1


def test_the_library_needs_staff_with_the_images_permission(client, django_user_model, make_image):
    make_image()
    assert client.get(LIBRARY).status_code == 302  # to the admin's login

    reader = django_user_model.objects.create_user("reader")
    client.force_login(reader)
    assert client.get(LIBRARY).status_code == 302

    staff = django_user_model.objects.create_user("staff", is_staff=True)
    client.force_login(staff)
    assert client.get(LIBRARY).status_code == 403

    staff.user_permissions.add(Permission.objects.get(codename="view_image"))
    assert client.get(LIBRARY).status_code == 200


def test_uploads_are_served_with_far_future_cache_headers(client, make_image):
    image = make_image()

    response = client.get(image.file.url)

    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert response["Cache-Control"] == "max-age=31536000, public, immutable"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content)[:2] == b"\xff\xd8"
    client.raise_request_exception = False
    assert client.get("/media/images/../../conftest.py").status_code == 400
    assert client.get("/media/images/missing.jpg").status_code == 404
    assert client.post(image.file.url).status_code == 405
