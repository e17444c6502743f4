"""The default set-up without Redis: every worker process of the machine shares one cache on disk."""

import json
import subprocess
import sys

import pytest

from newsroom.settings import BASE_DIR
from newsroom.tests.helpers import manage, read_setting

# A server worker process: Django's WSGI application answering one request per line of its input
# ("GET path"), approving a comment ("APPROVE id") as an editor's action would, or applying the comment
# flood limit to a comment from one address ("FLOOD article-id").
WORKER = """
import json, sys
from wsgiref.util import setup_testing_defaults
from django.core.wsgi import get_wsgi_application
application = get_wsgi_application()
from comments.models import Comment
from comments.moderation import CommentRefused, refuse_flood
for line in sys.stdin:
    command, _, rest = line.strip().partition(" ")
    if command == "APPROVE":
        print(json.dumps({"approved": Comment.objects.filter(pk=int(rest)).approve()}), flush=True)
        continue
    if command == "FLOOD":
        try:
            refuse_flood(Comment(article_id=int(rest), ip_address="203.0.113.9"))
            print(json.dumps({"refused": False}), flush=True)
        except CommentRefused:
            print(json.dumps({"refused": True}), flush=True)
        continue
    environ = {"REQUEST_METHOD": command, "PATH_INFO": rest, "HTTP_HOST": "testserver"}
    setup_testing_defaults(environ)
    started = []
    content = b"".join(application(environ, lambda status, headers: started.append(status)))
    print(json.dumps({"status": int(started[0].split()[0]), "body": content.decode()}), flush=True)
"""

SEED = """
from datetime import timedelta
from django.utils import timezone
from articles.models import Article, Author
from comments.models import Comment
author = Author.objects.create(name="Writer", slug="writer")
article = Article.objects.create(title="Shared story", slug="shared-story", author=author, body="Text.",
                                 status="published", published_at=timezone.now() - timedelta(days=1))
comment = Comment.objects.create(article=article, author="Reader", email="r@readers.example",
                                 body="Approved through the first worker.", status="pending")
print(article.get_absolute_url(), article.pk, comment.pk)
"""


class Worker:
    def __init__(self, environment):
        self.process = subprocess.Popen(
            [sys.executable, "-c", WORKER],
            cwd=BASE_DIR,
            env=environment,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )

    def ask(self, line):
        self.process.stdin.write(line + "\n")
        self.process.stdin.flush()
        return json.loads(self.process.stdout.readline())

    def stop(self):
        self.process.stdin.close()
        self.process.wait(timeout=30)


@pytest.fixture
def two_workers(tmp_path):
    """Two worker processes of the default set-up (the cache in files), on one SQLite database; the site's ids."""
    environment = {
        "PATH": "/usr/bin:/bin",
        "ENV_FILE": "/dev/null",
        "DJANGO_SETTINGS_MODULE": "newsroom.settings",
        "DEBUG": "on",  # the static files need no collectstatic
        "PAGE_CACHE_SECONDS": "300",  # as with DEBUG off
        "ALLOWED_HOSTS": "testserver",
        "LOG_LEVEL": "CRITICAL",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "CACHE_URL": f"filecache://{tmp_path / 'cache'}",
        "COMMENTS_FLOOD_SECONDS": "15",
    }
    assert manage("migrate", "--noinput", **environment).returncode == 0
    seeded = manage("shell", "-c", SEED, **environment)
    url, article_id, comment_id = seeded.stdout.split()[-3:]
    workers = Worker(environment), Worker(environment)
    yield workers, url, int(article_id), int(comment_id)
    for worker in workers:
        worker.stop()


@pytest.mark.slow
def test_the_default_cache_is_shared_on_disk_with_the_page_cache_on():
    result = read_setting(
        "s.CACHES['default']['BACKEND'], s.PAGE_CACHE_SECONDS, s.VIEW_COUNTS_IN_CACHE", SECRET_KEY="x" * 50
    )

    assert result.stdout == "django.core.cache.backends.filebased.FileBasedCache 300 False\n"


@pytest.mark.slow
def test_an_approval_through_one_worker_is_seen_at_once_through_the_other(two_workers):
    (first, second), url, _article_id, comment_id = two_workers
    for worker in (first, second, first, second):
        page = worker.ask(f"GET {url}")
        assert page["status"] == 200
        assert "Approved through the first worker." not in page["body"]
    views = [first.ask(f"GET {url}")["body"], second.ask(f"GET {url}")["body"]]

    assert first.ask(f"APPROVE {comment_id}") == {"approved": 1}

    assert "Approved through the first worker." in second.ask(f"GET {url}")["body"]
    assert "Approved through the first worker." in first.ask(f"GET {url}")["body"]
    assert "5 Views" in views[0]
    assert "6 Views" in views[1]


@pytest.mark.slow
def test_the_flood_limit_holds_across_workers(two_workers):
    (first, second), _url, article_id, _comment_id = two_workers

    assert first.ask(f"FLOOD {article_id}") == {"refused": False}
    assert second.ask(f"FLOOD {article_id}") == {"refused": True}
