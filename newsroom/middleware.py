"""Answering politely when the database is unreachable."""

import logging

from django.db import InterfaceError, OperationalError
from django.shortcuts import render

logger = logging.getLogger(__name__)

RETRY_AFTER_SECONDS = 30


class DatabaseUnavailableMiddleware:
    """Turn a lost database connection into a friendly 503 page instead of a server error.

    A form posted during the fault is shown again with everything that was typed, ready to send
    once the database is back. The next request opens a new connection, so the site recovers by itself.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, (OperationalError, InterfaceError)):
            return None
        logger.error("Database unavailable while serving %s %s: %s", request.method, request.path, exception)
        posted = {}
        if request.method == "POST":
            posted = {name: value for name, value in request.POST.items() if name != "csrfmiddlewaretoken"}
        response = render(request, "503.html", {"posted": posted}, status=503)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response
