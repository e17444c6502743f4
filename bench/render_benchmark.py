"""Rendering benchmark: pages rendered for every request (no page cache), each beside its own bytes as a static file.

Part one, in one process (Django's test client, SQLite): the median time to render the serving benchmark's
article with 100 approved comments, all on one page and as the default comment pages show them, with no
cache at all and with the default cache (files), there also after a comment approval.

Part two, under gunicorn with DEBUG off on a free loopback port and wrk, on PostgreSQL when DATABASE_URL
points to it (a separate database, <name>_render, made afresh) or else on a temporary SQLite file, with
the page cache off (``PAGE_CACHE_SECONDS=0``) and the default cache (files): the article with 100 comments
(also with no cache at all, ``CACHE_URL=dummycache://``), an article with 5,000 approved comments (its
first and a middle comment page), and the home page, a year's archive and a search with 100 published
articles, then again with 100,000. Each page's bytes are saved as a static file that the same server
serves (WhiteNoise), and each row is measured beside its static copy, in rounds, so that a few slow
seconds of a shared machine weigh on one round; each figure is the median over the rounds, and each ratio
the median of the rounds' own ratios. Writes docs/performance.md ("Rendering without the page cache").

Usage: python bench/render_benchmark.py [--rounds 3] [--duration 3] [--connections 16] [--articles 100000]
"""

import argparse
import json
import os
import secrets
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from datetime import datetime, timezone
from pathlib import Path

from benchkit import bench_database, write_section
from serve_benchmark import PROJECT, REDIS_URL, SEED, answers, django_shell, free_port, manage, wrk

SECTION = "## Rendering without the page cache"
IN_PROCESS_REQUESTS = 60

# An article with 5,000 approved comments, one in five a reply, and `ARTICLES` published articles in all
# (one every 47 minutes back from now, so that they span years), with words to search for.
SEED_ARCHIVE = """
import random
from datetime import timedelta
from django.db import connection
from django.utils import timezone
from articles.models import Article, Author, Section
from comments.models import Comment
author = Author.objects.get(slug="bench-writer")
if not Article.objects.filter(slug="five-thousand-comments").exists():
    crowded = Article.objects.create(
        title="An article with five thousand comments", slug="five-thousand-comments", author=author,
        status="published", body="A much discussed article.",
    )
    started = timezone.now() - timedelta(days=1)
    made = Comment.objects.bulk_create(
        Comment(article=crowded, author=f"Reader {n}", email=f"reader{n}@bench.example", status="approved",
                body=f"Comment {n}, with a link: https://example.com/{n}", created_at=started + timedelta(seconds=n))
        for n in range(4000)
    )
    Comment.objects.bulk_create(
        Comment(article=crowded, parent=parent, author=f"Replier {n}", email=f"replier{n}@bench.example",
                status="approved", body=f"A reply to comment {parent.pk}.",
                created_at=parent.created_at + timedelta(milliseconds=500))
        for n, parent in enumerate(made[::4])
    )
sections = [Section.objects.get_or_create(slug=f"bench-{n}", defaults={"name": f"Bench section {n}"})[0]
            for n in range(8)]
words = "river bridge council election budget harbour school hospital storm museum railway festival".split()
rng = random.Random(1)
now = timezone.now()
existing = Article.objects.count()
batch = []
for n in range(existing, ARTICLES):
    first, second, third = rng.sample(words, 3)
    batch.append(Article(
        title=f"The {first} and the {second}, story {n}", slug=f"story-{n}", author=author,
        section=sections[n % 8], status="published", published_at=now - timedelta(minutes=47 * (n + 1)),
        standfirst=f"What became of the {third}.",
        body="\\n\\n".join(f"Paragraph {p} on the {rng.choice(words)} and the {rng.choice(words)}." for p in range(6)),
    ))
    if len(batch) == 2000:
        Article.objects.bulk_create(batch)
        batch = []
Article.objects.bulk_create(batch)
if connection.vendor == "postgresql":
    connection.cursor().execute("VACUUM ANALYZE")
else:
    connection.cursor().execute("ANALYZE")
crowded = Article.objects.get(slug="five-thousand-comments")
newest = Article.objects.published().first()
print(json.dumps({
    "crowded": crowded.get_absolute_url(),
    "crowded_middle": crowded.get_comment_page_url(40),
    "year": f"/{timezone.localdate(newest.published_at).year}/",
    "articles": Article.objects.published().count(),
}))
"""

