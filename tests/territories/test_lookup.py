import pytest

from territories.lookup import (
    autocomplete,
    find_commune,
    parse_territory_code,
    resolve_place,
    resolve_territory,
)
from territories.models import Commune


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("59606", ("commune", "59606")),
        ("2a004", ("commune", "2A004")),
        ("245901160", ("epci", "245901160")),
        ("59", ("dep", "59")),
        ("2B", ("dep", "2B")),
        ("974", ("dep", "974")),
        ("region:32", ("region", "32")),
        ("DEP:62", ("dep", "62")),
        ("epci:245901160", ("epci", "245901160")),
        ("abc", None),
        ("1234", None),
        ("planet:1", None),
        ("", None),
    ],
)
def test_parse_territory_code(value, expected):
    assert parse_territory_code(value) == expected


@pytest.mark.django_db
class TestWithRealTerritories:
    @pytest.fixture(autouse=True)
    def _load(self, demo_territories):
        pass

    def test_resolve_each_level(self):
        assert resolve_territory("245901160").obj.name == "CA Valenciennes Métropole"
        assert resolve_territory("59392").obj.name == "Maubeuge"
        assert resolve_territory("62").obj.name == "Pas-de-Calais"
        assert resolve_territory("region:32").obj.name == "Hauts-de-France"
        assert resolve_territory("region:11") is None  # not loaded in this fixture
        assert resolve_territory("59999") is None

    @pytest.mark.parametrize(
        ("query", "first"),
        [
            ("valencienne", "Valenciennes"),
            ("VALENCIENNES", "Valenciennes"),
            ("59600", "Maubeuge"),
            ("charbonnieres", "Charbonnières-les-Bains"),
            ("Charbonnières", "Charbonnières-les-Bains"),
            ("calai", "Calais"),
            ("62100", "Calais"),
        ],
    )
    def test_autocomplete_ignores_accents_and_case(self, query, first):
        results = autocomplete(query)
        assert results, query
        assert results[0]["name"] == first
        assert results[0]["type"] == "commune"
        assert results[0]["lat"] is not None

    def test_autocomplete_offers_larger_territories(self):
        results = autocomplete("valenciennes metropole")
        assert {"type": "epci", "code": "epci:245901160"}.items() <= results[0].items()
        assert any(r["type"] == "dep" and r["name"] == "Nord" for r in autocomplete("nord"))
        assert autocomplete("") == [] and autocomplete("   ") == []

    def test_a_postcode_gives_the_communes_of_that_postcode_only(self):
        # « 59300 » is Valenciennes' postcode and Hem-Lenglet's INSEE code (issue 16).
        results = autocomplete("59300")
        assert results[0]["name"] == "Valenciennes"
        communes = [r for r in results if r["type"] == "commune"]
        assert communes and all(
            "59300" in Commune.objects.get(insee=r["code"].removeprefix("commune:")).postcodes
            for r in communes
        )
        assert "Hem-Lenglet" not in {r["name"] for r in results}
        assert find_commune("59300").name == "Valenciennes"
        # An INSEE code nobody has as a postcode still finds its commune.
        assert [r["name"] for r in autocomplete("59392")][:1] == ["Maubeuge"]

    def test_a_departement_named_like_the_text_comes_before_communes_starting_like_it(self):
        # Issue 16: « Nord » listed the communes starting with « Nord » first.
        results = autocomplete("nord")
        assert (results[0]["type"], results[0]["name"]) == ("dep", "Nord")
        results = autocomplete("rhon")
        assert results[0]["type"] == "dep" and results[0]["name"] == "Rhône"
        # An exact commune name still comes first, big communes next.
        assert autocomplete("calais")[0]["name"] == "Calais"
        assert autocomplete("valenciennes")[0]["name"] == "Valenciennes"

    def test_autocomplete_is_bounded(self):
        assert len(autocomplete("sa")) <= 13

    def test_find_commune_by_name_postcode_or_code(self):
        assert find_commune("maubeuge").insee == "59392"
        assert find_commune("59600").insee == "59392"
        assert find_commune("59392").insee == "59392"
        assert find_commune("Nulle-Part") is None

    def test_resolve_place_prefers_communes_then_larger_territories(self):
        assert resolve_place("Calais").level == "commune"
        assert resolve_place("Pas-de-Calais").level == "dep"
        assert resolve_place("Hauts-de-France").level == "region"
        assert resolve_place("CA Valenciennes Métropole").level == "epci"
        assert resolve_place("245901160").level == "epci"
        assert resolve_place("xyzzy") is None


@pytest.mark.django_db
def test_territory_name_reads_each_level_in_sql():
    from funding.models import Funder
    from territories.lookup import territory_name

    codes = {
        "region:32": "Hauts-de-France",
        "dep:59": "Nord",
        "epci:245901160": "CA Valenciennes Métropole",
        "commune:59606": "Valenciennes",
        "epci:999999999": "epci:999999999",  # names nothing: the code itself
        "": "",
    }
    for index, code in enumerate(codes):
        Funder.objects.create(
            name=f"F{index}", slug=f"f{index}", category="other", territory_code=code
        )
    names = dict(
        Funder.objects.annotate(n=territory_name("territory_code")).values_list(
            "territory_code", "n"
        )
    )
    assert names == codes
