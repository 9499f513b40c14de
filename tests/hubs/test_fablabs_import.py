"""The fablabs.io import through the shared placing and saving: the labs the 2017
export refused (« Havre (Le) », « Corti », « ST GEORGES DE MONTAIGU », a postcode
without its leading zero) are placed, and ``capabilities`` become equipment."""

import io
import json

import pytest
from django.core.management import call_command

from hubs.imports.fablabs import capabilities, map_lab
from hubs.models import Hub

pytestmark = pytest.mark.django_db

HARD_CASES = [
    # name, city, postcode, latitude, longitude, expected INSEE
    ("Fablab du Havre", "Havre (Le)", "76600", 49.4944, 0.1079, "76351"),
    ("Fab Lab Corti", "Corti", "20250", 42.3062, 9.1497, "2B096"),
    ("Lab de Montaigu", "ST GEORGES DE MONTAIGU", "85600", 46.9467, -1.3089, "85146"),
    ("Lab de Bourg", "Bourg-en-Bresse", "1000", 46.2052, 5.2255, "01053"),
    ("Lab de Nice", "Nice", 6000, 43.7034, 7.2663, "06088"),
]


def lab(name, city, postcode, lat, lng, **fields):
    return {
        "name": name,
        "slug": name.lower().replace(" ", "-"),
        "country_code": "fr",
        "city": city,
        "postal_code": postcode,
        "latitude": lat,
        "longitude": lng,
        **fields,
    }


def run(tmp_path, labs):
    path = tmp_path / "labs.json"
    path.write_text(json.dumps(labs), encoding="utf-8")
    out = io.StringIO()
    call_command("import_hubs", str(path), stdout=out, stderr=io.StringIO())
    return out.getvalue()


@pytest.mark.parametrize("with_coordinates", [True, False])
def test_the_labs_refused_in_2017_are_placed(france, tmp_path, with_coordinates):
    labs = [
        lab(name, city, postcode, *((lat, lng) if with_coordinates else (None, None)))
        for name, city, postcode, lat, lng, _insee in HARD_CASES
    ]
    report = run(tmp_path, labs)
    assert f"créés : {len(labs)} · mis à jour : 0 · inchangés : 0 · refusés : 0" in report
    for name, _city, _postcode, lat, lng, insee in HARD_CASES:
        hub = Hub.objects.get(name=name)
        assert hub.commune.insee == insee, name
        if with_coordinates:
            assert (hub.latitude, hub.longitude) == (lat, lng)
    assert "Avertissements" not in report
    assert "créés : 0 · mis à jour : 0 · inchangés : 5" in run(tmp_path, labs)


def test_capabilities_as_a_string_or_a_list_become_equipment(france, tmp_path):
    labs = [
        lab(*HARD_CASES[0][:5], capabilities="three_d_printing;laser;vinyl_cutting"),
        lab(*HARD_CASES[1][:5], capabilities=["circuit_production", "laser"]),
        lab(*HARD_CASES[2][:5], capabilities=""),
    ]
    run(tmp_path, labs)
    equipment = {
        hub.name: sorted(hub.equipment.values_list("slug", flat=True)) for hub in Hub.objects.all()
    }
    assert equipment == {
        "Fablab du Havre": ["decoupe-laser", "imprimante-3d"],
        "Fab Lab Corti": ["decoupe-laser", "electronique"],
        "Lab de Montaigu": [],
    }
    assert all("fablab" in h.kinds.values_list("slug", flat=True) for h in Hub.objects.all())
    assert all(" fablab " in h.search_text for h in Hub.objects.all())
    # Equipment added by staff is kept; a re-run adds nothing and changes nothing.
    assert "inchangés : 3" in run(tmp_path, labs)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("three_d_printing;laser", ["three_d_printing", "laser"]),
        ("Laser ; ", ["laser"]),
        (["laser", "cnc_milling"], ["laser", "cnc_milling"]),
        (None, []),
        (42, []),
    ],
)
def test_capabilities_are_read_whole_not_letter_by_letter(value, expected):
    assert capabilities(value) == expected


def test_map_lab_is_pure():
    mapped = map_lab(lab(*HARD_CASES[0][:5], capabilities="laser"))
    assert mapped.external_id == "fablabs.io:fablab-du-havre"
    assert mapped.equipment == ["decoupe-laser"]
    assert mapped.address == {
        "latitude": 49.4944,
        "longitude": 0.1079,
        "postcode": "76600",
        "city": "Havre (Le)",
    }
    assert map_lab({"name": "X", "country_code": "es"}).error == "hors de France (ES)"
