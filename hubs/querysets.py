from django.db.models import Q

from places.querysets import PlaceQuerySet


class HubQuerySet(PlaceQuerySet):
    """``published()``, ``search()``, ``in_territory()``, ``in_bbox()``, ``near()``:
    see ``places.querysets``; hubs add their vocabularies."""

    def with_any(self, relation: str, slugs):
        """Hubs having at least one of ``slugs`` in a many-to-many ``relation``.

        A subquery rather than a join, so no duplicates and no DISTINCT.
        """
        if not slugs:
            return self
        matching = self.model.objects.filter(**{f"{relation}__slug__in": slugs})
        return self.filter(pk__in=matching.values("pk"))

    def with_all(self, relation: str, slugs):
        """Hubs having every one of ``slugs`` in a many-to-many ``relation``."""
        for slug in slugs:
            self = self.filter(Q(**{f"{relation}__slug": slug}))
        return self

    def checked_q(self, since) -> Q:
        """Hubs known exact since ``since``: updated, or confirmed exact by someone
        responsible (``Hub.confirmed_at``). The back-office's « fraîcheur » reads it."""
        return Q(updated_at__gte=since) | Q(confirmed_at__gte=since)

    def checked_since(self, since):
        return self.filter(self.checked_q(since))

    def stale(self, before):
        """Hubs neither updated nor confirmed since ``before``."""
        return self.exclude(self.checked_q(before))
