from django import forms
from django.utils.translation import gettext_lazy as _

from images.models import Image
from images.processing import ACCEPTED_FORMATS, clean_upload


class ImageForm(forms.ModelForm):
    """Uploading a picture to the library, or changing its texts (and, optionally, the picture)."""

    upload = forms.FileField(
        label=_("picture"),
        widget=forms.FileInput(attrs={"accept": ",".join(media for _ext, media, _opts in ACCEPTED_FORMATS.values())}),
        help_text=_(
            "A JPEG, PNG, WebP or GIF picture. Location and camera data are removed; it is stored once and "
            "shown in several widths."
        ),
    )

    class Meta:
        model = Image
        fields = ["upload", "alt", "decorative", "caption", "credit", "title"]
        widgets = {"caption": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.clean_picture = None
        if self.instance.pk:
            self.fields["upload"].required = False
            self.fields["upload"].help_text = _("Leave empty to keep the current picture.")

    def clean_upload(self):
        upload = self.cleaned_data.get("upload")
        if upload:
            self.clean_picture = clean_upload(upload)
        return upload

    def save(self, commit=True):
        if self.clean_picture is not None:
            self.instance.store(self.clean_picture)
        return super().save(commit)
