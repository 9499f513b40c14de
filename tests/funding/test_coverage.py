"""Coverage and money per inhabitant (issue 19, item 6), checked by hand for CA
Valenciennes Métropole: its population summed from the reference file, the
communes farther than 10 km from every published hub found with the haversine
formula in Python, against the SQL of funding.coverage."""

from decimal import ROUND_HALF_UP, Decimal

import pytest

from funding.coverage import coverage
from hubs.models import Hub, HubKind
from territories.geo import haversine_km
from territories.lookup import resolve_territory
from tests import factories

VALENCIENNES = "245901160"


def _by_hand(km, kinds=()):
    """Population and population farther than ``km`` from a published hub, by hand."""
    communes = [row for row in factories._reference_file()["communes"] if row[3] == VALENCIENNES]
    hubs = Hub.objects.published()
    if kinds:
        hubs = hubs.filter(kinds__slug__in=kinds)
    points = list(hubs.values_list("latitude", "longitude"))
    population = far = 0
    for _insee, _name, _dep, _epci, _postcodes, lat, lng, inhabitants in communes:
        if not inhabitants:
            continue
        population += inhabitants
        if all(haversine_km(lat, lng, hub_lat, hub_lng) > km for hub_lat, hub_lng in points):
            far += inhabitants
    return population, far


def _row(rows, code):
    return next(row for row in rows if row["code"] == code)


@pytest.mark.parametrize("km", [5, 10, 20])
def test_valenciennes_coverage_checked_by_hand(demo_funding, km):
    rows = coverage(resolve_territory("dep:59"), km=km)
    row = _row(rows, f"epci:{VALENCIENNES}")
    population, far = _by_hand(km)
    assert population > 190_000  # about 192,000 inhabitants, 35 communes
    assert (row["population"], row["far"]) == (population, far)
    hubs = Hub.objects.published().filter(commune__epci_id=VALENCIENNES).count()
    assert row["hubs"] == hubs
    assert row["hubs_per_10k"] == (Decimal(hubs * 10_000) / population).quantize(
        Decimal("0.01"), rounding=ROUND_HALF_UP
    )


def test_a_kind_of_hub_changes_who_lives_far(demo_funding):
    everything = _row(coverage(resolve_territory("dep:59"), km=5), f"epci:{VALENCIENNES}")
    schools = HubKind.objects.filter(slug="ecole")
    only_schools = _row(
        coverage(resolve_territory("dep:59"), kinds=schools, km=5), f"epci:{VALENCIENNES}"
    )
    assert only_schools["far"] == _by_hand(5, ["ecole"])[1] >= everything["far"]
    assert only_schools["hubs"] <= everything["hubs"]


def test_money_per_inhabitant_on_the_dashboard(client, demo_funding):
    response = client.get("/funding/", {"territory": "dep:59"})
    row = _row(response.context["coverage"], f"epci:{VALENCIENNES}")
    population, _far = _by_hand(10)
    # The known co-financing of the agglomeration (1,900,000 €) over its inhabitants.
    assert row["money"] == Decimal("1900000.00")
    assert row["euros_per_inhabitant"] == (Decimal("1900000") / population).quantize(
        Decimal("0.01"), rounding=ROUND_HALF_UP
    )
    content = response.content.decode()
    assert "Couverture : qui vit à plus de 10 km d" in content
    # The distance is in the URL like every filter, and a bad one is a 400.
    assert (
        client.get("/funding/", {"territory": "dep:59", "distance_km": "20"}).context["distance_km"]
        == 20
    )
    assert client.get("/funding/", {"distance_km": "7"}).status_code == 400


def test_every_region_of_france_has_a_row_at_the_top(client, demo_funding):
    rows = client.get("/funding/").context["coverage"]
    # The test database holds the Nord, the Pas-de-Calais, the Rhône and the Somme's
    # communes: their régions, the most populated first.
    assert [row["code"] for row in rows][:1] == ["region:32"]
    assert all(row["latitude"] and row["longitude"] for row in rows)


def test_coverage_is_cached_per_hubs_version_not_per_line(client, demo_funding, monkeypatch):
    from django.core.cache import cache

    from funding import coverage as coverage_module
    from funding.models import FinancingLine, FundedOperation, Funder

    cache.clear()
    calls = []
    real = coverage_module.coverage
    monkeypatch.setattr(
        coverage_module,
        "coverage",
        lambda *args, **kwargs: calls.append(1) or real(*args, **kwargs),
    )
    params = {"territory": "dep:59"}
    first = client.get("/funding/", params).context["coverage"]
    client.get("/funding/", params)
    assert len(calls) == 1
    # A new line: the money per inhabitant changes, the coverage is not computed again.
    operation = FundedOperation.objects.get(title__startswith="Matériel du fab lab")
    FinancingLine.objects.filter(operation=operation).delete()
    FinancingLine.objects.create(
        operation=operation, funder=Funder.objects.get(slug="feder"), amount=Decimal("5000")
    )
    again = client.get("/funding/", params).context["coverage"]
    assert len(calls) == 1
    before, after = _row(first, f"epci:{VALENCIENNES}"), _row(again, f"epci:{VALENCIENNES}")
    assert after["money"] == before["money"] + Decimal("5000")
    # A hub published or changed: computed again.
    Hub.objects.get(slug="serre-numerique").save()
    client.get("/funding/", params)
    assert len(calls) == 2


def test_a_long_coverage_table_lists_the_most_populated_and_adds_up_the_rest(client, demo_funding):
    response = client.get("/funding/", {"territory": "epci:200093201"})  # MEL: 95 communes
    rows, shown, rest = (
        response.context["coverage"],
        response.context["coverage_shown"],
        response.context["coverage_rest"],
    )
    assert len(rows) > 30 and len(shown) == 30
    assert rest["count"] == len(rows) - 30
    assert rest["population"] + sum(row["population"] for row in shown) == sum(
        row["population"] for row in rows
    )
    assert "autres territoires, moins peuplés" in response.content.decode()
    # The map keeps every commune.
    assert len(response.context["coverage_map"]["points"]) == len(rows)
