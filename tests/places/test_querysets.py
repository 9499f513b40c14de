"""places.querysets.PlaceQuerySet, the same on hubs and events."""

import pytest

from places.models import Publication
from territories.geo import BBox
from territories.lookup import resolve_territory
from tests import factories

pytestmark = pytest.mark.django_db

VALENCIENNES = (50.3579, 3.5234)


@pytest.fixture
def records(make_place, calais):
    """Two places in Valenciennes (the farther one first: older, lower id, earlier
    name), one in Calais, one draft."""
    return {
        "pepiniere": make_place("Atelier de la Pépinière", lat=50.38, lng=3.47),
        "forge": make_place("La Nouvelle Forge"),
        "calais": make_place("Fablab Côte d'Opale", commune=calais),
        "draft": make_place("Brouillon", publication=Publication.DRAFT),
    }


def test_published_hides_drafts_and_archives(model, make_place, records):
    make_place("Archivé", publication=Publication.ARCHIVED)
    assert set(model.objects.published()) == {
        records["pepiniere"],
        records["forge"],
        records["calais"],
    }


@pytest.mark.parametrize("query", ["pepiniere", "PÉPINIÈRE", "Pepinière", "pepin atelier"])
def test_search_ignores_accents_and_case(model, records, query):
    assert list(model.objects.search(query)) == [records["pepiniere"]]


def test_search_finds_the_commune_and_an_empty_search_everything(model, records):
    assert list(model.objects.search("CALAIS")) == [records["calais"]]
    assert model.objects.search("").count() == 4


def test_in_bbox_keeps_what_the_box_holds(model, records):
    around_valenciennes = BBox(min_lng=3.3, min_lat=50.2, max_lng=3.7, max_lat=50.5)
    assert set(model.objects.published().in_bbox(around_valenciennes)) == {
        records["pepiniere"],
        records["forge"],
    }
    channel = BBox(min_lng=1.5, min_lat=50.8, max_lng=2.0, max_lat=51.1)
    assert list(model.objects.in_bbox(channel)) == [records["calais"]]


def test_near_filters_by_radius_and_orders_by_distance(model, records):
    found = list(model.objects.published().near(*VALENCIENNES, km=10))
    assert found == [records["forge"], records["pepiniere"]]
    assert found[0].distance < found[1].distance < 10
    assert model.objects.near(*VALENCIENNES, km=200).count() == 4


def test_around_keeps_the_querysets_order(model, records):
    found = list(model.objects.published().order_by("-pk").around(*VALENCIENNES, km=10))
    assert found == [records["forge"], records["pepiniere"]]
    found = list(model.objects.published().order_by("pk").around(*VALENCIENNES, km=10))
    assert found == [records["pepiniere"], records["forge"]]
    assert all(record.distance < 10 for record in found)


def test_in_territory_each_level(model, records):
    factories.epci("200090751", "CA Grand Calais Terres et Mers")
    calais = records["calais"]
    assert calais not in model.objects.in_territory(resolve_territory("245901160"))
    assert list(model.objects.in_territory(resolve_territory("200090751"))) == [calais]
    assert list(model.objects.in_territory(resolve_territory("dep:62"))) == [calais]
    assert list(model.objects.in_territory(resolve_territory("62193"))) == [calais]
    assert model.objects.in_territory(resolve_territory("59")).count() == 3  # draft too
    assert model.objects.in_territory(resolve_territory("region:32")).count() == 4


def test_filters_chain(model, records):
    found = model.objects.published().search("opale").in_territory(resolve_territory("dep:62"))
    assert list(found.near(50.95, 1.86, km=5)) == [records["calais"]]
