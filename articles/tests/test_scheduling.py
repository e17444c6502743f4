"""Scheduled articles in the admin: labelled and filtered in the list, and "Schedule" on the save button."""

from datetime import datetime
from datetime import timezone as dt_timezone

import pytest
from django.urls import reverse
from django.utils import timezone
from pytest_django.asserts import assertContains, assertInHTML

from articles.models import Article

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:articles_article_changelist")
NEXT_YEAR = datetime(timezone.now().year + 1, 3, 4, 9, 30, tzinfo=dt_timezone.utc)


@pytest.fixture
def articles(make_article):
    return {
        "scheduled": make_article(title="Embargoed budget", published_at=NEXT_YEAR),
        "live": make_article(title="Yesterday's news"),
        "draft": make_article(title="Notes", status=Article.Status.DRAFT, published_at=NEXT_YEAR),
        "review": make_article(title="For the desk", status=Article.Status.REVIEW),
    }


def test_the_list_labels_scheduled_articles_with_their_date(editor_client, articles):
    listing = editor_client.get(CHANGELIST).content.decode()

    date = f"4 March {NEXT_YEAR.year}, 09:30"
    assertInHTML(f'<td class="field-publication">Scheduled for {date}</td>', listing)
    assertInHTML('<td class="field-publication">Published</td>', listing)
    assertInHTML('<td class="field-publication">Draft</td>', listing)
    assertInHTML('<td class="field-publication">Pending review</td>', listing)


@pytest.mark.parametrize(
    ("choice", "title"),
    [("scheduled", "Embargoed budget"), ("live", "Yesterday's news"), ("draft", "Notes"), ("review", "For the desk")],
)
def test_the_list_filters_by_publication(editor_client, articles, choice, title):
    listing = editor_client.get(CHANGELIST, {"publication": choice})

    assert [article.title for article in listing.context["cl"].result_list] == [title]


@pytest.mark.parametrize(("name", "label"), [("scheduled", "Schedule"), ("live", "Save"), ("draft", "Save")])
def test_the_save_button_says_schedule_for_a_date_to_come(editor_client, articles, name, label):
    change = editor_client.get(reverse("admin:articles_article_change", args=[articles[name].pk]))

    assertContains(change, f'<input type="submit" value="{label}" class="default" name="_save" data-save-label="Save"')
    assertContains(change, '<script src="/static/articles/admin/schedule_button.js"></script>', html=True)
