"""Newsroom settings, read once from the environment (and an optional .env file).

Every setting a deployment may change is listed in the README's table.
"""

from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import environ
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
environ.Env.read_env(env.str("ENV_FILE", default=str(BASE_DIR / ".env")))

DEBUG = env.bool("DEBUG", default=False)

SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("Set SECRET_KEY in the environment (or .env) when DEBUG is off.")
    SECRET_KEY = "django-insecure-development-only-key"  # noqa: S105 - never used with DEBUG off

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

# HTTPS on: redirect plain HTTP, send HSTS, mark cookies Secure. Off: plain HTTP, e.g. on localhost.
# With every default below, `manage.py check --deploy` is clean once HTTPS, SECRET_KEY and ALLOWED_HOSTS are set.
HTTPS = env.bool("HTTPS", default=False)
SECURE_SSL_REDIRECT = HTTPS
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31_536_000 if HTTPS else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=HTTPS)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=HTTPS)
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
# Behind a TLS-terminating proxy: the header it sets and the value meaning HTTPS, e.g. HTTP_X_FORWARDED_PROTO,https
SECURE_PROXY_SSL_HEADER = tuple(env.list("SECURE_PROXY_SSL_HEADER", default=[])) or None
if SECURE_PROXY_SSL_HEADER and len(SECURE_PROXY_SSL_HEADER) != 2:
    raise ImproperlyConfigured("SECURE_PROXY_SSL_HEADER is a header and a value, e.g. HTTP_X_FORWARDED_PROTO,https.")
# Django's defaults already send X-Content-Type-Options: nosniff, Referrer-Policy: same-origin,
# Cross-Origin-Opener-Policy: same-origin and X-Frame-Options: DENY; newsroom/tests/test_security.py holds them.

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.postgres",
    "django.contrib.sitemaps",
    "reversion",
    "django_prose_editor",
    "axes",
    "django_tasks",
    "django_tasks_db",
    "pagecache",
    "images",
    "articles",
    "comments",
]

# The header middleware sits above WhiteNoise so that static files carry the same headers as pages.
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "pagecache.middleware.RecentPageMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "newsroom.middleware.DatabaseUnavailableMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "newsroom.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "newsroom.context_processors.site",
                "pagecache.context_processors.csrf",
            ],
        },
    },
]

WSGI_APPLICATION = "newsroom.wsgi.application"

DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=0)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if env.bool("DATABASE_POOL", default=False):
    if DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
        raise ImproperlyConfigured("DATABASE_POOL needs PostgreSQL (psycopg's connection pool).")
    # One connection per gunicorn worker (a sync worker serves one request at a time), more only for threads.
    DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {"min_size": 1, "max_size": 4}

# By default, files under .cache/ that every server process of this machine shares. redis:// URLs give
# Django's own RedisCache (django-environ picks it while django-redis is not installed), in the variant that
# reuses its Redis clients and gives up quickly when Redis fails (newsroom/cache.py).
CACHES = {"default": env.cache("CACHE_URL", default=f"filecache://{BASE_DIR / '.cache'}")}
CACHE_BACKEND = CACHES["default"]["BACKEND"]
# Shared by every server process (of this machine at least): anything but the per-process local memory.
SHARED_CACHE = not any(kind in CACHE_BACKEND for kind in ("locmem", "dummy"))
# With atomic increments, for counting views: Redis and Memcached.
ATOMIC_CACHE = any(kind in CACHE_BACKEND for kind in ("redis", "memcached"))
# Seconds to wait for Redis to connect and to answer; after a failure it is left alone for 5 s.
CACHE_TIMEOUT = env.float("CACHE_TIMEOUT", default=0.5)
if CACHE_BACKEND == "django.core.cache.backends.redis.RedisCache":
    CACHES["default"]["BACKEND"] = "newsroom.cache.RedisCache"
    CACHES["default"]["OPTIONS"] = {
        "socket_connect_timeout": CACHE_TIMEOUT,
        "socket_timeout": CACHE_TIMEOUT,
        **CACHES["default"].get("OPTIONS", {}),
    }
