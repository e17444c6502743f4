"""Serving benchmark: the production server on loopback under a real load generator (wrk).

Starts gunicorn with DEBUG off on a free loopback port, on PostgreSQL when DATABASE_URL points to it (in
a separate database, <name>_bench, made afresh) or else on a temporary SQLite file, with Redis as the
cache when one answers on 127.0.0.1:6379 (or CACHE_URL says which). It seeds an article with 100
approved comments, then measures in one run, in rounds of one row after the other: a static CSS file,
the article page, the home page and comment posts. Each figure is the median over the rounds, and the
article/static ratio the median of each round's own ratio, so that a few seconds in which a shared
machine runs slower weigh on one round, not on one row. It checks that the article's stored view count,
after `flushviews`, grows by exactly the number of article requests of a burst of parallel readers, and
writes the figures to docs/performance.md ("Serving").

Usage: python bench/serve_benchmark.py [--rounds 5] [--duration 4] [--connections 16] [--workers N]
"""

import argparse
import json
import os
import re
import secrets
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timezone
from http.cookiejar import CookieJar
from pathlib import Path

from benchkit import bench_database, write_section

PROJECT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
SECTION = "## Serving"
BURST = 1000
MIXED = "Mixed: readers over 50 articles, a comment approved every second"
DEFAULT_STATIC = "Static file (CSS), default set-up"
REDIS_URL = "redis://127.0.0.1:6379/14"
DEFAULT_ARTICLE = "Article page, 100 comments, default set-up without Redis (cache in files)"

MIXED_ARTICLES = 50  # the readers of the mixed row spread over these, each with 20 approved comments
MIXED_PENDING = 60  # and this many pending comments, of which one (of any article) is approved every second
SEED = """
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.cache import cache
from articles.models import Article, Author
from comments.models import Comment
cache.clear()
author = Author.objects.create(name="Bench Writer", slug="bench-writer")
article = Article.objects.create(
    title="Benchmark article", slug="benchmark-article", author=author, status="published",
    body="\\n\\n".join(f"Paragraph {n} of the benchmark article, long enough to be a paragraph." for n in range(10)),
)
Comment.objects.bulk_create(
    Comment(article=article, author=f"Reader {n}", email=f"reader{n}@bench.example", body=f"Comment {n}.",
            status="approved")
    for n in range(100)
)
others = []
for n in range({mixed_articles}):
    other = Article.objects.create(
        title=f"Mixed article {n}", slug=f"mixed-article-{n}", author=author, status="published",
        body="\\n\\n".join(f"Paragraph {p} of a mixed article." for p in range(10)),
    )
    Comment.objects.bulk_create(
        Comment(article=other, author=f"Reader {c}", email=f"reader{c}@bench.example", body=f"Comment {c}.",
                status="approved" if c < 20 else "pending")
        for c in range(20 + {mixed_pending})
    )
    others.append(other.get_absolute_url())
from django.contrib.sessions.backends.db import SessionStore
commenter = SessionStore()
commenter["comments_commenter"] = {"author": "Bench Reader", "email": "bench.reader@bench.example", "url": ""}
commenter["comments_posted"] = []
commenter.create()
print(json.dumps({"article": article.get_absolute_url(), "id": article.pk, "others": others,
                  "session": commenter.session_key, "css": staticfiles_storage.url("css/newsroom.css")}))
""".replace("{mixed_articles}", str(MIXED_ARTICLES)).replace("{mixed_pending}", str(MIXED_PENDING))

VIEW_COUNT = """
from articles.models import Article
print(Article.objects.get(pk={pk}).view_count)
"""

POST_SCRIPT = """
-- Each post's text is unique (start time of the run, thread number and count), so none is refused as a
-- duplicate, in this round or the next; each carries a form token of its own, as each reader's form would
-- (a token is good for one post): the round's own tokens, the two threads taking every other one.
local started = os.time()
local tokens = {{{tokens}}}
local threads = 0
setup = function(thread)
  threads = threads + 1
  thread:set("thread_number", threads)
end
local counter = 0
request = function()
  counter = counter + 1
  local token = tokens[((counter - 1) * 2 + thread_number - 1) % #tokens + 1]
  local body = "{fields}&comment_token=" .. token .. "&comment=" .. "Benchmark+comment+" .. started .. "-"
    .. thread_number .. "-" .. counter
  return wrk.format("POST", "{path}", {{
    ["Content-Type"] = "application/x-www-form-urlencoded",
    ["Cookie"] = "{cookie}",
  }}, body)
end
"""

