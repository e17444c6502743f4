"""Per-request values in cached pages: ``per_request()`` and the ``{% per_request %}`` tag.

A hole is a name registered with a function ``fill(request, **kwargs)`` that returns safe HTML text.
Rendered for one visitor, ``per_request(request, name, **kwargs)`` is that function's value. Rendered
for the cache, it is a marker made of this render's own random token and the hole's position, which
nobody could have typed into the page's content before it was drawn; the page is cut at the markers
and stored as its pieces with, by position, each hole's name and arguments (plain data).
"""

import contextlib
import re
import secrets

from django.utils.safestring import mark_safe

RENDER_ATTRIBUTE = "pagecache_render"
APPLIES_ATTRIBUTE = "pagecache_holes_apply"
fillers = {}
conditions = {}


def register(name, fill, applies=None):
    """Register ``fill(request, **kwargs)`` (returning safe HTML) as the hole ``name``.

    ``applies(request)``, if given, says at once for a page's every hole of that name whether any can be
    other than empty for this request (a commenter's links: whether this browser posted anything): when it
    says no, a cached page leaves them empty without asking ``fill`` for each.
    """
    fillers[name] = fill
    if applies is not None:
        conditions[name] = applies


def per_request(request, name, /, **kwargs):
    """The hole's value for this request, or its marker when the page is being rendered for the cache."""
    render = getattr(request, RENDER_ATTRIBUTE, None)
    if render is None:
        return fillers[name](request, **kwargs) if applies(request, name) else ""
    return render.marker(name, kwargs)


def applies(request, name):
    """Whether the holes ``name`` may be other than empty for this request (see ``register()``), asked once a
    request."""
    if name not in conditions:
        return True
    answers = request.__dict__.setdefault(APPLIES_ATTRIBUTE, {})
    if name not in answers:
        answers[name] = bool(conditions[name](request))
    return answers[name]


class RenderForCache:
    """One render of a page for the cache: the holes it used, and their markers."""

    def __init__(self):
        self.token = secrets.token_hex(16)
        self.holes = []
        self.markers = {}
        self.pattern = re.compile(f"pagecache{self.token}n([0-9]+)e")

    def marker(self, name, kwargs):
        hole = (plain(name), {plain(key): plain(value) for key, value in sorted(kwargs.items())})
        key = repr(hole)
        if key not in self.markers:
            self.markers[key] = f"pagecache{self.token}n{len(self.holes)}e"
            self.holes.append(hole)
        return mark_safe(self.markers[key])  # noqa: S308 - letters and digits only

    def cut(self, text):
        """The text's pieces and, between them, its holes: ``(name, kwargs)`` of each marker, in order."""
        parts = self.pattern.split(text)
        return parts[0::2], [self.holes[int(part)] for part in parts[1::2]]


@contextlib.contextmanager
def kept_as_markers(request):
    """Render holes as markers of a render of their own, whatever ``request`` renders for (a fragment of a page
    kept in the cache, see pagecache.fragments); ``cut()`` the text it gives."""
    outer = getattr(request, RENDER_ATTRIBUTE, None)
    render = RenderForCache()
    setattr(request, RENDER_ATTRIBUTE, render)
    try:
        yield render
    finally:
        if outer is None:
            delattr(request, RENDER_ATTRIBUTE)
        else:
            setattr(request, RENDER_ATTRIBUTE, outer)


def plain(value):
    """A template's string (a SafeString) as a plain ``str``, so that the stored page names no class."""
    return str.__str__(value) if isinstance(value, str) else value


def refill(request, pieces, holes):
    """The text of ``pieces`` (str) with each hole given again: its value for this visitor (see ``values()``),
    or, when the page is rendered for the cache, a marker of the page's own."""
    if getattr(request, RENDER_ATTRIBUTE, None) is None:
        given = values(request, holes)
    else:
        given = [per_request(request, name, **kwargs) for name, kwargs in holes]
    text = [pieces[0]]
    for value, piece in zip(given, pieces[1:], strict=True):
        text += [value, piece]
    return mark_safe("".join(text))  # noqa: S308 - a rendered fragment, and holes' safe HTML


def fill(request, pieces, holes):
    """The page's bytes with each hole filled for ``request`` (see ``values()``)."""
    body = [pieces[0]]
    for value, piece in zip(values(request, holes), pieces[1:], strict=True):
        body += [value.encode(), piece]
    return b"".join(body)


def values(request, holes):
    """Each hole's value for ``request`` as text: each distinct hole filled once, none that cannot apply."""
    filled = {}
    given = []
    for name, kwargs in holes:
        key = (name, tuple(kwargs.items()))
        if key not in filled:
            filled[key] = str(fillers[name](request, **kwargs)) if applies(request, name) else ""
        given.append(filled[key])
    return given