if CACHE_BACKEND == "django.core.cache.backends.filebased.FileBasedCache":
    CACHES["default"]["OPTIONS"] = {"MAX_ENTRIES": 10_000, **CACHES["default"].get("OPTIONS", {})}
SESSION_ENGINE = env.str("SESSION_ENGINE", default="django.contrib.sessions.backends.db")

vars().update(env.email("EMAIL_URL", default="consolemail://"))
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="newsroom@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Seconds to wait for the mail server (mail is sent by the task worker, never during a request).
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=10)

# Login throttling (django-axes): after AXES_FAILURE_LIMIT failed logins to one account, or from one client,
# that account and that client are locked out for AXES_COOLOFF_MINUTES; `manage.py axes_reset_username`,
# `axes_reset_ip` or the admin's "Access attempts" unlock them sooner (see docs/security.md).
AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", "django.contrib.auth.backends.ModelBackend"]
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "newsroom.clients.client_address"
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_VERBOSE = False
# Background tasks (django-tasks): mail leaves the request through them. The default backend keeps tasks in the
# database, run by `manage.py db_worker` (see docs/deployment.md).
TASKS = {"default": {"BACKEND": env.str("TASKS_BACKEND", default="django_tasks_db.DatabaseBackend")}}
if TASKS["default"]["BACKEND"] == "django_tasks_rq.RQBackend":
    INSTALLED_APPS.append("django_rq")
    RQ_QUEUES = {"default": {"URL": env.str("TASKS_REDIS_URL", default="redis://127.0.0.1:6379/1")}}
# How many times a mail is tried before it is left failed in the task results (1, 2, 4 … 60 minutes apart).
MAIL_RETRY_ATTEMPTS = env.int("MAIL_RETRY_ATTEMPTS", default=30)

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-us"
TIME_ZONE = env.str("TIME_ZONE", default="UTC")
USE_I18N = True
# Dates as the newsroom writes them (12 July 2024), by language: newsroom/formats/<language>/formats.py.
FORMAT_MODULE_PATH = ["newsroom.formats"]
USE_TZ = True

STATIC_URL = env.str("STATIC_URL", default="static/")
STATIC_ROOT = Path(env.str("STATIC_ROOT", default=str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static"]
# Uploaded files (the image library): on local disk under MEDIA_ROOT by default, or in object storage with
# MEDIA_STORAGE and MEDIA_STORAGE_OPTIONS (see docs/deployment.md). SERVE_MEDIA: Django serves MEDIA_ROOT
# at MEDIA_URL, for one machine without a web server in front; behind nginx, nginx serves it.
MEDIA_URL = env.str("MEDIA_URL", default="media/")
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(BASE_DIR / "media")))
SERVE_MEDIA = env.bool("SERVE_MEDIA", default=True)
STORAGES = {
    "default": {
        "BACKEND": env.str("MEDIA_STORAGE", default="django.core.files.storage.FileSystemStorage"),
        "OPTIONS": env.json("MEDIA_STORAGE_OPTIONS", default={}),
    },
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

WHITENOISE_MAX_AGE = 0 if DEBUG else 3600  # unhashed names; hashed ones are cached for ten years

# No inline script or style anywhere (the admin's included); static files may come from a CDN (STATIC_URL).
static_host = urlsplit(STATIC_URL)
own_files = [SELF, f"{static_host.scheme}://{static_host.netloc}"] if static_host.netloc else [SELF]
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": own_files,
        "script-src": own_files,
        "style-src": own_files,
        "img-src": [SELF, "https:", "data:"],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
}