IN_PROCESS = """
import statistics, time
from django.conf import settings
from django.core.management import call_command
from django.test import Client
from django.test.utils import override_settings
from articles.models import article_page
from pagecache.invalidation import invalidate
call_command("migrate", verbosity=0)
exec(SEED)
from articles.models import Article
article = Article.objects.get(slug="benchmark-article")
url = article.get_absolute_url()
client = Client()
medians = {}
for name, per_page in (("all", 0), ("default", settings.COMMENTS_PER_PAGE)):
    with override_settings(PAGE_CACHE_SECONDS=0, COMMENTS_PER_PAGE=per_page):
        for changed in (False, True):
            for _ in range(5):
                assert client.get(url).status_code == 200
            wall, cpu = [], []
            for _ in range(REQUESTS):
                if changed:
                    invalidate([article_page(article.pk)])  # as a comment approved on it would
                started, started_cpu = time.perf_counter(), time.process_time()
                client.get(url)
                wall.append((time.perf_counter() - started) * 1000)
                cpu.append((time.process_time() - started_cpu) * 1000)
            medians[f"{name}, changed" if changed else name] = {
                "wall": statistics.median(wall), "cpu": statistics.median(cpu)
            }
print(json.dumps(medians))
"""


def in_process_medians(workdir, database_url, cache_url):
    """Median milliseconds to render the 100-comment article with the test client, in one process: as it is,
    and with its own pages made stale before each request (as by a comment approved on it)."""
    env = {
        **os.environ,
        "DEBUG": "off",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "testserver",
        "ENV_FILE": "/dev/null",
        "DATABASE_URL": database_url,
        "CACHE_URL": cache_url,
        "STATIC_ROOT": f"{workdir}/in-process-static",
        "LOG_LEVEL": "WARNING",
    }
    manage(env, "collectstatic", "--noinput", "--verbosity", "0")
    code = f"REQUESTS = {IN_PROCESS_REQUESTS}\nSEED = {SEED!r}\n" + IN_PROCESS
    output = django_shell(env, code).strip().splitlines()
    return json.loads(output[-1])


