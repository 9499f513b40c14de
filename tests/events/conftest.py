import datetime
import zoneinfo

import pytest

from events import demo as events_demo
from events.models import Event
from tests import factories

PARIS = zoneinfo.ZoneInfo("Europe/Paris")


def paris(*args) -> datetime.datetime:
    """An aware datetime on the wall clock of Paris: ``paris(2026, 10, 26, 10)``."""
    return datetime.datetime(*args, tzinfo=PARIS)


@pytest.fixture
def demo_events(demo_hubs):
    """The demo hubs and the demo agenda (Amiens' département loaded too)."""
    factories.reference_territories(["80"])
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
    at_hub = factories.event("Atelier sans lieu public", hub=hub, slug="atelier-sans-lieu")
    elsewhere = factories.event(
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
