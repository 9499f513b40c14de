"""Reads of events that read like the domain: ``Event.objects.published().upcoming()``.

An event is either at a hub (its place comes from the hub) or at its own
venue; when both are given the event's own coordinates and commune win (a hub
may organise something elsewhere). The *effective* place is computed in SQL
with ``Coalesce`` (``with_place``) so every geographic filter of
``places.querysets`` works the same for both cases. Only a published hub lends
its place (``HUB_IS_PUBLIC``, as ``Event.public_hub``): an event of a draft or
archived hub without a venue of its own has no place.
"""

import datetime

from django.db.models import Case, F, Q, When
from django.db.models.functions import Coalesce
from django.utils import timezone

from places.models import Publication
from places.querysets import PlaceQuerySet

PLACE_LAT = "place_latitude"
PLACE_LNG = "place_longitude"
#: An event shows its hub (name, place, page) only when the hub is published.
HUB_IS_PUBLIC = Q(hub__publication=Publication.PUBLISHED)


def of_public_hub(field: str):
    """The hub's ``field`` (``"latitude"``, ``"commune__name"``…) if it is published, else NULL."""
    return Case(When(HUB_IS_PUBLIC, then=F(f"hub__{field}")))


class EventQuerySet(PlaceQuerySet):
    """``published()``, ``search()``, ``in_bbox()``, ``around()``, ``near()``: see
    ``places.querysets``, on the effective place (``with_place``); events add dates."""

    place_lat = PLACE_LAT
    place_lng = PLACE_LNG

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

    def at_hub(self, hub):
        return self.filter(hub=hub)
