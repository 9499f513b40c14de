import time

import pytest
from django.core.management import call_command

from territories.loader import load_reference, read_reference
from territories.models import EPCI, Commune, Departement, Region


def test_reference_file_is_consistent():
    data = read_reference()
    assert data["meta"]["counts"]["communes"] == len(data["communes"]) > 34000
    regions = {row[0] for row in data["regions"]}
    deps = {row[0] for row in data["departements"]}
    epcis = {row[0] for row in data["epcis"]}
    assert len(regions) == 18 and len(deps) == 101
    for insee, _name, dep, epci, postcodes, lat, lng, _pop in data["communes"]:
        assert dep in deps and (epci is None or epci in epcis)
        assert len(insee) == 5 and all(len(code) == 5 for code in postcodes)
        assert (lat is None) == (lng is None)
    assert {row[2] for row in data["departements"]} <= regions


def test_full_load_is_fast_and_idempotent(no_territories):
    started = time.monotonic()
    counts = load_reference(read_reference())
    first_duration = time.monotonic() - started
    assert counts == {"regions": 18, "departements": 101, "epcis": 1255, "communes": 34875}
    assert Commune.objects.count() == 34875
    assert first_duration < 30  # the bound; about 2 s on SQLite here

    Commune.objects.filter(insee="59606").update(name="Renamed")
    load_reference(read_reference())
    assert Commune.objects.count() == 34875
    valenciennes = Commune.objects.select_related("epci", "departement__region").get(insee="59606")
    assert valenciennes.name == "Valenciennes"
    assert valenciennes.search_name == "valenciennes"
    assert valenciennes.epci.siren == "245901160"
    assert valenciennes.departement.region.name == "Hauts-de-France"
    assert valenciennes.latitude == pytest.approx(50.358, abs=0.01)
    paris = Commune.objects.get(insee="75056")
    assert "75011" in paris.postcode_list and "75116" in paris.postcode_list


def test_partial_load_brings_the_parents_it_needs(no_territories):
    counts = load_reference(read_reference(), departements=["62"])
    assert counts["departements"] == 1 and counts["regions"] == 1
    assert Departement.objects.get().code == "62"
    assert Region.objects.get().code == "32"
    assert EPCI.objects.filter(siren="200090751").exists()  # Grand Calais Terres et Mers
    assert not Commune.objects.exclude(departement_id="62").exists()


def test_command_reports_counts(no_territories, capsys):
    call_command("load_territories", "--departements", "59")
    output = capsys.readouterr().out
    assert "Territoires chargés" in output and "647 communes" in output
    call_command("load_territories", "--departements", "59", "--if-empty")
    assert "déjà chargés" in capsys.readouterr().out
