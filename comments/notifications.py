"""Commenters told of the approval of their comment and of replies to it, when they ask for it.

- Ticking "Notify me of replies…" under a comment makes its address a ``Subscriber``. Until the address is
  confirmed, the only mail it gets is the confirmation, with a signed link, at most once a day; so the form
  cannot be used to mail a stranger more than that, and never a comment's text.
- Once confirmed, the address is told when a comment it ticked the box for is approved by an editor, and
  when a reply to it is published; never of its own replies, never showing the other commenter's address.
- Every mail carries a one-click unsubscribe link (also in the ``List-Unsubscribe`` headers); an address
  that unsubscribed is mailed nothing again, whatever box is ticked.

Links carry the subscriber's id, signed, never the address (see ``Subscriber``). Mail goes through ``comments.tasks``.
"""

from django.dispatch import receiver

from comments import tasks
from comments.models import Comment, Subscriber, comments_approved


def comment_posted(comment):
    """After a comment is saved: subscribe its author if they asked, and tell the author replied to."""
    if comment.notify and comment.email and comment.status != Comment.Status.SPAM:
        subscriber, _created = Subscriber.objects.get_or_create(email=comment.email.lower())
        if subscriber.claim_confirmation():
            tasks.enqueue_on_commit(tasks.send_confirmation, comment.pk)
    if comment.status == Comment.Status.APPROVED and comment.parent_id and comment.parent.notify:
        tasks.enqueue_on_commit(tasks.notify_reply, comment.pk)


@receiver(comments_approved)
def announce_approved(sender, first_approval_ids, **kwargs):
    """Editors published these comments for the first time: tell their authors who asked, and the authors they
    reply to (a comment approved again, after it was held, is not announced again)."""
    approved = Comment.objects.filter(pk__in=first_approval_ids)
    for comment_id in approved.filter(notify=True).values_list("pk", flat=True):
        tasks.enqueue_on_commit(tasks.notify_approved, comment_id)
    for comment_id in approved.filter(parent__notify=True).values_list("pk", flat=True):
        tasks.enqueue_on_commit(tasks.notify_reply, comment_id)
