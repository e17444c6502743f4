"""The "Leave a Reply" form, with WordPress's field names, order and limits."""

import re

from django import forms
from django.core.validators import URLValidator
from django.utils.translation import gettext_lazy as _

from comments.models import Comment

WHITESPACE_RUN = re.compile(r"\s+")
WEB_SCHEMES = ("http", "https")


class WebAddressField(forms.URLField):
    """A website address: http or https only; a bare ``example.com`` becomes ``https://example.com``."""

    default_validators = [URLValidator(schemes=WEB_SCHEMES)]
    default_error_messages = {"invalid": _("Enter a valid website address, such as https://example.com.")}

    def __init__(self, **kwargs):
        super().__init__(assume_scheme="https", **kwargs)

    def to_python(self, value):
        value = super().to_python(value)
        if value and value.partition(":")[0].lower() not in WEB_SCHEMES:
            raise forms.ValidationError(_("A website address must start with http:// or https://."), code="scheme")
        return value


class CommentForm(forms.Form):
    """A reader's comment on one article, optionally in reply to one of its approved comments."""

    # Field names are WordPress's, so browsers' saved form data and readers' habits carry over.
    HTML_NAMES = {"remember": "wp-comment-cookies-consent"}

    comment = forms.CharField(
        label=_("Comment"),
        max_length=65525,
        widget=forms.Textarea(attrs={"cols": 45, "rows": 8, "aria-required": "true"}),
        error_messages={"required": _("Please type your comment.")},
    )
    author = forms.CharField(
        label=_("Name"),
        max_length=245,
        widget=forms.TextInput(attrs={"size": 30, "autocomplete": "name", "aria-required": "true"}),
        error_messages={"required": _("Please enter your name.")},
    )
    email = forms.EmailField(
        label=_("Email"),
        max_length=100,
        widget=forms.EmailInput(attrs={"size": 30, "autocomplete": "email", "aria-required": "true"}),
        error_messages={
            "required": _("Please enter your email address."),
            "invalid": _("Enter a valid email address, such as name@example.com."),
        },
    )
    url = WebAddressField(
        label=_("Website"),
        max_length=200,
        required=False,
        widget=forms.URLInput(attrs={"size": 30, "autocomplete": "url"}),
    )
    remember = forms.BooleanField(
        label=_("Save my name, email, and website in this browser for the next time I comment."),
        required=False,
    )
    comment_parent = forms.IntegerField(
        min_value=0,
        required=False,
        widget=forms.HiddenInput,
        error_messages={
            "invalid": _("The comment you replied to is not available."),
            "min_value": _("The comment you replied to is not available."),
        },
    )

    def __init__(self, article, *args, reply_to=None, **kwargs):
        kwargs.setdefault("auto_id", "%s")
        super().__init__(*args, **kwargs)
        self.article = article
        self.reply_to = reply_to
        if reply_to is not None:
            self.initial["comment_parent"] = reply_to.pk

    def add_prefix(self, field_name):
        return self.HTML_NAMES.get(field_name, field_name)

    def clean_comment(self):
        lines = self.cleaned_data["comment"].replace("\r\n", "\n").replace("\r", "\n").split("\n")
        return "\n".join(line.rstrip() for line in lines)

    def clean_author(self):
        return WHITESPACE_RUN.sub(" ", self.cleaned_data["author"])

    def clean_comment_parent(self):
        """The approved comment of this article being replied to, or None."""
        parent_id = self.cleaned_data["comment_parent"]
        if not parent_id:
            return None
        parent = Comment.objects.approved().filter(article=self.article, pk=parent_id).first()
        if parent is None:
            raise forms.ValidationError(self.fields["comment_parent"].error_messages["invalid"], code="parent")
        self.reply_to = parent
        return parent

    def build_comment(self, *, ip_address=None, user_agent=""):
        """An unsaved Comment from the cleaned data; moderation decides its status."""
        data = self.cleaned_data
        return Comment(
            article=self.article,
            parent=data["comment_parent"],
            author=data["author"],
            email=data["email"],
            url=data["url"],
            body=data["comment"],
            ip_address=ip_address,
            user_agent=user_agent,
        )
