from django.db import models
from django.db.models import Q

from territories.geo import bbox_around, distance_km_expression
from territories.text import search_terms


class HubQuerySet(models.QuerySet):
    def published(self):
        return self.filter(publication=self.model.Publication.PUBLISHED)

    def search(self, text: str):
        """Every word of ``text`` somewhere in the hub's searchable text.

        Accents and case are ignored (``pepiniere`` finds « Pépinière »).
        """
        for term in search_terms(text):
            self = self.filter(search_text__contains=term)
        return self

    def in_territory(self, ref):
        """Hubs whose commune lies in a resolved territory (see territories.lookup)."""
        return self.filter(ref.commune_lookup("commune"))

    def in_bbox(self, bbox):
        return self.filter(**bbox.as_lookup())

    def near(self, lat: float, lng: float, km: float):
        """Hubs within ``km`` of a point, annotated with ``distance`` and nearest first."""
        return (
            self.filter(**bbox_around(lat, lng, km).as_lookup())
            .annotate(distance=distance_km_expression(lat, lng))
            .filter(distance__lte=km)
            .order_by("distance", "name")
        )

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
