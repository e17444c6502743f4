"""Helpers shared by the comments tests."""

import re
import time

from django.conf import settings
from django.core import mail
from django.urls import reverse

from comments.forms import comment_token
from comments.visitor import POSTED_KEY


def comment_form_data(article, **changes):
    """What a reader's browser sends from the "Leave a Reply" form of ``article``, with ``changes`` applied.

    The form token was issued just long enough ago to be accepted, and the honeypot is left empty.
    """
    data = {
        "comment": "A fair point.",
        "author": "Ann Lee",
        "email": "ann@readers.example",
        "url": "",
        "comment_parent": "0",
        "comment_token": comment_token(article.pk, issued_at=time.time() - settings.COMMENTS_MIN_SUBMIT_SECONDS - 1),
        "url_confirm": "",
    }
    data.update(changes)
    return data


def posted_from(client, *comments):
    """Make ``comments`` the ones this test client's browser posted, as its session remembers them."""
    session = client.session
    session[POSTED_KEY] = [comment.pk for comment in comments]
    session.save()


def deliver(run_tasks):
    """The mail the due background tasks send now (see comments.tasks), taken out of the test outbox."""
    run_tasks()
    sent = list(mail.outbox)
    mail.outbox.clear()
    return sent


def mail_link(message, name):
    """The address in ``message``'s text of the site's page named ``name`` ("comments:confirm",
    "comments:unsubscribe"…), whose last part is the signed token."""
    prefix = reverse(name, args=["token"]).removesuffix("token/")
    [link] = re.findall(rf"https?://\S+{re.escape(prefix)}[^/\s]+/", message.body)
    return link


def record_pages(tab, pages):
    """Keep in ``pages`` the HTML of every document ``tab`` loads, to check everything a visitor saw."""
    tab.on("load", lambda loaded: pages.append(loaded.content()))
