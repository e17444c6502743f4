"""How long comments keep what they do not need forever (run daily by ``manage.py prunecomments``).

- The IP address and user agent of a comment, kept to fight spam and abuse, are removed once the comment
  is more than ``COMMENTS_RETAIN_DAYS`` days old.
- Comments marked spam or moved to the trash are deleted once they are more than ``COMMENTS_PURGE_DAYS``
  days old; replies to them stay, as replies to nothing.

Either setting at 0 keeps everything.
"""

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from comments.models import Comment
from pagecache.signals import pages_changed


def posted_before(days, now=None):
    return Comment.objects.filter(created_at__lt=(now or timezone.now()) - timedelta(days=days))


def clear_client_details(now=None):
    """Remove the IP address and user agent of the comments older than ``COMMENTS_RETAIN_DAYS``; return how many."""
    if settings.COMMENTS_RETAIN_DAYS <= 0:
        return 0
    old = posted_before(settings.COMMENTS_RETAIN_DAYS, now).exclude(ip_address=None, user_agent="")
    return old.update(ip_address=None, user_agent="")


def purge_spam_and_trash(now=None):
    """Delete spam and trash older than ``COMMENTS_PURGE_DAYS``; return how many comments went."""
    if settings.COMMENTS_PURGE_DAYS <= 0:
        return 0
    doomed = posted_before(settings.COMMENTS_PURGE_DAYS, now).filter(
        status__in=[Comment.Status.SPAM, Comment.Status.TRASH]
    )
    with transaction.atomic():
        orphaned = list(Comment.objects.filter(parent__in=doomed).approved())  # their threads change
        deleted, _by_model = doomed.delete()
        if orphaned:
            pages_changed.send(sender=Comment, instances=orphaned)
    return deleted
