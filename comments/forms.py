"""The "Leave a Reply" form, with WordPress's field names, order and limits, and two defences against robots.

- A signed form token (``comment_token``) binds the form to its article and the time it was first shown,
  and is used once: a changed token, a form shown more than a day ago, a token already used, or a form
  sent back sooner than ``COMMENTS_MIN_SUBMIT_SECONDS`` after it was first shown is refused. A refused form
  carries a fresh token that keeps the time its form was first shown, so a person who was too quick is
  told how many seconds to wait and is accepted once they have.
- A honeypot field (``url_confirm``) that people never see: a post that fills it is kept as spam.
"""

import logging
import math
import re
import secrets
import time

from django import forms
from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.core.validators import RegexValidator, URLValidator
from django.forms.renderers import Jinja2
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from comments.models import WEB_SCHEMES, Comment, CommentReport
from comments.text import has_invisible_characters, without_unmeant_characters

logger = logging.getLogger(__name__)

WHITESPACE_RUN = re.compile(r"\s+")
TOKEN_SALT = "comments.forms.comment_token"  # noqa: S105 - a namespace for signing, not a secret
TOKEN_MAX_AGE = 24 * 60 * 60
USED_NONCE_KEY = "comments:used-form:{nonce}"
HONEYPOT = "url_confirm"

# Control characters other than tab, line feed and carriage return (NUL has Django's own message).
no_control_characters = RegexValidator(
    r"[\x01-\x08\x0b\x0c\x0e-\x1f\x7f]",
    inverse_match=True,
    message=_("Remove the invisible control characters from this field."),
    code="control_characters",
)


def no_invisible_characters(value):
    """Refuse noncharacters and invisible format characters (see ``comments.text``)."""
    if has_invisible_characters(value):
        raise forms.ValidationError(
            _(
                "Remove the invisible characters (such as direction marks, zero-width spaces or soft hyphens) "
                "from this field."
            ),
            code="invisible_characters",
        )


def comment_token(article_id, issued_at=None):
    """A signed, single-use token for the comment form of this article, shown at ``issued_at`` (a Unix time;
    default now). Each token carries a random nonce of its own, by which its use is remembered."""
    issued_at = time.time() if issued_at is None else issued_at
    return signing.dumps([article_id, int(issued_at), secrets.token_urlsafe(12)], salt=TOKEN_SALT)


def fill_comment_token(request, article_id):
    """The comment token of a cached article page (a page-cache hole, see comments.apps), issued for this
    request: single-use, so never shared between two visitors."""
    return comment_token(article_id)


class CommentTokenField(forms.CharField):
    """The signed token of the form; a form shown again always carries a fresh one, never the token sent."""

    widget = forms.HiddenInput
    default_error_messages = {
        "required": _("The form was sent without its security token. Please post your comment again."),
        "invalid": _("The form could not be verified. Please post your comment again."),
        "expired": _("The form was shown more than a day ago. Please post your comment again."),
        "used": _("This form was already sent once. Please post your comment again."),
        "too_fast": ngettext_lazy(
            "Your comment was sent too quickly after the page was shown. Please wait %(seconds)s more second, "
            "then post it again.",
            "Your comment was sent too quickly after the page was shown. Please wait %(seconds)s more seconds, "
            "then post it again.",
            "seconds",
        ),
    }

    def bound_data(self, data, initial):
        return initial

    def contents(self, token, article_id):
        """``(issued_at, nonce)`` of a token signed for this article; raise ValidationError for any other."""
        try:
            token_article_id, issued_at, nonce = signing.loads(token, salt=TOKEN_SALT)
        except (signing.BadSignature, TypeError, ValueError) as error:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from error
        if token_article_id != article_id:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return issued_at, nonce

    def first_shown(self, token, article_id):
        """When the form that sent ``token`` was first shown, if the token is genuine and not stale; else None."""
        try:
            issued_at, _nonce = self.contents(token, article_id)
        except forms.ValidationError:
            return None
        return issued_at if time.time() - issued_at <= TOKEN_MAX_AGE else None

    def check(self, token, article_id):
        """Raise ValidationError unless ``token`` was issued for this article between a day and a moment ago."""
        issued_at, _nonce = self.contents(token, article_id)
        age = time.time() - issued_at
        if age > TOKEN_MAX_AGE:
            raise forms.ValidationError(self.error_messages["expired"], code="expired")
        if age < settings.COMMENTS_MIN_SUBMIT_SECONDS:
            seconds = math.ceil(settings.COMMENTS_MIN_SUBMIT_SECONDS - age)
            raise forms.ValidationError(self.error_messages["too_fast"], code="too_fast", params={"seconds": seconds})

    def use(self, token, article_id):
        """Remember a checked token as used; raise ValidationError if it was used before."""
        _issued_at, nonce = self.contents(token, article_id)
        if not use_once(USED_NONCE_KEY.format(nonce=nonce), TOKEN_MAX_AGE):
            raise forms.ValidationError(self.error_messages["used"], code="used")


def use_once(key, seconds):
    """Remember ``key`` in the cache for ``seconds``; whether it was not remembered yet. A failing cache
    answers True (logged): a form is worth more than this check."""
    try:
        return cache.add(key, 1, seconds)
    except Exception:
        logger.exception("Could not record a used comment form token in the cache")
        return True


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


class CommentTextField(forms.CharField):
    """A comment's text, with uniform line ends, no trailing spaces and no invisible characters it cannot mean."""

    widget = forms.Textarea(attrs={"cols": 45, "rows": 8, "aria-required": "true"})

    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("Comment"))
        kwargs.setdefault("error_messages", {"required": _("Please type your comment.")})
        super().__init__(max_length=65525, validators=[no_control_characters], **kwargs)

    def clean(self, value):
        text = without_unmeant_characters(super().clean(value))
        lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
        text = "\n".join(line.rstrip() for line in lines)
        if not text.strip():
            raise forms.ValidationError(self.error_messages["required"], code="required")
        return text


