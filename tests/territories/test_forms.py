import math

import pytest
from django import forms

from territories.forms import BBoxField, PointField, TerritoryField
from territories.geo import BBox
from tests import factories


@pytest.mark.parametrize(
    "value",
    [
        "abc",
        "1,2,3",
        "1,2,3,4,5",
        "nan,1,2,3",
        "inf,1,2,3",
        "1e309,0,1,1",
        "0,-91,1,1",
        "-181,0,1,1",
        "3,50,2,51",
        "3,51,4,50",
        ",,,",
        "1;2;3;4",
        "x" * 500,
    ],
)
def test_bbox_field_rejects_malformed_values(value):
    with pytest.raises(forms.ValidationError):
        BBoxField(required=False).clean(value)


def test_bbox_field_parses_lon_lat_order():
    assert BBoxField().clean(" 3.4, 50.3,3.6,50.4 ") == BBox(3.4, 50.3, 3.6, 50.4)
    assert BBoxField(required=False).clean("") is None


@pytest.mark.parametrize("value", ["999,0", "0,200", "abc", "50", "50,3,1", "nan,3", "50;3"])
def test_point_field_rejects_malformed_values(value):
    with pytest.raises(forms.ValidationError):
        PointField(required=False).clean(value)


def test_point_field_parses_lat_lng():
    lat, lng = PointField().clean("50.3579,3.5234")
    assert (lat, lng) == (50.3579, 3.5234) and all(map(math.isfinite, (lat, lng)))


@pytest.mark.django_db
def test_territory_field_resolves_or_explains():
    factories.commune()
    assert TerritoryField().clean("245901160").obj.name == "CA Valenciennes Métropole"
    assert TerritoryField().clean("commune:59606").level == "commune"
    for value in ["99999", "region:99", "foo:1", "x" * 100, "dep:"]:
        with pytest.raises(forms.ValidationError) as error:
            TerritoryField(required=False).clean(value)
        assert "Territoire inconnu" in str(error.value)
