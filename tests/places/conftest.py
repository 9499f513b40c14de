"""Every shared test runs on each kind of place: a hub, an event at a venue of its
own, and an event at its (published) hub, whose place it takes."""

import pytest

from events.models import Event
from hubs.models import Hub
from places.models import Publication
from tests import factories

KINDS = ["hub", "event", "event_at_hub"]


@pytest.fixture(params=KINDS)
def kind(request):
    return request.param


@pytest.fixture
def model(kind):
    return Hub if kind == "hub" else Event


@pytest.fixture
def calais(db):
    return factories.commune(
        insee="62193",
        name="Calais",
        dep="62",
        epci_siren="200090751",
        postcodes=("62100",),
        lat=50.9513,
        lng=1.8587,
    )


@pytest.fixture
def make_place(kind, db):
    """``make_place(name, commune=Valenciennes, lat=…, lng=…, publication=published)``:
    a record of the kind under test, at that commune and point."""

    def make(name, commune=None, lat=None, lng=None, publication=Publication.PUBLISHED):
        commune = commune or factories.commune()
        lat = commune.latitude if lat is None else lat
        lng = commune.longitude if lng is None else lng
        if kind == "hub":
            return factories.hub(
                name=name, commune_obj=commune, lat=lat, lng=lng, publication=publication
            )
        if kind == "event":
            return factories.event(
                name, commune=commune, latitude=lat, longitude=lng, publication=publication
            )
        host = factories.hub(commune_obj=commune, lat=lat, lng=lng)
        return factories.event(name, hub=host, publication=publication)

    return make
