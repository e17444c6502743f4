"""``RecentPageMiddleware``: pages this process holds, answered before URL resolving and the view."""

from pagecache.pages import lookup, needs_fresh_render, page_cache_applies, page_key, recent_pages


class RecentPageMiddleware:
    """Answer a GET or HEAD for a page this process holds before URL resolving, the view and the middleware after it.

    Other pages go on to their views (``CachedPageMixin``), which look them up in the shared cache and
    render and store them when missing or stale. Placed after ``SessionMiddleware`` (a commenter's session
    is read for their holes) and ``CsrfViewMiddleware``, which reads the visitor's CSRF cookie for the
    page's token and sets a new visitor's cookie on the way out.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if page_cache_applies(request):
            key = page_key(request)
            if key in recent_pages:
                page = lookup(request, key)
                if page is not None and not needs_fresh_render(request, page.topics):
                    return page.respond(request)
        return self.get_response(request)
