from django.conf import settings
from django.views.decorators.http import require_safe
from django.views.static import serve

# Stored names carry a hash of their content (see images.processing): a name never changes meaning.
IMMUTABLE = "max-age=31536000, public, immutable"


@require_safe
def media(request, path):
    """An uploaded file from ``MEDIA_ROOT``, for a site on one machine with no web server serving them.

    Django's own file view (paths confined to ``MEDIA_ROOT``, ``If-Modified-Since`` answered), with the
    cache headers that the files' content-hashed names allow. Behind nginx, let nginx serve ``MEDIA_ROOT``
    instead and set ``SERVE_MEDIA=off`` (see docs/deployment.md).
    """
    response = serve(request, path, document_root=settings.MEDIA_ROOT)
    if response.status_code == 200:
        response["Cache-Control"] = IMMUTABLE
    return response
