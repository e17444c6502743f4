"""Gunicorn's settings for `make serve` and production; command-line options and GUNICORN_CMD_ARGS override them."""

import os

wsgi_app = "newsroom.wsgi:application"
# Worker processes: WEB_CONCURRENCY, or the usual two per core plus one.
workers = int(os.environ.get("WEB_CONCURRENCY", 2 * (os.cpu_count() or 1) + 1))
timeout = 30  # a worker busy this long on one request is killed and replaced
graceful_timeout = 30  # on restart or shutdown, the time left to finish the requests in flight
accesslog = "-"
errorlog = "-"