# Django's own widget templates in Jinja2: the same markup as its default renderer (quotes in values escaped as
# &#34; rather than &quot;), rendered in about half the time, for the form that every article page renders
# (one renderer, so its templates are compiled once).
WIDGET_RENDERER = Jinja2()


class CommentForm(forms.Form):
    """A reader's comment on one article, optionally in reply to one of its approved comments."""

    default_renderer = WIDGET_RENDERER

    # Field names are WordPress's, so browsers' saved form data and readers' habits carry over.
    HTML_NAMES = {"remember": "wp-comment-cookies-consent"}

    comment = CommentTextField()
    author = forms.CharField(
        label=_("Name"),
        max_length=245,
        widget=forms.TextInput(attrs={"size": 30, "autocomplete": "name", "aria-required": "true"}),
        validators=[no_control_characters, no_invisible_characters],
        error_messages={"required": _("Please enter your name.")},
    )
    email = forms.EmailField(
        label=_("Email"),
        max_length=100,
        widget=forms.EmailInput(attrs={"size": 30, "autocomplete": "email", "aria-required": "true"}),
        validators=[no_control_characters, no_invisible_characters],
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
        validators=[no_control_characters, no_invisible_characters],
    )
    remember = forms.BooleanField(
        label=_("Save my name, email, and website in this browser for the next time I comment."),
        required=False,
    )
    notify = forms.BooleanField(
        label=_("Notify me of replies and when my comment is approved"),
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
    comment_token = CommentTokenField()
    # The honeypot: hidden from people by the template, left empty by them; robots fill in every field.
    url_confirm = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        strip=False,
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )

    def __init__(self, article, *args, reply_to=None, token=None, **kwargs):
        """``token``: the form token to show, by default a new one (a page cache passes a placeholder).

        A form shown again after a post keeps the time its form was first shown in its new token.
        """
        kwargs.setdefault("auto_id", "%s")
        super().__init__(*args, **kwargs)
        self.article = article
        self.reply_to = reply_to
        if reply_to is not None:
            self.initial["comment_parent"] = reply_to.pk
        first_shown = None
        if self.is_bound:
            first_shown = self.fields["comment_token"].first_shown(self.data.get("comment_token"), article.pk)
        self.initial["comment_token"] = token or comment_token(article.pk, issued_at=first_shown)

    def add_prefix(self, field_name):
        return self.HTML_NAMES.get(field_name, field_name)

    def full_clean(self):
        super().full_clean()
        self.focus_first_error()

    def focus_first_error(self):
        """Give the first visible field with an error ``autofocus``, so a refused form opens where to correct it."""
        for name, field in self.fields.items():
            if name in self.errors and not field.widget.is_hidden:
                field.widget.attrs["autofocus"] = True
                return

    def reader_fields(self):
        """The visible fields people fill in, in order: every visible field but the honeypot."""
        return [field for field in self.visible_fields() if field.name != HONEYPOT]

    @property
    def caught_by_honeypot(self):
        return bool(self.cleaned_data.get(HONEYPOT))

    def clean(self):
        """Refuse a field sent more than once: a browser sends each field of this form once. Use up the token of
        a form found valid, so that it is never accepted again."""
        cleaned_data = super().clean()
        if hasattr(self.data, "getlist"):
            for name in map(self.add_prefix, self.fields):
                if len(self.data.getlist(name)) > 1:
                    message = _("The form was sent with its field “%(name)s” more than once.")
                    self.add_error(None, forms.ValidationError(message, "repeated", {"name": name}))
        if not self.errors:
            try:
                self.fields["comment_token"].use(cleaned_data["comment_token"], self.article.pk)
            except forms.ValidationError as error:
                self.add_error("comment_token", error)
        return cleaned_data

    def clean_comment_token(self):
        token = self.cleaned_data["comment_token"]
        self.fields["comment_token"].check(token, self.article.pk)
        return token

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
            notify=data["notify"],
            ip_address=ip_address,
            user_agent=user_agent,
        )


class CommentEditForm(forms.Form):
    """A commenter's new text for their own comment (see comments.editing), checked as the Leave a Reply form
    checks it."""

    comment = CommentTextField(label=_("Your comment"))

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "%s")
        super().__init__(*args, **kwargs)


class EditorReplyForm(forms.Form):
    """An editor's reply to a comment, from the admin: published at once, under the editor's name."""

    body = forms.CharField(
        label=_("Reply"),
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=Comment._meta.get_field("body").max_length,
        validators=[no_control_characters],
    )

    def save(self, comment, user):
        """Post the reply to ``comment`` as ``user``; return it."""
        return Comment.objects.create(
            article=comment.article,
            parent=comment,
            author=user.get_full_name() or user.get_username(),
            email=user.email,
            body=self.cleaned_data["body"],
            status=Comment.Status.APPROVED,
        )


class ReportForm(forms.ModelForm):
    """A reader's report of a comment: why, and optionally more."""

    class Meta:
        model = CommentReport
        fields = ["reason", "text"]
        widgets = {"reason": forms.RadioSelect, "text": forms.Textarea(attrs={"rows": 4, "cols": 45})}
        labels = {"reason": _("Why should the editors look at this comment?"), "text": _("Anything to add (optional)")}
        error_messages = {"reason": {"required": _("Please choose a reason.")}}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason"].choices = CommentReport.Reason.choices
        self.fields["text"].validators.append(no_control_characters)
