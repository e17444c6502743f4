from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import JsonResponse
from django.urls import path
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from images.forms import ImageForm
from images.models import Image

LIBRARY_PAGE_SIZE = 50


def thumbnail_html(image, width=96):
    """A small preview of an image for the admin (empty alt: its description is shown beside it)."""
    thumbnail = image.thumbnail
    return format_html(
        '<img src="{}" width="{}" height="{}" alt="" class="image-thumbnail">',
        thumbnail.url,
        width,
        max(1, round(thumbnail.height * width / thumbnail.width)),
    )


@admin.register(Image)
class ImageAdmin(admin.ModelAdmin):
    form = ImageForm
    list_display = ["thumbnail", "__str__", "credit", "dimensions", "uploaded_at"]
    list_display_links = ["thumbnail", "__str__"]
    list_filter = ["decorative", "uploaded_at"]
    search_fields = ["title", "alt", "caption", "credit"]
    date_hierarchy = "uploaded_at"

    def get_fields(self, request, obj=None):
        fields = ["upload", "alt", "decorative", "caption", "credit", "title"]
        return fields if obj is None else ["preview", *fields, "dimensions", "uploaded_at"]

    def get_readonly_fields(self, request, obj=None):
        return [] if obj is None else ["preview", "dimensions", "uploaded_at"]

    @admin.display(description=_("picture"))
    def thumbnail(self, image):
        return thumbnail_html(image)

    @admin.display(description=_("preview"))
    def preview(self, image):
        return thumbnail_html(image, width=320)

    @admin.display(description=_("size"))
    def dimensions(self, image):
        return f"{image.width} × {image.height}"

    def get_urls(self):
        library = path("library/", self.admin_site.admin_view(self.library_view), name="images_image_library")
        return [library, *super().get_urls()]

    def library_view(self, request):
        """The library as JSON for the body editor: ``?q=`` searches it like the list; 50 a page (``?page=``).

        ``{"images": [{"id", "url", "alt", "decorative", "caption", "credit", "thumbnail", "width",
        "height"}], "page", "pages", "next"}``, newest first; ``url`` is the original's, ``alt`` empty for a
        decorative image, ``next`` the URL of the next page or null.
        """
        if not self.has_view_permission(request):
            raise PermissionDenied
        images, _duplicates = self.get_search_results(request, self.get_queryset(request), request.GET.get("q", ""))
        page = Paginator(images, LIBRARY_PAGE_SIZE).get_page(request.GET.get("page"))
        following = request.GET.copy()
        if page.has_next():
            following["page"] = page.next_page_number()
        return JsonResponse(
            {
                "images": [
                    {
                        "id": image.pk,
                        "url": image.file.url,
                        "alt": image.alt_text,
                        "decorative": image.decorative,
                        "caption": image.caption,
                        "credit": image.credit,
                        "thumbnail": image.thumbnail.url,
                        "width": image.width,
                        "height": image.height,
                    }
                    for image in page
                ],
                "page": page.number,
                "pages": page.paginator.num_pages,
                "next": f"{request.path}?{following.urlencode()}" if page.has_next() else None,
            }
        )
