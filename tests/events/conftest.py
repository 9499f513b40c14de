import datetime
import functools
import itertools
import zoneinfo

import pytest
from django.utils import timezone

from events import demo as events_demo
from events.models import Event
from territories.loader import load_reference, read_reference
from tests import factories

PARIS = zoneinfo.ZoneInfo("Europe/Paris")
_numbers = itertools.count(1)


@functools.cache
def _reference():
    return read_reference()


def paris(*args) -> datetime.datetime:
    """An aware datetime on the wall clock of Paris: ``paris(2026, 10, 26, 10)``."""
    return datetime.datetime(*args, tzinfo=PARIS)


def make_event(title=None, hub=None, start=None, hours=2, **fields) -> Event:
    """A published event at ``hub`` (a Valenciennes hub is made when none is given)."""
    number = next(_numbers)
    if hub is None and "commune" not in fields:
        hub = factories.hub()
    start = start or timezone.now() + datetime.timedelta(days=3)
    fields.setdefault("publication", Event.Publication.PUBLISHED)
    fields.setdefault("kind", Event.Kind.WORKSHOP)
    fields.setdefault("end", start + datetime.timedelta(hours=hours))
    event = Event(
        title=title or f"Événement {number}",
        slug=fields.pop("slug", f"evenement-{number}"),
        hub=hub,
        start=start,
        **fields,
    )
    event.full_clean()
    event.save()
    return event


@pytest.fixture
def demo_events(demo_hubs):
    """The demo hubs and the demo agenda (Amiens' département loaded too)."""
    load_reference(_reference(), departements=["80"])
    events_demo.load()
    return {event.slug: event for event in Event.objects.select_related("hub")}


#: What a hub that is not published must never lend its events (issue 14).
HIDDEN_HUB = {
    "name": "Lieu secret",
    "slug": "lieu-secret",
    "street": "12 rue Cachée",
    "commune": "Bourg-Caché",
    "postcode": "59990",
    "lat": "50.41234",
    "lng": "3.61234",
}


@pytest.fixture(params=[Event.Publication.DRAFT, Event.Publication.ARCHIVED])
def hidden_hub_events(request, db):
    """Two published events of a hub that is a draft or archived: one at the hub
    (no place of its own), one at a venue of its own in Valenciennes."""
    hidden = HIDDEN_HUB
    commune = factories.commune(
        insee="59990",
        name=hidden["commune"],
        postcodes=(hidden["postcode"],),
        lat=float(hidden["lat"]),
        lng=float(hidden["lng"]),
    )
    hub = factories.hub(
        name=hidden["name"],
        slug=hidden["slug"],
        street_address=hidden["street"],
        postcode=hidden["postcode"],
        commune_obj=commune,
        publication=request.param,
    )
    at_hub = make_event("Atelier sans lieu public", hub=hub, slug="atelier-sans-lieu")
    elsewhere = make_event(
        "Atelier en salle",
        hub=hub,
        slug="atelier-en-salle",
        venue_name="Salle des fêtes",
        street_address="1 place d'Armes",
        commune=factories.commune(),  # Valenciennes
        latitude=50.35,
        longitude=3.52,
    )
    return at_hub, elsewhere


def assert_hides_the_hub(text: str) -> None:
    """``text`` names, locates and links to nothing of the hidden hub."""
    for value in HIDDEN_HUB.values():
        assert value not in text, value
