"""Root URL configuration: the admin, the public site and, with SERVE_MEDIA, the uploaded files."""

import re
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib import admin
from django.urls import include, path, re_path

from images.views import media

urlpatterns = [
    path("admin/", admin.site.urls),
    path("", include("comments.urls")),
    path("", include("articles.urls")),
]

# Only a MEDIA_URL on this site (not a CDN's or a bucket's address) can be served from here.
if settings.SERVE_MEDIA and not urlsplit(settings.MEDIA_URL).netloc:
    media_prefix = re.escape(urlsplit(settings.MEDIA_URL).path.strip("/"))
    urlpatterns.insert(0, re_path(rf"^{media_prefix}/(?P<path>.+)$", media, name="media"))
