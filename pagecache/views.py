"""``CachedPageMixin``: a class-based view whose pages are served from the page cache."""

import contextlib
import time

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.contrib.sessions.backends.base import SessionBase
from django.http import QueryDict
from django.utils.cache import add_never_cache_headers

from pagecache import holes
from pagecache.invalidation import EVERY_PAGE, current_generations
from pagecache.pages import (
    KEPT_PARAMETERS,
    CachedPage,
    cache_failed,
    cache_usable,
    lookup,
    needs_fresh_render,
    page_cache_applies,
    page_key,
    store,
)


class CachedPageMixin:
    """For a view whose page differs between visitors only by its holes (see pagecache.holes).

    ``page_topics`` name what every page of the view shows (``"site"`` is always added); a view adds the
    topics of the objects it shows with ``add_page_topics()`` as soon as it has read them, before its
    template reads anything more. ``page_counter()`` may name a counter in the cache that each GET of the
    page increments. Pages shown to a logged-in user are never cached, here or by any browser or proxy.
    """

    page_topics = ()
    page_generations = None

    def dispatch(self, request, *args, **kwargs):
        if not page_cache_applies(request):
            response = super().dispatch(request, *args, **kwargs)
            if request.user.is_authenticated:
                add_never_cache_headers(response)
            return response
        page = lookup(request, page_key(request))
        just_rendered = page is None
        if just_rendered:
            page = self.render_for_cache(request, *args, **kwargs)
        if page is None or needs_fresh_render(request, page.topics):
            return super().dispatch(request, *args, **kwargs)
        return page.respond(request, just_rendered=just_rendered)

    def render_for_cache(self, request, *args, **kwargs):
        """Render the page as any visitor without a session would get it, store it and return it (None if it
        is not a page to store: an error or a redirect). If the cache fails meanwhile, the page is still
        returned, to be filled for this request, and is not stored."""
        self.page_generations = self.generations_of({EVERY_PAGE, *self.page_topics}, request)
        try:
            with rendering_for_cache(request) as render:
                response = super().dispatch(request, *args, **kwargs)
                if response.status_code != 200 or not hasattr(response, "render"):
                    return None
                response.render()
        finally:
            generations, self.page_generations = self.page_generations, None
        pieces, page_holes = render.cut(response.content.decode(response.charset))
        page = CachedPage(
            pieces=[piece.encode(response.charset) for piece in pieces],
            holes=page_holes,
            content_type=response["Content-Type"],
            generations=generations,
            counter=self.page_counter(),
            expires_at=time.time() + settings.PAGE_CACHE_SECONDS,
        )
        store(request, page_key(request), page)
        return page

    def add_page_topics(self, *topics):
        """Add topics of what this page shows; call it after reading the objects, before reading what they hold."""
        if self.page_generations is not None:
            self.page_generations.update(self.generations_of(topics, self.request))

    @staticmethod
    def generations_of(topics, request):
        if not cache_usable(request):
            return {}
        try:
            return current_generations(topics)
        except Exception as error:  # noqa: BLE001 - any cache failure: the page is rendered, not stored
            cache_failed(request, error)
            return {}

    def page_counter(self):
        """The cache key of a counter that each GET of the page increments, if it has one."""


@contextlib.contextmanager
def rendering_for_cache(request):
    """Render with nothing of this visitor: no session, no user, only the query parameters pages read."""
    saved = {name: request.__dict__.get(name) for name in ("GET", "session", "user")}
    query = QueryDict(mutable=True)
    for name in KEPT_PARAMETERS:
        if request.GET.get(name):
            query[name] = request.GET[name]
    request.GET = query
    request.session = SessionBase()
    request.user = AnonymousUser()
    render = holes.RenderForCache()
    setattr(request, holes.RENDER_ATTRIBUTE, render)
    try:
        yield render
    finally:
        delattr(request, holes.RENDER_ATTRIBUTE)
        for name, value in saved.items():
            if value is None:
                request.__dict__.pop(name, None)
            else:
                setattr(request, name, value)
