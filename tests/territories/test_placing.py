"""``territories.placing.place``: a row's commune and point, from coordinates or its address."""

import pytest

from territories.locate import CORSICAN_NAMES, current_insee, merged_into, normalize_city
from territories.models import Commune
from territories.placing import place

pytestmark = pytest.mark.django_db

LILLE = (50.6365, 3.0635)


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("Havre (Le)", "le havre"),
        ("Rochelle (La)", "la rochelle"),
        ("Isle-Adam (L')", "l isle adam"),
        ("ST GEORGES DE MONTAIGU", "saint georges de montaigu"),
        ("Ste-Foy-lès-Lyon", "sainte foy les lyon"),
        ("Corti", "corte"),
        ("AIACCIU", "ajaccio"),
    ],
)
def test_city_name_variants(given, expected):
    assert normalize_city(given) == expected


def test_corsican_names_are_not_official_names_of_other_communes(commune_index):
    for alias, official in CORSICAN_NAMES.items():
        assert alias not in commune_index.by_name, alias
        assert [c.departement_id for c in commune_index.by_name[official]] in (["2A"], ["2B"])


def test_former_communes_lead_to_the_commune_they_merged_into():
    assert merged_into("saint georges de montaigu") == ["85146"]  # Montaigu-Vendée
    assert current_insee("85217") == "85146"
    assert current_insee("59350") == "59350"  # Lille: unchanged


@pytest.mark.parametrize(
    ("row", "insee"),
    [
        ({"postcode": "76600", "city": "Havre (Le)"}, "76351"),
        ({"postcode": "20250", "city": "Corti"}, "2B096"),
        ({"postcode": "85600", "city": "ST GEORGES DE MONTAIGU"}, "85146"),
        ({"postcode": "1000", "city": "Bourg-en-Bresse"}, "01053"),  # lost its leading zero
        ({"postcode": 6000, "city": "NICE"}, "06088"),
        ({"city": "Saint-Georges-de-Montaigu"}, "85146"),  # no postcode: merged commune
        ({"insee": "85217"}, "85146"),  # a former INSEE code
        ({"insee": "2b096", "city": "Corte"}, "2B096"),
        ({"postcode": "59000", "city": "lille"}, "59350"),
    ],
)
def test_placed_by_the_address_with_the_usual_variants(commune_index, row, insee):
    placement = place(row, commune_index)
    assert placement.error == ""
    assert placement.commune.insee == insee
    assert placement.by == "address"
    commune = Commune.objects.get(insee=insee)
    assert (placement.latitude, placement.longitude) == (commune.latitude, commune.longitude)
    assert placement.warnings == []


def test_coordinates_place_the_row_and_a_disagreeing_address_is_a_warning(commune_index):
    placement = place(
        {"latitude": LILLE[0], "longitude": LILLE[1], "postcode": "75001", "city": "Paris"},
        commune_index,
    )
    assert placement.commune.insee == "59350"
    assert (placement.latitude, placement.longitude) == LILLE
    assert placement.by == "coordinates"
    assert placement.postcode == ""  # 75001 is not Lille's
    assert len(placement.warnings) == 1
    assert "désigne Paris" in placement.warnings[0] and "Lille" in placement.warnings[0]


def test_coordinates_inside_the_named_commune_keep_it(commune_index):
    # Lambersart's town hall is nearer, but the point is within Lille: the address wins.
    placement = place(
        {"latitude": 50.6441, "longitude": 3.0387, "postcode": "59000", "city": "Lille"},
        commune_index,
    )
    assert placement.commune.insee == "59350"
    assert placement.postcode == "59000"
    assert placement.warnings == []


def test_coordinates_alone_find_the_nearest_commune(commune_index):
    placement = place({"latitude": "50,6365", "longitude": "3,0635"}, commune_index)
    assert placement.commune.insee == "59350"
    assert placement.warnings == []


def test_coordinates_abroad_are_ignored_and_the_address_places(commune_index):
    placement = place(
        {"latitude": 40.4168, "longitude": -3.7038, "postcode": "59000", "city": "Lille"},
        commune_index,
    )
    assert placement.commune.insee == "59350"
    assert placement.by == "address"
    assert "hors de France" in placement.warnings[0]


@pytest.mark.parametrize(
    ("row", "why"),
    [
        ({}, "ni coordonnées"),
        ({"latitude": 40.4168, "longitude": -3.7038}, "ni coordonnées"),
        ({"postcode": "99999", "city": "Nulle-Part"}, "introuvable"),
        ({"city": "Saint-Martin"}, "plusieurs communes"),
        ({"insee": "00000"}, "code INSEE 00000 inconnu"),
    ],
)
def test_what_cannot_be_placed_says_why(commune_index, row, why):
    placement = place(row, commune_index)
    assert placement.commune is None
    assert placement.error.startswith("impossible à placer")
    assert why in placement.error


def test_the_database_source_places_like_the_index(france):
    assert place({"postcode": "76600", "city": "Havre (Le)"}).commune.insee == "76351"
