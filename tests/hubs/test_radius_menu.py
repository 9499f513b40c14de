"""The radius menu (issue 16: « 10 km » was listed twice): each distance once, the
default (no parameter) in its place, on the map, the list and the agenda."""

import re

import pytest

from places.filters import DEFAULT_RADIUS_KM, RADIUS_CHOICES

pytestmark = pytest.mark.django_db


def _options(content):
    select = re.search(r'<select name="radius_km" id="id_radius_km">(.*?)</select>', content, re.S)
    assert select, "no radius menu"
    return re.findall(r'<option value="([^"]*)"( selected)?>([^<]*)</option>', select.group(1))


@pytest.mark.parametrize("url", ["/", "/hubs/", "/events/"])
def test_each_distance_once_and_the_default_selected(client, url):
    options = _options(client.get(url).content.decode())
    labels = [label for _, _, label in options]
    assert labels == [f"{r} km" for r in RADIUS_CHOICES]  # in order, no duplicate
    default = labels.index(f"{DEFAULT_RADIUS_KM} km")
    assert options[default][:2] == ("", " selected")  # the default sends no parameter
    assert [selected for _, selected, _ in options].count(" selected") == 1


def test_a_chosen_distance_is_selected(client):
    options = _options(
        client.get("/hubs/", {"near": "50.36,3.52", "radius_km": "20"}).content.decode()
    )
    assert [label for _, selected, label in options if selected] == ["20 km"]
