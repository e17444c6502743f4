"""Files of a deleted image are deleted from storage once the deletion commits (unless another image uses them)."""

from django.db import transaction
from django.db.models.signals import post_delete
from django.dispatch import receiver

from images.models import Image, delete_files_unless_used


@receiver(post_delete, sender=Image, dispatch_uid="images-delete-files")
def delete_files(sender, instance, **kwargs):
    if instance.file:
        original, names = instance.file.name, instance.stored_names()
        transaction.on_commit(lambda: delete_files_unless_used(original, names))
