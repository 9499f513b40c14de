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
