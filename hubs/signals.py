"""Keep the denormalised search text in step with many-to-many kinds.

Search ignores accents by matching a normalised copy of the hub's text; the
kinds are part of it but are set after the hub is saved, so they need this.
"""

from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver

from .images import delete_files_on_commit
from .models import Hub, HubKind, HubPhoto


@receiver(m2m_changed, sender=Hub.kinds.through)
def refresh_after_kinds_change(sender, instance, action, reverse, pk_set, **kwargs):
    if action not in {"post_add", "post_remove", "post_clear"}:
        return
    if reverse:  # kind.hubs.add(...): refresh the hubs touched
        hubs = Hub.objects.filter(pk__in=pk_set) if pk_set else instance.hubs.all()
        for hub in hubs.select_related("commune"):
            hub.refresh_search_text()
    else:
        instance.refresh_search_text()


@receiver(post_save, sender=HubKind)
def refresh_after_kind_rename(sender, instance, created, **kwargs):
    if created:
        return
    for hub in instance.hubs.select_related("commune"):
        hub.refresh_search_text()


# Photos: their files (image and thumbnail) go with the row, once the deletion
# is committed. A new image replacing an old one is handled by HubPhotoForm.


@receiver(post_delete, sender=HubPhoto)
def delete_photo_files(sender, instance, **kwargs):
    delete_files_on_commit([instance.image, instance.thumbnail])
