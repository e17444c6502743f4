"""The page cache: whole public pages from the cache, with holes for what differs per visitor.

A page rendered for the cache is rendered as a visitor without a session would see it: no session, no
user, only the query parameters pages read (``page``, ``q``, ``replytocom``). What differs per visitor
(the CSRF token, an article's view count, the comment form's token, a returning commenter's remembered
name) is a *hole*: a value that ``per_request()`` (or ``{% per_request %}``) gives, filled in for each
request. A page served from the cache renders no template and runs no query of its own.

Who gets cached pages: GET and HEAD requests from visitors who are not logged in and whose session holds
only what holes fill in (apps declare such session keys). A visitor for whom the page would differ
otherwise (a commenter whose comment on that article awaits moderation) gets it rendered for them
alone, and so does every logged-in user; pages for logged-in users also say ``Cache-Control: private,
no-cache, no-store, must-revalidate``, so no browser or proxy keeps them either.

Invalidation: every model with a ``shown_on_pages(created=False)`` method, which names the *topics* of
the pages that show an object, is watched through ``post_save``, ``post_delete`` and ``m2m_changed``
(connected in ``PageCacheConfig.ready()``); changes that send no model signal send ``pages_changed``
(``pagecache.signals``). When the transaction commits, each topic gets a new generation, and every
page stored with an older one is stale (``pagecache.invalidation``, which also says what happens when
the cache is down). Pages also expire after ``PAGE_CACHE_SECONDS``.

Usage: a model says where it shows, a view serves its pages from the cache, a hole fills in a value::

    class Notice(models.Model):
        def shown_on_pages(self, created=False):
            return ["notices", f"notice:{self.pk}"]

    class NoticeView(CachedPageMixin, DetailView):       # pagecache.views
        model = Notice
        page_topics = ("notices",)                          # every page of the view

        def get_object(self):
            notice = super().get_object()
            self.add_page_topics(f"notice:{notice.pk}")    # the object's own, before reading what it holds
            return notice

and in its template ``{% load pagecache %}{% per_request "greeting" name="reader" %}``, with the hole
registered in an ``AppConfig.ready()``. Rendered for one visitor, a hole is its value:

    >>> from django.test import RequestFactory
    >>> from pagecache import holes
    >>> holes.register("greeting", lambda request, name: f"Hello, {name}")
    >>> holes.per_request(RequestFactory().get("/"), "greeting", name="reader")
    'Hello, reader'

and rendered for the cache, a marker filled in for each request that is served the page:

    >>> render = holes.RenderForCache()
    >>> page = f"<p>{render.marker('greeting', {'name': 'reader'})}!</p>"
    >>> pieces, page_holes = render.cut(page)
    >>> holes.fill(RequestFactory().get("/"), [piece.encode() for piece in pieces], page_holes)
    b'<p>Hello, reader!</p>'

A hole's function returns safe HTML and takes only plain data as arguments: they are stored with the page.
"""
