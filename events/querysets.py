"""Reads of events that read like the domain: ``Event.objects.published().upcoming()``.

An event is either at a hub (its place comes from the hub) or at its own
venue; when both are given the event's own coordinates and commune win (a hub
may organise something elsewhere). The *effective* place is computed in SQL
with ``Coalesce`` so every geographic filter works the same for both cases.
Only a published hub lends its place (``HUB_IS_PUBLIC``, as ``Event.public_hub``):
an event of a draft or archived hub without a venue of its own has no place.
"""

import datetime

from django.db import models
from django.db.models import Case, F, Q, When
from django.db.models.functions import Coalesce
from django.utils import timezone

from hubs.models import Hub
from territories.geo import bbox_around, distance_km_expression
from territories.text import search_terms

PLACE_LAT = "place_latitude"
PLACE_LNG = "place_longitude"
#: An event shows its hub (name, place, page) only when the hub is published.
HUB_IS_PUBLIC = Q(hub__publication=Hub.Publication.PUBLISHED)


def of_public_hub(field: str):
    """The hub's ``field`` (``"latitude"``, ``"commune__name"``…) if it is published, else NULL."""
    return Case(When(HUB_IS_PUBLIC, then=F(f"hub__{field}")))


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
        """Annotate the effective coordinates: the event's own, else its published hub's."""
        if PLACE_LAT in self.query.annotations:
            return self
        return self.annotate(
            **{
                PLACE_LAT: Coalesce(F("latitude"), of_public_hub("latitude")),
                PLACE_LNG: Coalesce(F("longitude"), of_public_hub("longitude")),
            }
        )

    def in_territory(self, ref):
        """Events whose commune (their own, else their published hub's) lies in a territory."""
        own = Q(commune__isnull=False) & ref.commune_lookup("commune")
        at_hub = Q(commune__isnull=True) & HUB_IS_PUBLIC & ref.commune_lookup("hub__commune")
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