class Server:
    """gunicorn serving the site, started afresh so that WhiteNoise finds the static copies made since."""

    def __init__(self, env):
        self.env = env
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.process = None

    def __enter__(self):
        gunicorn = str(PROJECT / ".venv" / "bin" / "gunicorn")
        self.process = subprocess.Popen(
            [gunicorn, "--bind", f"127.0.0.1:{self.port}", "--access-logfile", "/dev/null"],
            cwd=PROJECT,
            env=self.env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for _ in range(100):
            if answers(self.port):
                break
            time.sleep(0.2)
        return self

    def __exit__(self, *exc):
        self.process.terminate()
        self.process.wait(timeout=30)

    def get(self, path):
        with urllib.request.urlopen(self.base + path) as response:
            return response.read()


def save_static_copies(env, pages):
    """Save each page's bytes under STATIC_ROOT; return the static path of each copy."""
    copies = {}
    with Server(env) as server:
        for name, path in pages.items():
            server.get(path)  # a first request warms the worker up
            copy = f"render-bench/{len(copies)}.html"
            target = Path(env["STATIC_ROOT"]) / copy
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(server.get(path))
            copies[name] = "/static/" + copy
    return copies


def measure(env, pages, options):
    """Each page beside its static copy, in rounds; the medians and the median ratio of each page."""
    copies = save_static_copies(env, pages)
    rounds = {name: {"page": [], "static": []} for name in pages}
    with Server(env) as server:
        for path in [*pages.values(), *copies.values()]:
            server.get(path)
        for _ in range(options.rounds):
            for name, path in pages.items():
                for kind, url in (("static", copies[name]), ("page", path)):
                    server.get(url)  # answered once the requests queued by the previous row are done
                    result = wrk(server.base + url, options.duration, options.connections)
                    if result["errors"]:
                        sys.exit(f"{name}: {result['errors']} requests failed")
                    rounds[name][kind].append(result)
    return {
        name: {
            "size": (Path(env["STATIC_ROOT"]) / copies[name].removeprefix("/static/")).stat().st_size,
            "rps": statistics.median(r["rps"] for r in measured["page"]),
            "static_rps": statistics.median(r["rps"] for r in measured["static"]),
            "p50": statistics.median(r["p50"] for r in measured["page"]),
            "p99": statistics.median(r["p99"] for r in measured["page"]),
            "ratio": statistics.median(
                page["rps"] / static["rps"]
                for page, static in zip(measured["page"], measured["static"], strict=True)
                if static["rps"]
            ),
        }
        for name, measured in rounds.items()
    }


def timings(medians):
    return f"**{medians['wall']:.1f} ms** ({medians['cpu']:.1f} ms of CPU)"


def rows(results):
    return "\n".join(
        f"| {name} | {r['size'] / 1024:,.0f} KiB | {r['rps']:,.0f} | {r['static_rps']:,.0f} | **{r['ratio']:.2f}** "
        f"| {r['p50']:.1f} ms | {r['p99']:.1f} ms |"
        for name, r in results.items()
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3, help="rounds of measurements (default 3)")
    parser.add_argument("--duration", type=int, default=3, help="seconds per row and round (default 3)")
    parser.add_argument("--connections", type=int, default=16, help="open connections (default 16)")
    parser.add_argument("--articles", type=int, default=100_000, help="articles of the large archive")
    parser.add_argument("--workers", type=int, default=None, help="gunicorn workers (default: gunicorn.conf.py's)")
    options = parser.parse_args()
    if not shutil.which("wrk"):
        sys.exit("wrk is needed: apt-get install wrk (Debian) or see https://github.com/wg/wrk")

    workdir = tempfile.mkdtemp(prefix="newsroom-render-")
    started = time.monotonic()
    no_cache = in_process_medians(workdir, "sqlite://:memory:", "dummycache://")
    no_cache_file = in_process_medians(workdir, f"sqlite:///{workdir}/no-cache.sqlite3", "dummycache://")
    file_cache = in_process_medians(
        workdir, f"sqlite:///{workdir}/file-cache.sqlite3", f"filecache://{workdir}/in-process-cache"
    )

    database_url, database = bench_database(workdir, label="render")
    env = {
        **os.environ,
        "DEBUG": "off",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1",
        "ENV_FILE": "/dev/null",
        "DATABASE_URL": database_url,
        "CACHE_URL": f"filecache://{workdir}/cache",
        "PAGE_CACHE_SECONDS": "0",
        "STATIC_ROOT": f"{workdir}/static",
        "EMAIL_URL": "dummymail://",
        "SEARCH_RATE_LIMIT": "0",  # one load generator, one client: the limit would refuse it
        "LOG_LEVEL": "WARNING",
    }
    if options.workers:
        env["WEB_CONCURRENCY"] = str(options.workers)
    if database_url.startswith("postgres"):
        env.setdefault("DATABASE_POOL", "on")
        database += f", DATABASE_POOL={env['DATABASE_POOL']}"
    manage(env, "migrate", "--noinput", "--verbosity", "0")
    manage(env, "collectstatic", "--noinput", "--verbosity", "0")
    article = json.loads(django_shell(env, SEED))["article"]
    small = json.loads(django_shell(env, "ARTICLES = 100\n" + SEED_ARCHIVE))

    def list_pages(seeded):
        count = f"{seeded['articles']:,} articles"
        return {
            f"Home page, {count}": "/",
            f"Year archive ({seeded['year'].strip('/')}), {count}": seeded["year"],
            f"Search (“river bridge”), {count}": "/search/?q=river+bridge",
        }

    results = measure(
        {**env, "CACHE_URL": "dummycache://"}, {"Article, 100 comments, no cache at all": article}, options
    )
    results.update(
        measure(
            env,
            {
                "Article, 100 comments (50 a page)": article,
                "Article, 5,000 comments, first page": small["crowded"],
                "Article, 5,000 comments, page 40": small["crowded_middle"],
                **list_pages(small),
            },
            options,
        )
    )
    if answers(6379):  # production's set-up: the fragments in Redis, and the views counted there
        redis_env = {**env, "CACHE_URL": REDIS_URL}
        django_shell(redis_env, "from django.core.cache import cache\ncache.clear()")
        results.update(measure(redis_env, {"Article, 100 comments (50 a page), Redis": article}, options))
    seeding = time.monotonic()
    large = json.loads(django_shell(env, f"ARTICLES = {options.articles}\n" + SEED_ARCHIVE))
    seeding = time.monotonic() - seeding
    results.update(measure(env, list_pages(large), options))
    in_process_rows = "\n".join(
        f"| {label} | {timings(medians[f'all{variant}'])} | {timings(medians[f'default{variant}'])} |"
        for label, medians, variant in (
            ("No cache at all, SQLite in memory (as the test suite)", no_cache, ""),
            ("No cache at all, SQLite file", no_cache_file, ""),
            ("The default cache, SQLite file", file_cache, ""),
            ("The default cache, SQLite file, after a comment approval", file_cache, ", changed"),
        )
    )
    load = os.getloadavg()
    workers = env.get("WEB_CONCURRENCY", f"gunicorn.conf.py default ({2 * (os.cpu_count() or 1) + 1})")
    report = f"""{SECTION}

Measured by `make bench` (`bench/render_benchmark.py`) on {datetime.now(timezone.utc):%Y-%m-%d}, in
{(time.monotonic() - started) / 60:.0f} minutes, on {os.cpu_count()} cores (load average {load[0]:.1f},
{load[1]:.1f}, {load[2]:.1f} at the end).

**In one process** (Django's test client, DEBUG off, page cache off: `PAGE_CACHE_SECONDS=0`), the median
of {IN_PROCESS_REQUESTS} renders of the article with 100 approved comments, elapsed time (and CPU time),
target at most 10 ms. "No cache at all" is `CACHE_URL=dummycache://`; "the default cache" is the
default set-up's shared files (`filecache://`), where the parts of the page that every reader sees alike
are kept between renders (`FRAGMENT_CACHE_SECONDS`, see pagecache/fragments.py); "after a comment
approval" makes the article's own pages stale before each request, as an approved comment would, so its
comments are read and put together again while the sidebar is not.

| Set-up | All 100 comments on the page (`COMMENTS_PER_PAGE=0`) | Default comment pages (50 threads a page) |
| --- | ---: | ---: |
{in_process_rows}

On a SQLite file each request also commits its view count (`VIEW_COUNTS_IN_CACHE` is off without Redis or
Memcached), and SQLite's default journal waits for the disk at every commit.

**Under gunicorn** ({workers} workers, DEBUG off, wrk with 2 threads and {options.connections}
connections on the same machine), page cache off (`PAGE_CACHE_SECONDS=0`: every request renders its page
and counts its view in the database) and the search rate limit off (`SEARCH_RATE_LIMIT=0`: the load
generator is one client), with the default cache (files) unless the row says otherwise; each
page beside its own bytes served as a static file by the same server, {options.rounds} rounds of
{options.duration} s per row. The Redis row, measured when Redis answers on 127.0.0.1:6379, is production's
set-up: the fragments kept in Redis, and the views counted there (`VIEW_COUNTS_IN_CACHE`).

- Database: {database}
- The large archive was seeded up to {large["articles"]:,} published articles in {seeding:.0f} s.

| Page | Size | Requests/s | Static copy, requests/s | Page / static | p50 | p99 |
| --- | ---: | ---: | ---: | ---: | ---: | ---: |
{rows(results)}

Target for the article with 100 comments: at least 0.15 of its static copy. The 5,000-comment article
shows 50 threads a page (`COMMENTS_PER_PAGE`), whatever the page, in the same number of queries; the
lists read the same rows with 100 and with {large["articles"]:,} articles, apart from the paginator's
count (an index-only count) and full-text search, which ranks the newest 500 matches.
"""
    write_section(report)
    print(report)


if __name__ == "__main__":
    main()