SITE_NAME = env.str("SITE_NAME", default="Newsroom")
# The site's public address, for links in mail (never taken from a request's Host header).
SITE_URL = env.str("SITE_URL", default="http://localhost:8000")
ARTICLES_PER_PAGE = env.int("ARTICLES_PER_PAGE", default=10)
# Count views in the cache and fold them into the database in batches (see articles/counting.py);
# only a cache with atomic increments shared by every server process (Redis, Memcached) can hold them.
VIEW_COUNTS_IN_CACHE = env.bool("VIEW_COUNTS_IN_CACHE", default=ATOMIC_CACHE)
VIEW_COUNT_FOLD_EVERY = env.int("VIEW_COUNT_FOLD_EVERY", default=100)
# Cache whole public pages (see pagecache/__init__.py); 0 turns it off. Needs a cache shared by every process.
# Off by default with DEBUG on, so that a changed template shows at once.
PAGE_CACHE_SECONDS = env.int("PAGE_CACHE_SECONDS", default=300 if SHARED_CACHE and not DEBUG else 0)
# Keep the parts of pages that every visitor sees alike (the sidebar, related articles; see
# pagecache/fragments.py) for pages rendered afresh; 0 turns it off. Same conditions as the page cache.
FRAGMENT_CACHE_SECONDS = env.int("FRAGMENT_CACHE_SECONDS", default=60 if SHARED_CACHE and not DEBUG else 0)
MOST_READ_DAYS = env.int("MOST_READ_DAYS", default=30)
# Searches one client (an IPv4 address, an IPv6 /64) may make a minute, counted in the cache; 0: no limit.
SEARCH_RATE_LIMIT = env.int("SEARCH_RATE_LIMIT", default=30)

# Uploaded images (see images/processing.py): limits of an upload, and the widths of its renditions.
IMAGES_MAX_UPLOAD_MB = env.int("IMAGES_MAX_UPLOAD_MB", default=20)
IMAGES_MAX_PIXELS = env.int("IMAGES_MAX_PIXELS", default=50_000_000)
IMAGES_RENDITION_WIDTHS = [int(width) for width in env.list("IMAGES_RENDITION_WIDTHS", default=[400, 800, 1200, 1600])]

COMMENTS_MODERATION = env.bool("COMMENTS_MODERATION", default=True)
COMMENTS_AUTO_APPROVE_KNOWN = env.bool("COMMENTS_AUTO_APPROVE_KNOWN", default=True)
COMMENTS_THREAD_DEPTH = env.int("COMMENTS_THREAD_DEPTH", default=5)
# Threads per page of an article's comments (comment-page-N/ beyond the first); 0 shows them all on one page.
COMMENTS_PER_PAGE = env.int("COMMENTS_PER_PAGE", default=50)
COMMENTS_CLOSE_AFTER_DAYS = env.int("COMMENTS_CLOSE_AFTER_DAYS", default=0)
COMMENTS_NOTIFY_EMAILS = env.list("COMMENTS_NOTIFY_EMAILS", default=[])
# Reader reports that send a published comment back to the moderation queue (see comments/reports.py).
COMMENTS_REPORTS_TO_HOLD = env.int("COMMENTS_REPORTS_TO_HOLD", default=3)
# Minutes after posting during which commenters may edit or delete their comment (see comments/editing.py); 0: never.
COMMENTS_EDIT_MINUTES = env.int("COMMENTS_EDIT_MINUTES", default=15)
# Retention (see comments/retention.py, run by `manage.py prunecomments`); 0 keeps everything.
COMMENTS_RETAIN_DAYS = env.int("COMMENTS_RETAIN_DAYS", default=60)
COMMENTS_PURGE_DAYS = env.int("COMMENTS_PURGE_DAYS", default=30)
# Spam defences (see comments/moderation.py and comments/forms.py).
COMMENTS_MIN_SUBMIT_SECONDS = env.int("COMMENTS_MIN_SUBMIT_SECONDS", default=3)
COMMENTS_FLOOD_SECONDS = env.int("COMMENTS_FLOOD_SECONDS", default=15)
COMMENTS_MAX_LINKS = env.int("COMMENTS_MAX_LINKS", default=2)
# Days a ban made by the moderation queue's action lasts (see comments/admin.py); 0: until an editor lifts it.
COMMENTS_BAN_DAYS = env.int("COMMENTS_BAN_DAYS", default=30)
# How many proxies (load balancers, CDNs) in front of the site append to X-Forwarded-For; 0: none, use REMOTE_ADDR.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
