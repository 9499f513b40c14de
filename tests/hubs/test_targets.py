"""Targets against results (issue 19, item 5): « 80 emplois en trois ans » beside the
25 jobs declared, on the hub page (chart and table) and on the dashboard."""

import re

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from hubs.models import HubIndicator, HubTarget
from hubs.targets import CHART_HEIGHT, CHART_WIDTH, progress
from tests import factories


@pytest.fixture
def pepiniere(demo_hubs):
    return demo_hubs["pepiniere-nouvelle-forge"]


def test_the_pepinieres_target_against_its_declared_jobs(pepiniere):
    [target] = pepiniere.targets.all()
    row = progress(target, list(pepiniere.indicators.all()))
    assert (target.value, target.start_year, target.horizon_year) == (80, 2016, 2019)
    assert (row["result"], row["result_year"], row["share"]) == (25, 2017, 31)
    # The chart: a bar for 2017, an empty slot at the 2019 horizon, the target line
    # at the top (80 is the largest value), everything inside the box.
    bars = {bar["year"]: bar for bar in row["chart"]["bars"]}
    assert set(bars) == {2017, 2019} and bars[2019]["value"] is None and bars[2019]["horizon"]
    assert row["chart"]["target_y"] < bars[2017]["y"]  # 80 above 25
    for bar in bars.values():
        assert bar["x"] >= 0 and bar["x"] + bar["width"] <= CHART_WIDTH
        assert 0 <= bar["y"] <= CHART_HEIGHT


def test_the_hub_page_shows_the_target_chart_and_its_table(client, pepiniere):
    page = client.get(reverse("hubs:detail", args=[pepiniere.slug])).content.decode()
    section = page.split('id="targets"')[1].split("</section>")[0]
    assert "objectif 80 d&#x27;ici 2019" in section or "objectif 80 d'ici 2019" in section
    assert "Déclaré : 25 en 2017, soit 31 % de l" in section
    assert '<svg class="target__chart"' in section and 'role="img"' in section
    # Coordinates with a dot, whatever the language (a French « 71,3 » breaks the SVG).
    svg = section.split("<svg")[1].split("</svg>")[0]
    coordinates = re.findall(r' (?:x|y|x1|x2|y1|y2|width|height)="([^"]*)"', svg)
    assert coordinates and all(re.fullmatch(r"-?\d+(\.\d+)?", value) for value in coordinates)
    assert '<th scope="row">2019</th><td>—</td><td>80</td>' in section


def test_a_planned_staff_is_a_target_not_a_result(demo_hubs):
    calais = demo_hubs["maison-numerique-innovation-calaisis"]
    assert not HubIndicator.objects.filter(hub=calais, jobs=7).exists()
    [target] = calais.targets.all()
    assert (target.indicator, target.value, target.horizon_year) == ("jobs", 7, 2018)


def test_the_dashboard_lists_targets_and_results(client, demo_funding):
    response = client.get("/funding/", {"territory": "245901160"})
    [row] = response.context["targets"]
    assert row["target"].hub.slug == "pepiniere-nouvelle-forge" and row["share"] == 31
    section = response.content.decode().split('id="targets"')[1].split("</section>")[0]
    assert "80 d&#x27;ici 2019" in section or "80 d'ici 2019" in section
    assert "25 en 2017" in section and '<meter min="0" max="100" value="31"' in section


def test_a_target_has_one_row_per_horizon_and_a_sane_horizon(db):
    hub = factories.hub()
    HubTarget.objects.create(hub=hub, indicator="jobs", value=10, horizon_year=2020)
    with pytest.raises(IntegrityError), transaction.atomic():
        HubTarget.objects.create(hub=hub, indicator="jobs", value=12, horizon_year=2020)
    with pytest.raises(IntegrityError), transaction.atomic():
        HubTarget.objects.create(
            hub=hub, indicator="jobs", value=12, start_year=2022, horizon_year=2021
        )
    target = HubTarget(hub=hub, indicator="jobs", value=1, start_year=2022, horizon_year=2021)
    with pytest.raises(ValidationError) as error:
        target.full_clean()
    assert "horizon_year" in error.value.message_dict


def test_a_target_without_any_result(db):
    hub = factories.hub()
    target = HubTarget.objects.create(
        hub=hub, indicator="people_trained", value=100, horizon_year=2021
    )
    row = progress(target, [])
    assert row["result"] is None and row["share"] is None
    assert [bar["year"] for bar in row["chart"]["bars"]] == [2021]