# Form tokens for the comment posts of each round, signed as the article page signs them: more than a round posts.
POST_TOKENS_PER_ROUND = 8_000
TOKENS = """
from urllib.parse import quote
from comments.forms import comment_token
print(json.dumps([quote(comment_token({pk}), safe="") for _ in range({count})]))
"""

MIXED_SCRIPT = """
-- Readers spread over the mixed articles; counts the answers the page cache gave (X-Page-Cache: hit).
local paths = {{{paths}}}
local threads = {{}}
setup = function(thread)
  table.insert(threads, thread)
  thread:set("seed", #threads)
end
init = function(args)
  math.randomseed(os.time() * 100 + seed)
  hits, responses = 0, 0
end
request = function()
  return wrk.format("GET", paths[math.random(#paths)])
end
response = function(status, headers, body)
  responses = responses + 1
  if headers["X-Page-Cache"] == "hit" then hits = hits + 1 end
end
done = function(summary, latency, requests)
  local h, r = 0, 0
  for _, thread in ipairs(threads) do
    h, r = h + thread:get("hits"), r + thread:get("responses")
  end
  io.write(string.format("page cache hits: %d of %d\\n", h, r))
end
"""

# An editor approving one pending comment, of any of the mixed articles, every second.
APPROVER = """
import time
from comments.models import Comment
stop = time.monotonic() + {seconds}
while time.monotonic() < stop:
    pending = Comment.objects.pending().exclude(article__slug="benchmark-article").order_by("?")[:1]
    Comment.objects.filter(pk__in=list(pending.values_list("pk", flat=True))).approve()
    time.sleep(1)
"""


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def answers(port):
    try:
        socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
    except OSError:
        return False
    return True


def bench_cache(workdir):
    if os.environ.get("CACHE_URL"):
        return os.environ["CACHE_URL"], os.environ["CACHE_URL"]
    if answers(6379):
        return REDIS_URL, "Redis on 127.0.0.1:6379 (database 14)"
    return default_cache(workdir)


def default_cache(workdir):
    """The default set-up's cache: files that every worker shares."""
    return f"filecache://{workdir}/cache", "files shared by the workers (the default set-up; no Redis answered)"


def start_server(env, port):
    server = subprocess.Popen(
        [str(PROJECT / ".venv" / "bin" / "gunicorn"), "--bind", f"127.0.0.1:{port}", "--access-logfile", "/dev/null"],
        cwd=PROJECT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    for _ in range(100):
        if answers(port):
            break
        time.sleep(0.2)
    return server


def stop_server(server):
    server.terminate()
    server.wait(timeout=30)


def manage(env, *args):
    return subprocess.run(
        [PYTHON, "manage.py", *args], cwd=PROJECT, env=env, capture_output=True, text=True, check=True
    ).stdout


def django_shell(env, code):
    return manage(env, "shell", "--no-imports", "-c", "import json\n" + code)


def wrk(url, duration, connections, script=None, cookie=None):
    command = ["wrk", "-t2", f"-c{connections}", f"-d{duration}s", "--latency", url]
    if script:
        command[1:1] = ["-s", script]
    if cookie:
        command[1:1] = ["-H", f"Cookie: {cookie}"]
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    hits = re.search(r"page cache hits: (\d+) of (\d+)", output)
    latency = dict(re.findall(r"^\s+(50|99)%\s+([\d.]+\w+)", output, re.MULTILINE))
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    return {
        "requests": int(re.search(r"(\d+) requests in", output).group(1)),
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1)),
        "p50": milliseconds(latency["50"]),
        "p99": milliseconds(latency["99"]),
        "errors": int(errors.group(1)) if errors else 0,
        "hits": (int(hits.group(1)), int(hits.group(2))) if hits else None,
    }


def milliseconds(latency):
    """wrk's latency ("850.00us", "5.07ms", "1.02s") in milliseconds."""
    value, unit = re.fullmatch(r"([\d.]+)(us|ms|s)", latency).groups()
    return float(value) * {"us": 0.001, "ms": 1, "s": 1000}[unit]


def summary(rounds):
    """One row's figures over its rounds: median requests/s and latencies, total requests and errors."""
    return {
        "rps": statistics.median(r["rps"] for r in rounds),
        "p50": statistics.median(r["p50"] for r in rounds),
        "p99": statistics.median(r["p99"] for r in rounds),
        "requests": sum(r["requests"] for r in rounds),
        "errors": sum(r["errors"] for r in rounds),
        "hits": [r["hits"] for r in rounds if r["hits"]],
    }


