"""Request cost benchmark: what one request costs inside Django, with no server and no load generator.

Runs the site in this process (DEBUG off) on a temporary SQLite file, with Redis as the cache when one
answers on 127.0.0.1:6379 (or CACHE_URL says which), seeds the serving benchmark's article with 100
approved comments, and calls the WSGI application directly: the static CSS file, the article page and
the home page served from the page cache, the parts an article page adds, and an article rendered afresh
(a visitor with a session) without images and with a lead image and two inline images. Each figure is the median
over 7 rounds that each make every call 300 times in turn, all in one run. Writes docs/performance.md
("Where an article page's time goes").

Usage: python bench/request_costs.py
"""

import contextlib
import io
import json
import os
import secrets
import statistics
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

from benchkit import write_section
from serve_benchmark import SEED, bench_cache

PROJECT = Path(__file__).resolve().parent.parent
SECTION = "## Where an article page's time goes"
ROUNDS = 7
CALLS = 300


def configure(workdir):
    cache_url, cache = bench_cache(workdir)
    os.environ.update(
        DJANGO_SETTINGS_MODULE="newsroom.settings",
        DEBUG="off",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="127.0.0.1",
        ENV_FILE="/dev/null",
        DATABASE_URL=f"sqlite:///{workdir}/costs.sqlite3",
        CACHE_URL=cache_url,
        STATIC_ROOT=f"{workdir}/static",
        MEDIA_ROOT=f"{workdir}/media",
        LOG_LEVEL="WARNING",
    )
    sys.path.insert(0, str(PROJECT))
    return cache


def median_microseconds(calls):
    """Each call's median time in microseconds, over ROUNDS rounds that each make every call CALLS times in turn.

    Taking the calls in turn in every round spreads a slow spell of a shared machine over all of them.
    """
    rounds = {name: [] for name in calls}
    for _ in range(ROUNDS):
        for name, call in calls.items():
            started = time.perf_counter()
            for _ in range(CALLS):
                call()
            rounds[name].append((time.perf_counter() - started) / CALLS * 1e6)
    return {name: statistics.median(times) for name, times in rounds.items()}


def illustrated_articles(Article, Author, Image, demo_picture):  # noqa: N803 - the models, imported late
    """Two articles of the same text, one plain and one with a lead image and two library images in its body."""
    author = Author.objects.create(name="Picture Desk", slug="picture-desk")
    lead, *inline = (
        Image.objects.create_from_file(demo_picture(seed)[0], f"{seed}.jpg", alt=f"Picture {seed}")
        for seed in ("lead", "first", "second")
    )
    paragraphs = [f"Paragraph {n} of an article with pictures, long enough to be a paragraph." for n in range(10)]
    figures = [
        f'<figure><img src="{image.file.url}" alt=""><figcaption>A caption.</figcaption></figure>' for image in inline
    ]
    urls = []
    for slug, body, image in [
        ("no-image", paragraphs, None),
        ("three-images", paragraphs[:3] + figures[:1] + paragraphs[3:6] + figures[1:] + paragraphs[6:], lead),
    ]:
        article = Article.objects.create(
            title=slug, slug=slug, author=author, status="published", body="\n\n".join(body), lead_image=image
        )
        urls.append(article.get_absolute_url())
    return urls


