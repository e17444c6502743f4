"""The CSRF token as a hole: ``{% csrf_token %}`` on a cached page gets each visitor's own."""

from django.utils.functional import SimpleLazyObject

from pagecache.holes import per_request


def csrf(request):
    """Replaces Django's built-in ``csrf_token`` (lazy as it is): a page without a form makes no token."""
    return {"csrf_token": SimpleLazyObject(lambda: per_request(request, "csrf_token"))}
