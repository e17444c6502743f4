"""The article form of the admin, whose body is written in a rich-text editor."""

from django import forms
from django.forms.widgets import Script
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from articles.html import clean_body
from articles.models import Article


class BodyEditor(forms.Textarea):
    """A textarea that static/js/body-editor.js turns into a rich-text editor.

    A body is shown as the HTML readers see (articles.html.clean_body), so that one written as
    paragraphs separated by blank lines opens in the editor as those paragraphs.
    """

    class Media:
        css = {
            "all": [
                "django_prose_editor/material-icons.css",
                "django_prose_editor/editor.css",
                "django_prose_editor/overrides.css",
                "css/body-editor.css",
            ]
        }
        js = [Script("js/body-editor.js", type="module")]

    def use_required_attribute(self, initial):
        return False  # the textarea is hidden behind the editor, where a browser could not point to it

    def format_value(self, value):
        return clean_body(value) if value else value

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"]["attrs"]["data-body-editor"] = True
        context["widget"]["attrs"]["data-image-library-url"] = reverse("admin:images_image_library")
        return context


class ArticleAdminForm(forms.ModelForm):
    class Meta:
        model = Article
        fields = "__all__"  # noqa: DJ007 - the admin's fieldsets decide which fields it shows
        widgets = {"body": BodyEditor}
        help_texts = {
            "body": _(
                "Headings, links, lists, quotes and images from the library. Anything else is removed when the "
                "article is saved."
            )
        }

    def clean_body(self):
        return clean_body(self.cleaned_data["body"])
