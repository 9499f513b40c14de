"""Reads of events that read like the domain: ``Event.objects.published().upcoming()``.

An event is either at a hub (its place comes from the hub) or at its own
venue; when both are given the event's own coordinates and commune win (a hub
may organise something elsewhere). The *effective* place is computed in SQL
with ``Coalesce`` so every geographic filter works the same for both cases.
"""

import datetime

from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Coalesce
from django.utils import timezone

from territories.geo import bbox_around, distance_km_expression
from territories.text import search_terms

PLACE_LAT = "place_latitude"
PLACE_LNG = "place_longitude"


class EventQuerySet(models.QuerySet):
    def published(self):
        return self.filter(publication=self.model.Publication.PUBLISHED)

    def upcoming(self, now: datetime.datetime | None = None):
        """Events not over yet (ongoing ones included), soonest first."""
        return self.filter(end__gte=now or timezone.now()).order_by("start", "pk")

    def past(self, now: datetime.datetime | None = None):
        """Events already over, most recent first."""
        return self.filter(end__lt=now or timezone.now()).order_by("-start", "-pk")

    def between(self, start: datetime.datetime | None, end: datetime.datetime | None):
        """Events overlapping the half-open interval [start, end)."""
        if start is not None:
            self = self.filter(end__gte=start)
        if end is not None:
            self = self.filter(start__lt=end)
        return self

    def search(self, text: str):
        """Every word of ``text`` in the event's searchable text (accents and case ignored)."""
        for term in search_terms(text):
            self = self.filter(search_text__contains=term)
        return self

    def with_place(self):
        """Annotate the effective coordinates: the event's own, else its hub's."""
        if PLACE_LAT in self.query.annotations:
            return self
        return self.annotate(
            **{
                PLACE_LAT: Coalesce(F("latitude"), F("hub__latitude")),
                PLACE_LNG: Coalesce(F("longitude"), F("hub__longitude")),
            }
        )

    def in_territory(self, ref):
        """Events whose commune (their own, else their hub's) lies in a territory."""
        own = Q(commune__isnull=False) & ref.commune_lookup("commune")
        at_hub = Q(commune__isnull=True) & ref.commune_lookup("hub__commune")
        return self.filter(own | at_hub)

    def in_bbox(self, bbox):
        return self.with_place().filter(**bbox.as_lookup(PLACE_LAT, PLACE_LNG))

    def near(self, lat: float, lng: float, km: float):
        """Events within ``km`` of a point, annotated with ``distance`` (the order is kept)."""
        return (
            self.with_place()
            .filter(**bbox_around(lat, lng, km).as_lookup(PLACE_LAT, PLACE_LNG))
            .annotate(distance=distance_km_expression(lat, lng, PLACE_LAT, PLACE_LNG))
            .filter(distance__lte=km)
        )

    def at_hub(self, hub):
        return self.filter(hub=hub)
