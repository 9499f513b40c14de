import pytest

from territories.geo import bbox_around, distance_km_expression, haversine_km
from territories.models import Commune
from tests import factories

VALENCIENNES = (50.3579, 3.5234)
CALAIS = (50.9513, 1.8587)


def test_haversine_known_distance():
    # Valenciennes – Calais is about 133 km as the crow flies.
    assert haversine_km(*VALENCIENNES, *CALAIS) == pytest.approx(133, abs=3)
    assert haversine_km(*VALENCIENNES, *VALENCIENNES) == 0


def test_bbox_around_contains_the_circle():
    box = bbox_around(*VALENCIENNES, km=10)
    assert box.min_lat < VALENCIENNES[0] < box.max_lat
    assert haversine_km(box.min_lat, VALENCIENNES[1], *VALENCIENNES) == pytest.approx(10, rel=0.01)
    assert haversine_km(VALENCIENNES[0], box.max_lng, *VALENCIENNES) >= 9.9


def test_bbox_around_is_clamped_near_the_poles():
    box = bbox_around(89.99, 0, km=500)
    assert box.max_lat == 90 and box.min_lng == -180 and box.max_lng == 180


@pytest.mark.django_db
def test_database_distance_matches_python():
    factories.commune()
    factories.commune(
        insee="62193", name="Calais", dep="62", epci_siren=None, lat=CALAIS[0], lng=CALAIS[1]
    )
    rows = Commune.objects.annotate(d=distance_km_expression(*VALENCIENNES)).values_list(
        "name", "latitude", "longitude", "d"
    )
    for _name, lat, lng, distance in rows:
        assert distance == pytest.approx(haversine_km(*VALENCIENNES, lat, lng), abs=1e-6)
