"""Import messages are no oracle: another territory's record reads as a missing one.

An editor who names, in an imported row, an id or a slug of a record outside their
territories gets the very message they get for one that does not exist, and no
message names another territory's hub, slug or commune (issue 14).
"""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from backoffice.imports.formats import CSVFormat
from backoffice.imports.resources import row_errors
from backoffice.roles import EDITOR
from events.models import Event
from events.resources import EventResource
from funding.models import FinancingLine
from funding.resources import OperationLineResource
from hubs.models import Hub
from hubs.resources import HubResource
from tests import factories

pytestmark = pytest.mark.django_db

SECRETS = ("brouillon-secret", "Projet secret", "Calais", "62193")


@pytest.fixture
def world(db):
    """A hub, an operation with a line in Valenciennes; the same, as drafts, in Calais."""
    valenciennes = factories.commune()
    calais = factories.commune(
        insee="62193",
        name="Calais",
        dep="62",
        epci_siren="246200364",
        postcodes=("62100",),
        lat=50.95194,
        lng=1.85635,
    )
    funder = factories.funder()
    records = {"funder": funder}
    for side, commune, slug, name in (
        ("mine", valenciennes, "mon-lieu", "Mon lieu"),
        ("theirs", calais, "brouillon-secret", "Projet secret de Calais"),
    ):
        hub = factories.hub(
            slug=slug,
            name=name,
            commune_obj=commune,
            publication=Hub.Publication.DRAFT,
            external_id=f"ext:{slug}",
        )
        operation = factories.operation(hub, f"Opération {name}")
        line = factories.line(operation, funder, amount=Decimal(400))
        event = factories.event(
            f"Atelier {name}",
            hub=hub,
            slug=f"evenement-{slug}",
            start=timezone.now() + datetime.timedelta(days=5),
            publication=Event.Publication.DRAFT,
        )
        records[side] = {"hub": hub, "operation": operation, "line": line, "event": event}
    records["editor"] = factories.staff(EDITOR, epci=("245901160",))
    return records


def errors(resource_class, user, text):
    dataset = CSVFormat().create_dataset(text.encode())
    result = resource_class(user=user).import_data(dataset, dry_run=True, user=user)
    return [(column, message) for _number, column, message in row_errors(result)]


def assert_same_message(resource_class, user, template, theirs, unknown):
    """The row naming another territory's record and the one naming nothing.

    Their errors are the same, apart from the value; the first one is returned.
    """
    found = errors(resource_class, user, template.format(value=theirs))
    missing = errors(resource_class, user, template.format(value=unknown))
    assert found, "the row naming another territory's record was accepted"
    assert [(c, m.replace(str(theirs), "…")) for c, m in found] == [
        (c, m.replace(str(unknown), "…")) for c, m in missing
    ]
    message = found[0][1]
    assert str(theirs) in message
    for _column, text in found:
        for secret in SECRETS:
            assert secret not in text.replace(str(theirs), "…"), text
    return message


HUB_ROW = "slug,name,kinds,summary,commune,parent\nnouveau,Nouveau,fablab,Un lieu.,59606,{value}\n"


def test_parent_hub(world):
    message = assert_same_message(
        HubResource, world["editor"], HUB_ROW, "brouillon-secret", "lieu-inexistant"
    )
    assert message == "Aucun lieu « brouillon-secret » dans vos territoires."


def test_hub_of_an_operation(world):
    template = (
        "hub,operation_title,operation_purpose,funder,amount\n"
        "{value},Nouvelle opération,running,fonds-test,100\n"
    )
    assert_same_message(
        OperationLineResource, world["editor"], template, "brouillon-secret", "lieu-inexistant"
    )


@pytest.mark.parametrize("hub", ["", "mon-lieu"])
def test_operation_by_id(world, hub):
    theirs = world["theirs"]["operation"].pk
    template = (
        "operation_id,hub,operation_title,funder,amount\n"
        f"{{value}},{hub},Opération volée,fonds-test,100\n"
    )
    message = assert_same_message(OperationLineResource, world["editor"], template, theirs, 999999)
    assert message == f"Aucune opération n° {theirs} dans vos territoires."


def test_line_by_id(world):
    mine = world["mine"]["operation"]
    template = (
        "operation_id,hub,operation_title,line_id,funder,amount\n"
        f"{mine.pk},mon-lieu,{mine.title},{{value}},fonds-test,100\n"
    )
    theirs = world["theirs"]["line"].pk
    message = assert_same_message(OperationLineResource, world["editor"], template, theirs, 999999)
    assert message == f"Aucune ligne de financement n° {theirs} dans vos territoires."
    # The other territory's line was not touched either (not even inside the dry run).
    assert FinancingLine.objects.get(pk=theirs).amount == Decimal(400)


def test_hub_of_an_event(world):
    template = "slug,title,kind,hub,start\nnouvel-evenement,Atelier,atelier,{value},2026-10-03\n"
    assert_same_message(
        EventResource, world["editor"], template, "brouillon-secret", "lieu-inexistant"
    )


def test_external_id_of_another_territory_is_not_named(world):
    text = (
        "slug,name,kinds,summary,commune,external_id\n"
        "nouveau,Nouveau,fablab,Un lieu.,59606,ext:brouillon-secret\n"
    )
    [(column, message)] = errors(HubResource, world["editor"], text)
    assert column == "external_id"
    for secret in SECRETS:
        assert secret not in message.replace("ext:brouillon-secret", "…"), message
    # One of the editor's own hubs is named: they can see it.
    text = text.replace("ext:brouillon-secret", "ext:mon-lieu")
    [(column, message)] = errors(HubResource, world["editor"], text)
    assert "mon-lieu" in message


@pytest.mark.parametrize(
    ("resource_class", "text"),
    [
        (HubResource, "slug,name,kinds,summary,commune\nbrouillon-secret,Volé,fablab,X.,59606\n"),
        (
            EventResource,
            "slug,title,kind,commune,start\nevenement-brouillon-secret,Volé,atelier,59606,"
            "2026-10-03\n",
        ),
    ],
)
def test_a_key_of_another_territory_names_nothing(world, resource_class, text):
    """A slug is unique: it cannot be taken again, but nothing about its record is said."""
    [(_column, message)] = errors(resource_class, world["editor"], text)
    for secret in ("Projet secret", "Calais", "62193"):
        assert secret not in message, message
