"""Helpers of the page cache's tests."""

import re

from django.db import connection
from django.test.signals import template_rendered
from django.test.utils import CaptureQueriesContext

from comments.tests.helpers import comment_form_data

HIDDEN_INPUT = re.compile(r'<input type="hidden" name="([^"]+)" value="([^"]*)"')


class Work:
    """What a request costs: database queries and templates rendered."""

    def __init__(self):
        self.templates = 0
        self.queries = CaptureQueriesContext(connection)

    def count_template(self, **kwargs):
        self.templates += 1

    def __enter__(self):
        template_rendered.connect(self.count_template)
        self.queries.__enter__()
        return self

    def __exit__(self, *exc_info):
        self.queries.__exit__(*exc_info)
        template_rendered.disconnect(self.count_template)


def comment_data(client, article, **fields):
    """What a reader's browser posts from the article page's comment form: its hidden fields as the page gave them."""
    html = client.get(article.get_absolute_url()).content.decode()
    typed = comment_form_data(article, comment="A reader's thoughts.", author="Ana Reader", email="ana@readers.example")
    return {**typed, **dict(HIDDEN_INPUT.findall(html)), **fields}
