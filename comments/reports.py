"""Readers' reports of published comments.

Any reader may report any comment the site shows, once per comment (per browser session), with a reason
and optional details. ``COMMENTS_REPORTS_TO_HOLD`` reports not yet reviewed send the comment back to the
moderation queue at once; an editor approving it again marks its reports reviewed. Reporters are known
only by a keyed hash of a random id in their session, never shown.
"""

import secrets

from django.conf import settings
from django.db import IntegrityError, transaction
from django.dispatch import receiver
from django.utils.crypto import salted_hmac
from django.utils.translation import ngettext

from comments.models import Comment, CommentReport, comments_approved

VISITOR_KEY = "comments_visitor"


def reporter_hash(visitor):
    return salted_hmac("comments.reports.reporter", visitor, algorithm="sha256").hexdigest()


def reporter_of(request):
    """A keyed hash of this browser session's visitor id, made on the first report."""
    return reporter_hash(request.session.setdefault(VISITOR_KEY, secrets.token_hex(16)))


def already_reported(request, comment):
    """Whether this browser already reported the comment (a visitor who never reported gets no session)."""
    visitor = request.session.get(VISITOR_KEY)
    return bool(visitor) and CommentReport.objects.filter(comment=comment, reporter=reporter_hash(visitor)).exists()


def report(comment, reporter, reason, text=""):
    """Record a report; hold the comment once it has enough. Returns False if this visitor already reported it."""
    try:
        with transaction.atomic():
            CommentReport.objects.create(comment=comment, reporter=reporter, reason=reason, text=text)
    except IntegrityError:
        return False
    held = settings.COMMENTS_REPORTS_TO_HOLD
    open_reports = comment.reports.filter(reviewed=False)
    if held > 0 and open_reports.count() >= held:
        Comment.objects.filter(pk=comment.pk).unapprove(Comment.HeldReason.REPORTS, reports_summary(open_reports))
    return True


def reports_summary(reports):
    """How many reports, and their reasons: "3 reports: Abuse or harassment, Spam"."""
    given = list(reports.values_list("reason", flat=True))
    reasons = sorted({str(CommentReport.Reason(reason).label) for reason in given})
    count = len(given)
    return ngettext("%(count)d report: %(reasons)s", "%(count)d reports: %(reasons)s", count) % {
        "count": count,
        "reasons": ", ".join(reasons),
    }


@receiver(comments_approved)
def mark_reports_reviewed(sender, comment_ids, **kwargs):
    CommentReport.objects.filter(comment__in=comment_ids, reviewed=False).update(reviewed=True)
