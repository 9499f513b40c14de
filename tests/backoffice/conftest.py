"""The two territories of the admin tests, and an editor of the first.

Valenciennes Métropole (EPCI 245901160) is territory A; Calais (Pas-de-Calais)
is territory B. Each has a hub, an operation with a line, and an event; B also
has an event at a venue of its own.
"""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from backoffice.roles import EDITOR
from events.models import Event
from territories.models import Commune
from tests import factories

EPCI_A = "245901160"  # Valenciennes Métropole
CALAIS = "62193"


@pytest.fixture
def world(demo_hubs):
    hub_a = demo_hubs["serre-numerique"]
    hub_b = demo_hubs["maison-numerique-innovation-calaisis"]
    assert hub_a.commune.epci_id == EPCI_A and hub_b.commune.departement_id == "62"
    funder = factories.funder()
    records = {}
    for side, hub in (("a", hub_a), ("b", hub_b)):
        operation = factories.operation(hub, f"Opération {side.upper()}")
        line = factories.line(operation, funder, amount=Decimal(400))
        event = factories.event(
            f"Atelier {side.upper()}",
            hub=hub,
            slug=f"atelier-{side}",
            start=timezone.now() + datetime.timedelta(days=5),
        )
        records[side] = {"hub": hub, "operation": operation, "line": line, "event": event}
    # An event held in Calais without a hub: its own venue decides.
    records["b"]["venue_event"] = factories.event(
        "Rencontre sur la plage",
        slug="rencontre-plage",
        kind=Event.Kind.MEETUP,
        commune=Commune.objects.get(insee=CALAIS),
        venue_name="Plage de Calais",
        latitude=50.966,
        longitude=1.85,
        start=timezone.now() + datetime.timedelta(days=9),
        publication=Event.Publication.DRAFT,
    )
    records["funder"] = funder
    return records


@pytest.fixture
def editor_client(client, world):
    client.force_login(factories.staff(EDITOR, "editeur-cavm", epci=[EPCI_A]))
    return client
