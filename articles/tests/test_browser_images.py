"""An editor uploads a picture and makes it an article's lead image; readers get the width that fits."""

import importlib
import re

import pytest
from django.apps import apps
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from playwright.sync_api import expect

from articles.demo.pictures import demo_picture
from articles.models import Article

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "a-long-test-password"
ALT = "Green hills under a morning sky, a river winding towards the viewer"


@pytest.fixture
def editor_with_password(django_user_model):
    """A staff editor, in the Editors group made as its migrations make it (these tests' database is emptied
    after each test)."""
    schema_editor = connection.schema_editor()
    importlib.import_module("comments.migrations.0003_editors_group").create_editors_group(apps, schema_editor)
    importlib.import_module("images.migrations.0002_editors_manage_images").editors_manage_images(apps, schema_editor)
    user = django_user_model.objects.create_user("ed", password=PASSWORD, is_staff=True)
    user.groups.add(Group.objects.get(name="Editors"))
    return user


@pytest.fixture
def draft(make_article, make_image):
    """A draft whose body shows two pictures of the library."""
    valley, gauge = (
        make_image(alt=alt, upload=SimpleUploadedFile(f"{seed}.jpg", demo_picture(seed)[0].getvalue()))
        for seed, alt in [("valley", "A map of the valley"), ("gauge", "The river gauge at noon")]
    )
    body = "\n\n".join(
        [
            "The river rose overnight.",
            f'<figure><img src="{valley.file.url}" alt="A map"><figcaption>The valley.</figcaption></figure>',
            "Residents were warned in the morning.",
            f'<img src="{gauge.file.url}" alt="The river gauge at noon">',
            "The water is expected to fall by Friday.",
        ]
    )
    return make_article(title="The river rises", body=body, status=Article.Status.DRAFT)


def log_in(tab, user):
    tab.goto("/admin/")
    tab.get_by_label("Username").fill(user.username)
    tab.get_by_label("Password").fill(PASSWORD)
    tab.get_by_role("button", name="Log in").click()


def test_editor_uploads_a_lead_image_and_readers_get_the_width_that_fits(
    page, browser, live_server, editor_with_password, draft, viewports, scrolls_sideways, axe_violations, screenshot
):
    log_in(page, editor_with_password)
    picture, _alt = demo_picture("browser-test")

    page.goto("/admin/images/image/add/")
    page.get_by_label("Picture").set_input_files(
        {"name": "river-valley.jpg", "mimeType": "image/jpeg", "buffer": picture.getvalue()}
    )
    page.get_by_label("Alt text").fill(ALT)
    page.get_by_label("Caption").fill("The Aske valley after the rain.")
    page.get_by_label("Credit").fill("Illustration: Newsroom")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".messagelist")).to_contain_text("was added successfully")
    expect(page.locator("#result_list img.image-thumbnail")).to_have_count(3)

    page.goto(f"/admin/articles/article/{draft.pk}/change/")
    page.locator(".field-lead_image .select2-selection").click()
    page.locator(".select2-container--open .select2-search__field").fill("Green hills")
    page.locator(".select2-results__option", has_text="Green hills under a morning sky").click()
    page.locator("#id_status").select_option("published")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".messagelist")).to_contain_text("was changed successfully")
    draft.refresh_from_db()
    assert draft.is_published()
    assert draft.lead_image.alt == ALT

    reader = browser.new_context(base_url=live_server.url, bypass_csp=True)  # for axe-core
    tab = reader.new_page()
    chosen = {}
    for width_name, viewport in viewports.items():
        tab.set_viewport_size(viewport)
        tab.goto(draft.get_absolute_url())
        lead = tab.locator(".article__lead-image img")
        expect(lead).to_have_attribute("alt", ALT)
        expect(tab.locator(".article__lead-image figcaption")).to_have_text(
            "The Aske valley after the rain. Illustration: Newsroom"
        )
        tab.wait_for_function("() => [...document.images].every(image => image.complete)")
        assert lead.evaluate("image => image.naturalWidth") > 0
        chosen[width_name] = lead.evaluate("image => image.currentSrc")
        assert re.search(r"-\d+w\.webp$", chosen[width_name]), chosen[width_name]
        body_images = tab.locator(".article__body picture img")
        expect(body_images).to_have_count(2)
        expect(body_images.first).to_have_attribute("loading", "lazy")
        assert not scrolls_sideways(tab), f"the article scrolls sideways at {viewport['width']} px"
        assert axe_violations(tab) == [], f"at {viewport['width']} px"
        screenshot(tab, f"article-image-{width_name}")
    reader.close()

    assert chosen["phone"].endswith("-400w.webp")
    assert chosen["desktop"].endswith("-800w.webp")
