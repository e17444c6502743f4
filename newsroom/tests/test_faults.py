"""The site when the database goes away, and when it comes back."""

import contextlib
import socket
import subprocess
import sys
import threading

import pytest
from django.db import OperationalError, connection
from pytest_django.asserts import assertInHTML

from comments.models import Comment
from comments.tests.helpers import comment_form_data
from newsroom.middleware import DatabaseUnavailableMiddleware
from newsroom.settings import BASE_DIR
from newsroom.tests.helpers import read_setting

# A worker process serving requests through Django's WSGI handler, as a WSGI server would (opening and
# closing database connections around each request), one request per line read from its input.
WORKER = """
import sys
from wsgiref.util import setup_testing_defaults
from django.core.wsgi import get_wsgi_application
application = get_wsgi_application()
for line in sys.stdin:
    environ = {"PATH_INFO": line.strip(), "HTTP_HOST": "testserver"}
    setup_testing_defaults(environ)
    started = []
    body = b"".join(application(environ, lambda status, headers: started.append((status, dict(headers)))))
    status, headers = started[0]
    print(status.split()[0], headers.get("Retry-After", "-"), b"The site is briefly unavailable" in body, flush=True)
"""


def start_worker(database_url):
    return subprocess.Popen(
        [sys.executable, "-c", WORKER],
        cwd=BASE_DIR,
        env={
            "PATH": "/usr/bin:/bin",
            "ENV_FILE": "/dev/null",
            "DJANGO_SETTINGS_MODULE": "newsroom.test_settings",
            "ALLOWED_HOSTS": "testserver",
            "LOG_LEVEL": "CRITICAL",
            "DATABASE_URL": database_url,
        },
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )


def ask(worker, path):
    worker.stdin.write(path + "\n")
    worker.stdin.flush()
    return worker.stdout.readline().split()


class SwitchableProxy:
    """A TCP proxy to PostgreSQL that can be cut (listener and open connections closed) and restored."""

    def __init__(self, target):
        self.target = target
        self.port = None
        self.listener = None
        self.sockets = []

    def start(self):
        self.listener = socket.create_server(("127.0.0.1", self.port or 0))
        self.port = self.listener.getsockname()[1]
        threading.Thread(target=self.accept, args=(self.listener,), daemon=True).start()

    def cut(self):
        for sock in [self.listener, *self.sockets]:
            close(sock)
        self.sockets = []

    def accept(self, listener):
        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                return
            server = socket.create_connection(self.target)
            self.sockets += [client, server]
            for source, sink in ((client, server), (server, client)):
                threading.Thread(target=self.pump, args=(source, sink), daemon=True).start()

    @staticmethod
    def pump(source, sink):
        try:
            while data := source.recv(65536):
                sink.sendall(data)
        except OSError:
            pass
        finally:
            for sock in (source, sink):
                close(sock)


def close(sock):
    """Close a socket at once, waking any thread blocked on it."""
    with contextlib.suppress(OSError):
        sock.shutdown(socket.SHUT_RDWR)
    sock.close()


@pytest.mark.slow
def test_pages_answer_a_friendly_503_when_the_database_is_unreachable():
    worker = start_worker("postgres://postgres@127.0.0.1:9/newsroom")  # nothing listens on the discard port
    try:
        assert ask(worker, "/") == ["503", "30", "True"]
        assert ask(worker, "/2024/07/12/some-article/") == ["503", "30", "True"]
    finally:
        worker.stdin.close()
        worker.wait(timeout=30)


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_the_site_recovers_by_itself_when_the_database_returns():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL, reached over TCP")
    settings = connection.settings_dict
    proxy = SwitchableProxy((settings["HOST"] or "127.0.0.1", int(settings["PORT"] or 5432)))
    proxy.start()
    worker = start_worker(f"postgres://{settings['USER']}@127.0.0.1:{proxy.port}/{settings['NAME']}")
    try:
        assert ask(worker, "/") == ["200", "-", "False"]
        proxy.cut()
        assert ask(worker, "/") == ["503", "30", "True"]
        proxy.start()
        assert ask(worker, "/") == ["200", "-", "False"]
    finally:
        worker.stdin.close()
        worker.wait(timeout=30)
        proxy.cut()


def test_a_form_posted_during_the_fault_comes_back_with_everything_typed(rf):
    request = rf.post(
        "/2024/07/12/some-article/comments/",
        {"comment": "My <b>long</b> reply\nover two lines", "author": "Ana", "csrfmiddlewaretoken": "old"},
    )
    middleware = DatabaseUnavailableMiddleware(lambda request: None)

    response = middleware.process_exception(request, OperationalError("connection refused"))

    assert response.status_code == 503
    html = response.content.decode()
    assert '<form class="resubmit" method="post" action="/2024/07/12/some-article/comments/">' in html
    assert ">My &lt;b&gt;long&lt;/b&gt; reply\nover two lines</textarea>" in html
    assertInHTML('<input type="hidden" name="author" value="Ana">', html)
    assert 'value="old"' not in html


def test_other_errors_are_left_to_the_server_error_page(rf):
    middleware = DatabaseUnavailableMiddleware(lambda request: None)

    assert middleware.process_exception(rf.get("/"), ValueError("a bug")) is None


@contextlib.contextmanager
def broken_mail_server(kind):
    """The port of a mail server that is closed, hangs up at once, or never says a word."""
    listener = socket.create_server(("127.0.0.1", 0))
    port = listener.getsockname()[1]
    if kind == "closed":
        listener.close()
    elif kind == "hangs up":
        threading.Thread(target=lambda: close(listener.accept()[0]), daemon=True).start()
    try:
        yield port
    finally:
        close(listener)


@pytest.mark.parametrize("kind", ["closed", "hangs up", "silent"])
@pytest.mark.django_db(transaction=True)
def test_a_failing_mail_server_never_loses_a_comment(client, article, settings, caplog, kind):
    settings.COMMENTS_NOTIFY_EMAILS = ["desk@news.example"]
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_TIMEOUT = 1
    settings.COMMENTS_FLOOD_SECONDS = 0
    settings.COMMENTS_MIN_SUBMIT_SECONDS = 0

    with broken_mail_server(kind) as port:
        settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
        response = client.post(
            f"/comments/post/{article.pk}/", comment_form_data(article, comment="Kept, mail or not.")
        )

    comment = Comment.objects.get()
    assert response.status_code == 302
    assert response["Location"] == comment.get_absolute_url()
    assert (comment.body, comment.status) == ("Kept, mail or not.", Comment.Status.PENDING)
    assert f"Could not send the moderation notice for comment {comment.pk}" in caplog.text
    assert "Kept, mail or not." in client.get(article.get_absolute_url()).content.decode()


@pytest.mark.slow
def test_the_mail_server_gets_a_timeout_by_default():
    assert read_setting("s.EMAIL_TIMEOUT", DEBUG="on").stdout == "10\n"
