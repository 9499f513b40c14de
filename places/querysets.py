"""Reads every place answers the same way: ``Hub.objects.published().near(lat, lng, 10)``.

``PlaceQuerySet`` reads a record's own ``latitude``, ``longitude`` and ``commune``.
A model whose place may come from elsewhere (an event at its hub) names the
columns its ``with_place()`` annotates (``place_lat``, ``place_lng``) and says how
it lies in a territory (``in_territory``); the rest follows.
"""

from django.db import models

from territories.geo import bbox_around, distance_km_expression
from territories.text import search_terms


class PlaceQuerySet(models.QuerySet):
    #: Where the point is read: the record's own columns, or annotations of ``with_place()``.
    place_lat = "latitude"
    place_lng = "longitude"

    def with_place(self):
        """Annotate the point's columns when they are computed (nothing to do here)."""
        return self

    def published(self):
        return self.filter(publication=self.model.Publication.PUBLISHED)

    def search(self, text: str):
        """Every word of ``text`` somewhere in the record's searchable text.

        Accents and case are ignored (``pepiniere`` finds « Pépinière »).
        """
        for term in search_terms(text):
            self = self.filter(search_text__contains=term)
        return self

    def in_territory(self, ref):
        """Records whose commune lies in a resolved territory (see territories.lookup)."""
        return self.filter(ref.commune_lookup("commune"))

    def in_bbox(self, bbox):
        return self.with_place().filter(**bbox.as_lookup(self.place_lat, self.place_lng))

    def around(self, lat: float, lng: float, km: float):
        """Records within ``km`` of a point, annotated with ``distance``; the order is kept
        (the agenda stays by date)."""
        return (
            self.with_place()
            .filter(**bbox_around(lat, lng, km).as_lookup(self.place_lat, self.place_lng))
            .annotate(distance=distance_km_expression(lat, lng, self.place_lat, self.place_lng))
            .filter(distance__lte=km)
        )

    def near(self, lat: float, lng: float, km: float):
        """Records within ``km`` of a point, annotated with ``distance``, nearest first
        (ties in the model's own order)."""
        return self.around(lat, lng, km).order_by("distance", *self.model._meta.ordering)
