"""Settings for the test suite: the production settings with a fixed test key and unhashed static files.

The comment flood limit, the search rate limit and login throttling are off, so that tests may post, search
and log in one after another (Django's test client logs in without a request, which django-axes refuses);
the tests of the limits turn them on. The cache is each process's local memory, with the page and fragment
caches off and views counted in the database; the tests of those caches and of Redis turn them on.
"""

import os

os.environ.setdefault("SECRET_KEY", "test-only-secret-key-never-used-in-production")

from newsroom.settings import *  # noqa: E402, F403

STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
WHITENOISE_AUTOREFRESH = True
WHITENOISE_USE_FINDERS = True
COMMENTS_FLOOD_SECONDS = 0
SEARCH_RATE_LIMIT = 0
AXES_ENABLED = False
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
PAGE_CACHE_SECONDS = 0
FRAGMENT_CACHE_SECONDS = 0
VIEW_COUNTS_IN_CACHE = False
