"""The error pages: one layout (templates/error_page.html), each with its status code, heading and way on."""

import pytest
from django.core.exceptions import BadRequest
from django.db import OperationalError
from django.http import Http404
from django.views.defaults import bad_request, page_not_found, server_error
from pytest_django.asserts import assertContains

from newsroom.middleware import DatabaseUnavailableMiddleware

LATEST_NEWS = '<a href="/">Go to the latest news</a>'


def database_unavailable(request):
    return DatabaseUnavailableMiddleware(lambda request: None).process_exception(request, OperationalError())


@pytest.mark.parametrize(
    ("answer", "status", "heading", "way_on"),
    [
        (
            lambda request: bad_request(request, BadRequest()),
            400,
            "We could not read what your browser sent",
            LATEST_NEWS,
        ),
        (lambda request: page_not_found(request, Http404()), 404, "We couldn't find that page", LATEST_NEWS),
        (server_error, 500, "Something went wrong on our side", LATEST_NEWS),
        (database_unavailable, 503, "We'll be right back", '<a href="/2024/07/12/some-article/">Try again</a>'),
    ],
    ids=["400", "404", "500", "503"],
)
@pytest.mark.django_db
def test_every_error_page_shows_its_code_heading_and_a_way_on(rf, answer, status, heading, way_on):
    response = answer(rf.get("/2024/07/12/some-article/"))

    assertContains(response, f'<p class="error-page__code">{status}</p>', html=True, status_code=status)
    assertContains(response, f'<h1 class="error-page__title">{heading}</h1>', html=True, status_code=status)
    assertContains(response, way_on, html=True, status_code=status)