def comment_form(base, article_path):
    """The hidden fields and cookies a reader's browser would post the article's comment form with."""
    jar = CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    html = opener.open(base + article_path).read().decode()
    form = html[html.index('id="commentform"') :]
    form = form[: form.index("</form>")]
    fields = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', form))
    fields.update(author="Bench Reader", email="bench.reader@bench.example", url="")
    del fields["comment_token"]  # each post brings its own
    cookie = "; ".join(f"{c.name}={c.value}" for c in jar)
    return urllib.parse.urlencode(fields), cookie


def burst(url, requests, readers=16):
    """Send exactly ``requests`` GETs from parallel readers; return how many answered 200."""

    def read(_):
        with urllib.request.urlopen(url) as response:
            response.read()
            return response.status

    with ThreadPoolExecutor(max_workers=readers) as pool:
        return sum(status == 200 for status in pool.map(read, range(requests)))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5, help="rounds of measurements (default 5)")
    parser.add_argument("--duration", type=int, default=4, help="seconds per row and round (default 4)")
    parser.add_argument("--connections", type=int, default=16, help="open connections (default 16)")
    parser.add_argument("--workers", type=int, default=None, help="gunicorn workers (default: gunicorn.conf.py's)")
    options = parser.parse_args()
    if not shutil.which("wrk"):
        sys.exit("wrk is needed: apt-get install wrk (Debian) or see https://github.com/wg/wrk")

    workdir = tempfile.mkdtemp(prefix="newsroom-bench-")
    database_url, database = bench_database(workdir)
    cache_url, cache = bench_cache(workdir)
    port = free_port()
    env = {
        **os.environ,
        "DEBUG": "off",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1",
        "ENV_FILE": "/dev/null",
        "DATABASE_URL": database_url,
        "CACHE_URL": cache_url,
        "STATIC_ROOT": f"{workdir}/static",
        "EMAIL_URL": "dummymail://",
        "COMMENTS_FLOOD_SECONDS": "0",
        "COMMENTS_MIN_SUBMIT_SECONDS": "0",
        "LOG_LEVEL": "WARNING",
    }
    if options.workers:
        env["WEB_CONCURRENCY"] = str(options.workers)
    if database_url.startswith("postgres"):
        # As in production (docs/deployment.md): each worker keeps its connections in psycopg's pool, so a
        # request that writes (a comment, every VIEW_COUNT_FOLD_EVERY-th view) opens no new connection.
        env.setdefault("DATABASE_POOL", "on")
        database += f", DATABASE_POOL={env['DATABASE_POOL']}"
    manage(env, "migrate", "--noinput", "--verbosity", "0")
    manage(env, "collectstatic", "--noinput", "--verbosity", "0")
    seeded = json.loads(django_shell(env, SEED))

    base = f"http://127.0.0.1:{port}"
    mixed_script = Path(workdir) / "mixed.lua"
    mixed_script.write_text(MIXED_SCRIPT.format(paths=", ".join(f'"{p}"' for p in seeded["others"])), "utf-8")
    commenter = f"sessionid={seeded['session']}"
    server = start_server(env, port)
    try:
        for path in (seeded["css"], seeded["article"], "/"):
            urllib.request.urlopen(base + path).read()
        fields, cookie = comment_form(base, seeded["article"])
        script = Path(workdir) / "post.lua"
        tokens = json.loads(
            django_shell(env, TOKENS.format(pk=seeded["id"], count=POST_TOKENS_PER_ROUND * options.rounds))
        )

        def write_post_script(round_number):
            round_tokens = tokens[round_number * POST_TOKENS_PER_ROUND : (round_number + 1) * POST_TOKENS_PER_ROUND]
            script.write_text(
                POST_SCRIPT.format(
                    fields=fields,
                    tokens=", ".join(f'"{token}"' for token in round_tokens),
                    path=f"/comments/post/{seeded['id']}/",
                    cookie=cookie,
                ),
                encoding="utf-8",
            )

        requests = {
            "Static file (CSS)": (base + seeded["css"], None, None),
            "Article page, 100 comments": (base + seeded["article"], None, None),
            "Article page, 100 comments, returning commenter": (base + seeded["article"], None, commenter),
            "Home page": (base + "/", None, None),
            MIXED: (base + "/", str(mixed_script), None),
            "Comment post": (base + seeded["article"], str(script), None),
        }
        rounds = {name: [] for name in requests}
        for round_number in range(options.rounds):
            write_post_script(round_number)
            for name, (url, row_script, row_cookie) in requests.items():
                approver = None
                if name == MIXED:
                    approver = subprocess.Popen(
                        [PYTHON, "manage.py", "shell", "-c", APPROVER.format(seconds=options.duration)],
                        cwd=PROJECT,
                        env=env,
                    )
                rounds[name].append(wrk(url, options.duration, options.connections, row_script, row_cookie))
                if approver:
                    approver.wait(timeout=60)
        manage(env, "flushviews")
        stored_before = int(django_shell(env, VIEW_COUNT.format(pk=seeded["id"])))
        answered = burst(base + seeded["article"], BURST)
        manage(env, "flushviews")
        stored = int(django_shell(env, VIEW_COUNT.format(pk=seeded["id"])))
    finally:
        stop_server(server)

    if not cache_url.startswith("filecache://"):
        # The default set-up, side by side: the same server with the cache in files instead of Redis.
        default_env = {**env, "CACHE_URL": default_cache(workdir)[0]}
        server = start_server(default_env, port)
        try:
            urllib.request.urlopen(base + seeded["article"]).read()
            default_requests = {
                DEFAULT_STATIC: base + seeded["css"],
                DEFAULT_ARTICLE: base + seeded["article"],
            }
            for name in default_requests:
                rounds[name] = []
            for _ in range(options.rounds):
                for name, url in default_requests.items():
                    rounds[name].append(wrk(url, options.duration, options.connections))
        finally:
            stop_server(server)

    results = {name: summary(row_rounds) for name, row_rounds in rounds.items()}
    ratios = [
        article["rps"] / static["rps"]
        for article, static in zip(rounds["Article page, 100 comments"], rounds["Static file (CSS)"], strict=True)
    ]
    ratio = statistics.median(ratios)
    extra = ""
    mixed_hits = results[MIXED]["hits"]
    if mixed_hits:
        hit_rate = sum(h for h, _ in mixed_hits) / max(1, sum(n for _, n in mixed_hits))
        extra += (
            f"\nMixed row: {hit_rate:.1%} of the answers came from the page cache while an editor approved a comment"
            f" every second (each approval makes only its article's pages stale).\n"
        )
    if DEFAULT_ARTICLE in rounds:
        default_ratios = [
            article["rps"] / static["rps"]
            for article, static in zip(rounds[DEFAULT_ARTICLE], rounds[DEFAULT_STATIC], strict=True)
        ]
        extra += (
            f"\nDefault set-up without Redis (the cache in files every worker shares, views counted in the"
            f" database): article page / static file throughput {statistics.median(default_ratios):.2f}.\n"
        )
    workers = env.get("WEB_CONCURRENCY", f"gunicorn.conf.py default ({2 * (os.cpu_count() or 1) + 1})")
    rows = "\n".join(
        f"| {name} | {r['rps']:,.0f} | {r['p50']:.2f} ms | {r['p99']:.2f} ms | {r['requests']:,} | {r['errors']} |"
        for name, r in results.items()
    )
    report = f"""{SECTION}

Measured by `make bench` (`bench/serve_benchmark.py`) on {datetime.now(timezone.utc):%Y-%m-%d}: gunicorn with
{workers} workers, DEBUG off, on loopback; wrk with 2 threads and {options.connections} connections,
on the same machine ({os.cpu_count()} cores; the load generator shares them with the server). The rows
are measured in {options.rounds} rounds of {options.duration} s per row, one row after the other; each
figure is the median over the rounds (requests and errors: the totals).

- Database: {database}
- Cache: {cache}

| Request | Requests/s | p50 | p99 | Requests | Errors (non-2xx/3xx) |
| --- | ---: | ---: | ---: | ---: | ---: |
{rows}

**Article page / static file throughput: {ratio:.2f}** (target: at least 0.5), the median of the
rounds' ratios ({", ".join(f"{r:.2f}" for r in ratios)}).
{extra}
View count check: a burst of {BURST:,} article requests from 16 parallel readers ({answered:,} answered
200) raised the stored count, flushed before and after with `flushviews`, from {stored_before:,} to
{stored:,}: {"exactly one view per request" if stored - stored_before == BURST else "NOT one view per request"}.

Comment posts are made with the flood limit and the minimum time before posting turned off (they
would refuse a load generator), each with a form token of its own (a token is good for one post),
moderation on (each post waits as pending and mails no one in the
benchmark: `EMAIL_URL=dummymail://`).
"""
    write_section(report)
    print(report)
    if stored - stored_before != BURST:
        sys.exit(f"view count mismatch: {BURST} requests added {stored - stored_before} views")


if __name__ == "__main__":
    main()