def main():
    workdir = tempfile.mkdtemp(prefix="newsroom-costs-")
    cache = configure(workdir)

    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    with contextlib.redirect_stdout(io.StringIO()) as printed:
        exec(SEED, {"json": json})  # noqa: S102 - the serving benchmark's own seeding code
    seeded = json.loads(printed.getvalue())

    from django.conf import settings
    from django.contrib.sessions.backends.db import SessionStore
    from django.core.cache import cache as django_cache
    from django.middleware.csrf import get_token
    from django.test import RequestFactory

    from articles.demo.pictures import demo_picture
    from articles.models import Article, Author
    from comments.forms import comment_token
    from images.models import Image
    from newsroom.wsgi import application
    from pagecache.invalidation import EVERY_PAGE, generation_key

    csrf_cookie = {}

    def get(path, cookies=""):
        environ = {
            "REQUEST_METHOD": "GET",
            "PATH_INFO": path,
            "QUERY_STRING": "",
            "SERVER_NAME": "127.0.0.1",
            "SERVER_PORT": "80",
            "HTTP_HOST": "127.0.0.1",
            "HTTP_COOKIE": cookies,
            "wsgi.url_scheme": "http",
            "wsgi.input": io.BytesIO(),
            "wsgi.errors": sys.stderr,
        }

        def start_response(status, headers):
            assert status.startswith("200"), f"{path}: {status}"
            for name, value in headers:
                if name == "Set-Cookie" and value.strip().startswith(settings.CSRF_COOKIE_NAME + "="):
                    csrf_cookie["value"] = value.strip().split(";")[0]

        body = application(environ, start_response)
        b"".join(body)
        body.close()

    article, css = seeded["article"], seeded["css"]
    plain, illustrated = illustrated_articles(Article, Author, Image, demo_picture)
    # A session holding more than a commenter's remembered details: pages are rendered, never from the page cache.
    session = SessionStore()
    session["rendered_afresh"] = True
    session.create()
    session_cookie = f"{settings.SESSION_COOKIE_NAME}={session.session_key}"
    for _ in range(3):  # the first requests render and store the pages
        get(article)
        get("/")
    factory = RequestFactory()
    costs = median_microseconds(
        {
            "Static file (CSS)": lambda: get(css),
            "Article page from the page cache, a new visitor": lambda: get(article),
            "Article page from the page cache, a visitor with a CSRF cookie": lambda: get(
                article, csrf_cookie["value"]
            ),
            "Home page from the page cache": lambda: get("/"),
            "Part: a CSRF token for a new visitor": lambda: get_token(factory.get("/")),
            "A request object alone": lambda: factory.get("/"),
            "Part: signing the comment form's token (once per article and second)": lambda: comment_token(seeded["id"]),
            "Part: one cache round trip (a page topic's generation)": lambda: django_cache.get(
                generation_key(EVERY_PAGE)
            ),
            "Article page rendered afresh, no image": lambda: get(plain, session_cookie),
            "Article page rendered afresh, a lead image and two inline images": lambda: get(
                illustrated, session_cookie
            ),
        }
    )
    costs["Part: a CSRF token for a new visitor"] -= costs.pop("A request object alone")
    static = costs["Static file (CSS)"]
    rows = "\n".join(
        f"| {name} | {micros:,.0f} µs | {'' if name.startswith('Part') else f'{micros / static:.1f}×'} |"
        for name, micros in costs.items()
    )
    report = f"""{SECTION}

Measured by `make bench` (`bench/request_costs.py`) on {datetime.now(timezone.utc):%Y-%m-%d}: one process calling
Django's WSGI application directly (no server, no network, no load generator), DEBUG off, SQLite, cache:
{cache}. The article has 100 approved comments. Each figure is the median of {ROUNDS} rounds that each make
every call {CALLS} times in turn, measured in one run; "×" is the cost relative to the static file.

| Request | Median per call | × static |
| --- | ---: | ---: |
{rows}

The two articles rendered afresh (for a visitor with a session, whom the page cache never serves) differ
only by their pictures: a lead image and two library images in the body. Renditions are made when an
image is uploaded; a page looks them up on the image rows (fetched with the article, and in one query
for the body's images) and writes their `srcset`, inside the article's fragment (see pagecache/fragments.py):
a page rendered afresh whose fragments are kept runs neither that query nor that markup, so the two cost
the same.

A page served from the page cache renders no template and runs no query; what it still costs, beyond
the static file, is the middleware the static file skips (sessions, common, CSRF), one cache round
trip (the generations of the page's topics, and on an article page its view count in the same round trip), the holes
filled for this request, and the size of the page. A visitor without a CSRF cookie, as every request
of a load generator that keeps no cookies, also costs a new CSRF secret and its cookie: Django draws
each of its characters, and each character of the token's mask, from the operating system, one system
call each. Under gunicorn each request also pays the server's own cost, the same for every request,
which narrows the gap to the ratio of the serving benchmark.

What was done for it: whole pages are cached with their per-request holes filled in; each process keeps
its recent pages in memory as the bytes between their holes, so only the small generation keys cross
the network and serving a page copies no text; a page this process holds is answered by a middleware
before URL resolving, the view and the middleware after it; an article page checks its generations and
counts its view in one Redis round trip (a server-side script); a hole missing from a page is not
filled (a page without a form makes no CSRF token); the comment form's token is signed once per article
and second; comment markup carries no blank lines and links within the page (`#comment-N`); one Redis
client is kept per connection pool; hiredis parses Redis replies.
"""
    write_section(report)
    print(report)


if __name__ == "__main__":
    main()
