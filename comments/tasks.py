"""The mail the site sends, as background tasks (django-tasks): no mail is ever sent during a request.

Tasks are enqueued once the transaction that calls for them commits, and carry ids only, never an address
or a text: a task builds its mail from what is stored when a worker runs it (see ``comments.mail``), so a
comment approved or removed meanwhile is not mailed about. A mail the server does not take is tried again,
1, 2, 4 … and then 60 minutes later, up to ``MAIL_RETRY_ATTEMPTS`` attempts in all; every failed attempt stays
in the task results (admin: Task results) with its reason, which names no address.
"""

import smtplib
from datetime import timedelta
from functools import partial

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django_tasks import task

from comments import mail

MAX_RETRY_MINUTES = 60


class MailNotSent(Exception):
    """A mail the server did not take (the message names the task and attempt, never an address)."""


def retry_delay(attempt):
    """How long to wait after the ``attempt``-th failed attempt: 1, 2, 4 … minutes, at most an hour."""
    return timedelta(minutes=min(2 ** (attempt - 1), MAX_RETRY_MINUTES))


def enqueue_on_commit(mail_task, *args):
    """Enqueue the task once the current transaction commits (at once outside one)."""
    transaction.on_commit(partial(mail_task.enqueue, *args), robust=True)


def send_or_retry(message, mail_task, args, attempt):
    """Send ``message`` (None: nothing to send). When the mail server fails, enqueue ``mail_task`` again for
    later, unless this was the last attempt, and raise ``MailNotSent`` so the attempt is recorded as failed."""
    if message is None:
        return
    try:
        message.send()
    except (smtplib.SMTPException, OSError) as error:
        if attempt < settings.MAIL_RETRY_ATTEMPTS:
            delay = retry_delay(attempt)
            mail_task.using(run_after=timezone.now() + delay).enqueue(*args, attempt=attempt + 1)
            outcome = f"tried again in {delay.total_seconds() / 60:.0f} minutes"
        else:
            outcome = "no attempts left"
        reason = f"{mail_task.name}{tuple(args)}: attempt {attempt} failed ({type(error).__name__}); {outcome}"
        raise MailNotSent(reason) from None


@task()
def notify_editors(comment_id, attempt=1):
    """Tell the editors that a comment awaits moderation."""
    send_or_retry(mail.editors_notice(comment_id), notify_editors, [comment_id], attempt)


@task()
def send_confirmation(comment_id, attempt=1):
    """Ask the author of a comment to confirm that they want to be notified."""
    send_or_retry(mail.confirmation(comment_id), send_confirmation, [comment_id], attempt)


@task()
def notify_approved(comment_id, attempt=1):
    """Tell the author of a comment that it was approved."""
    send_or_retry(mail.approval_notice(comment_id), notify_approved, [comment_id], attempt)


@task()
def notify_reply(reply_id, attempt=1):
    """Tell the author of a comment of a reply to it."""
    send_or_retry(mail.reply_notice(reply_id), notify_reply, [reply_id], attempt)
