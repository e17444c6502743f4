"""An editor in a real browser schedules an article: the save button says so while the date is to come."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from articles.models import Article

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_save_button_says_schedule_while_the_date_is_to_come(page, admin_login, article):
    admin_login(page)
    Article.objects.filter(pk=article.pk).update(status=Article.Status.DRAFT)
    page.goto(f"/admin/articles/article/{article.pk}/change/")
    save = page.locator("input[name=_save]")
    expect(save).to_have_value("Save")

    page.locator("#id_status").select_option("published")
    expect(save).to_have_value("Save")
    next_year = timezone.localtime() + timedelta(days=365)
    page.locator("#id_published_at_0").fill(next_year.strftime("%Y-%m-%d"))
    expect(save).to_have_value("Schedule")
    page.locator("#id_status").select_option("draft")
    expect(save).to_have_value("Save")
    page.locator("#id_status").select_option("published")
    save.click()

    scheduled = re.compile(rf"Scheduled for {next_year.day} \w+ {next_year.year}")
    expect(page.locator("#result_list td.field-publication")).to_have_text(scheduled)
