"""Helpers shared by the tests: running the project in a fresh interpreter, crawling the public site, reading
in parallel."""

import re
import socket
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from html import unescape
from urllib.parse import urljoin, urlsplit

from django.db import connections
from django.test import Client
from django.urls import URLResolver, get_resolver
from django.urls.resolvers import RoutePattern

from newsroom.settings import BASE_DIR

REDIS_URL = "redis://127.0.0.1:6379/0"


def redis_answers():
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=1) as redis:
            redis.sendall(b"PING\r\n")
            return redis.recv(16).startswith(b"+PONG")
    except OSError:
        return False


def run_python(*arguments, **environment):
    """Run Python in the project folder with only the given variables (one given as None is left out)."""
    environment = {"PATH": "/usr/bin:/bin", "ENV_FILE": "/dev/null", **environment}
    return subprocess.run(
        [sys.executable, *arguments],
        cwd=BASE_DIR,
        env={name: value for name, value in environment.items() if value is not None},
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )


def read_setting(expression, **environment):
    """Evaluate an expression over the settings module, imported afresh with only the given variables."""
    return run_python("-c", f"import newsroom.settings as s; print({expression})", **environment)


def manage(*arguments, **environment):
    """Run a management command in a fresh interpreter with only the given variables."""
    return run_python("manage.py", *arguments, **environment)


SITE = "http://testserver"
# Addresses in HTML attributes, and in the elements of feeds and the sitemap that hold one.
ADDRESS = re.compile(r'(?:href|src|action)="([^"]*)"|<(?:link|loc|guid|id|comments)>([^<]+)</')
NOT_CRAWLED = ("/static/", "/admin/")


def crawl(client, start_paths=("/",), limit=3000):
    """Every page reachable from ``start_paths`` by links on this site (pages, feeds, the sitemap).

    Returns {path with query: response}; redirects are followed as links. Static files and the admin
    are left out.
    """
    responses = {}
    queue = list(start_paths)
    while queue:
        path = queue.pop()
        if path in responses:
            continue
        assert len(responses) < limit, "the crawl does not end"
        response = client.get(path)
        responses[path] = response
        addresses = [first or second for first, second in ADDRESS.findall(response.content.decode())]
        if response.has_header("Location"):
            addresses.append(response["Location"])
        for address in addresses:
            target = urlsplit(urljoin(SITE + path, unescape(address.strip())))
            if f"{target.scheme}://{target.netloc}" == SITE and not target.path.startswith(NOT_CRAWLED):
                queue.append(target.path + (f"?{target.query}" if target.query else ""))
    return responses


def public_text(response):
    """What a response shows anyone who fetches it: its headers and its content."""
    headers = "\n".join(f"{name}: {value}" for name, value in response.items())
    return f"{headers}\n{response.content.decode()}"


ROUTE_PARAMETER = re.compile(r"<(?:(?P<converter>[^>:]+):)?(?P<name>[^>]+)>")


def url_patterns(resolver=None, parents=()):
    """Every URL pattern of the site: (the chain of patterns from the root down, the view)."""
    for entry in (resolver or get_resolver()).url_patterns:
        chain = (*parents, entry.pattern)
        if isinstance(entry, URLResolver):
            yield from url_patterns(entry, chain)
        else:
            yield chain, entry.callback


def is_route(chain):
    """Whether a chain of patterns holds only ``path()`` routes (no regular expressions)."""
    return all(isinstance(pattern, RoutePattern) for pattern in chain)


def concrete_path(chain, parameter, regex=None):
    """A path for a chain of patterns: ``parameter(name, converter)`` gives the text of each route
    parameter, ``regex(expression)`` a string for each regular-expression pattern."""
    parts = [
        fill_route(pattern, parameter) if isinstance(pattern, RoutePattern) else regex(pattern.regex.pattern)
        for pattern in chain
    ]
    return "/" + "".join(parts)


def fill_route(pattern, parameter):
    return ROUTE_PARAMETER.sub(lambda match: parameter(match["name"], pattern.converters[match["name"]]), str(pattern))


def stored_views(article):
    """The view count stored in the database for ``article``."""
    article.refresh_from_db()
    return article.view_count


def read_in_parallel(url, readers, views_each):
    """Send readers × views_each GETs from parallel clients; return their status codes.

    Each client runs in its own thread with its own database connection, as the threads of a server would.
    """

    def read_repeatedly(_):
        client = Client()
        try:
            return [client.get(url).status_code for _ in range(views_each)]
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=readers) as pool:
        return [status for batch in pool.map(read_repeatedly, range(readers)) for status in batch]


def main_column(html):
    """A page's HTML before its sidebar (which lists the most read articles of the whole site)."""
    return html[: html.index('class="front__aside"')]
