"""places.filters: the query parameters hubs and events share, read strictly."""

import pytest
from django.urls import reverse

from events.filters import EventFilterSet
from hubs.filters import HubFilterSet
from places.filters import PlaceFilterSet

pytestmark = pytest.mark.django_db

VALENCIENNES = "50.3579,3.5234"


def place_filterset(model, data):
    """The shared FilterSet alone, on ``model``."""
    meta = type("Meta", (PlaceFilterSet.Meta,), {"model": model, "fields": []})
    filterset_class = type(f"{model.__name__}PlaceFilterSet", (PlaceFilterSet,), {"Meta": meta})
    return filterset_class(data, queryset=model.objects.all())


@pytest.fixture
def records(make_place, calais):
    return {
        "pepiniere": make_place("Atelier de la Pépinière", lat=50.38, lng=3.47),
        "forge": make_place("La Nouvelle Forge"),
        "calais": make_place("Fablab Côte d'Opale", commune=calais),
    }


@pytest.mark.parametrize(
    "query, expected",
    [
        ({"q": "PEPINIERE"}, ["pepiniere"]),
        ({"territory": "dep:62"}, ["calais"]),
        ({"bbox": "1.5,50.8,2.0,51.1"}, ["calais"]),
        ({"near": VALENCIENNES, "radius_km": "10"}, ["forge", "pepiniere"]),
        ({"place": "Valenciennes"}, ["forge", "pepiniere"]),  # a commune: around it, 10 km
        ({"place": "Calais", "q": "opale"}, ["calais"]),
    ],
)
def test_each_parameter_on_each_model(model, records, query, expected):
    filterset = place_filterset(model, query)
    assert filterset.is_valid(), filterset.errors
    assert list(filterset.qs) == [records[name] for name in expected]


def test_near_gives_the_centre_and_a_typed_place_its_territory(model, records):
    filterset = place_filterset(model, {"place": "Valenciennes"})
    assert filterset.center == (50.35788, 3.52374)
    assert filterset.place_ref.obj.name == "Valenciennes"


BAD = [
    ("bbox", "abc"),
    ("near", "91,3"),
    ("radius_km", "0"),
    ("radius_km", "301"),
    ("territory", "zz:1"),
    ("place", "Nulle-Part-sur-Mer"),
    ("q", "x" * 201),
]


@pytest.mark.parametrize("name, value", BAD)
def test_a_bad_parameter_is_a_form_error_naming_it(model, name, value):
    filterset = place_filterset(model, {name: value})
    assert not filterset.is_valid()
    assert list(filterset.errors) == [name]


@pytest.mark.parametrize("name, value", BAD)
@pytest.mark.parametrize(
    "url",
    ["api:hubs-geojson", "api:events-geojson", "hubs:list", "events:agenda"],
)
def test_a_bad_parameter_is_a_400_on_every_list(client, url, name, value):
    response = client.get(reverse(url), {name: value})
    assert response.status_code == 400
    if url.startswith("api:"):
        assert list(response.json()["errors"]) == [name]


def test_hubs_and_events_build_on_the_shared_filterset():
    shared = {"q", "territory", "place", "bbox", "near", "radius_km"}
    assert set(PlaceFilterSet.base_filters) == shared
    for filterset_class in (HubFilterSet, EventFilterSet):
        assert issubclass(filterset_class, PlaceFilterSet)
        assert shared <= set(filterset_class.base_filters)
