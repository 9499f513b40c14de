import csv
import io
import json
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from hubs.models import Hub
from tests import factories

GEOJSON = "/api/v1/hubs.geojson"
CSV_URL = "/api/v1/hubs.csv"
VALENCIENNES_HUBS = {
    "nouvelle-forge",
    "pop-school-valenciennes",
    "pop-place-valenciennes",
    "pepiniere-nouvelle-forge",
    "serre-numerique",
}


def slugs(response):
    return {feature["properties"]["slug"] for feature in response.json()["features"]}


# --------------------------------------------------------------- the checks
def test_near_valenciennes_returns_its_hubs_and_nothing_from_calais(client, demo_hubs):
    response = client.get(GEOJSON, {"near": "50.3579,3.5234", "radius_km": "5"})
    assert response.status_code == 200
    assert slugs(response) == VALENCIENNES_HUBS
    distances = [f["properties"]["distance_km"] for f in response.json()["features"]]
    assert distances == sorted(distances) and max(distances) <= 5


def test_territory_valenciennes_metropole(client, demo_hubs):
    assert slugs(client.get(GEOJSON, {"territory": "245901160"})) == VALENCIENNES_HUBS


def test_q_pepiniere_finds_the_pepinieres(client, demo_hubs):
    found = slugs(client.get(GEOJSON, {"q": "pepiniere"}))
    assert {"pepiniere-nouvelle-forge", "ruche-entreprises-maubeuge", "serre-numerique"} <= found
    assert "pop-school-valenciennes" not in found


def test_filters_combine(client, demo_hubs):
    assert slugs(client.get(GEOJSON, {"kind": "fablab", "territory": "dep:62"})) == {
        "fablab-cote-opale-marcel-doret",
        "fablab-cote-opale-second-site",
    }
    assert slugs(client.get(GEOJSON, {"kind": ["ecole", "campus"], "territory": "245901160"})) == {
        "pop-school-valenciennes",
        "serre-numerique",
    }
    assert slugs(client.get(GEOJSON, {"equipment": ["imprimante-3d", "decoupe-laser"]})) == {
        "pop-place-valenciennes",
        "fablab-cote-opale-marcel-doret",
    }
    assert slugs(client.get(GEOJSON, {"audience": "jeunes", "status": "open"})) >= {
        "pop-school-valenciennes"
    }
    assert slugs(client.get(GEOJSON, {"place": "Maubeuge"})) == {
        "ruche-entreprises-maubeuge",
        "agence-numerique-maubeuge-val-de-sambre",
        "antenne-universitaire-maubeuge",
    }


def test_bbox_of_the_calaisis(client, demo_hubs):
    found = slugs(client.get(GEOJSON, {"bbox": "1.7,50.85,2.1,51.05"}))
    assert found == {
        "maison-numerique-innovation-calaisis",
        "fablab-cote-opale-marcel-doret",
        "fablab-cote-opale-second-site",
    }


def test_drafts_never_leave_the_api(client, demo_hubs):
    Hub.objects.filter(slug="serre-numerique").update(publication=Hub.Publication.DRAFT)
    assert "serre-numerique" not in slugs(client.get(GEOJSON))
    assert "serre-numerique" not in client.get(CSV_URL).content.decode()


# --------------------------------------------------------------- formats
def test_geojson_is_an_rfc7946_feature_collection(client, demo_hubs):
    response = client.get(GEOJSON)
    assert response["Content-Type"].startswith("application/geo+json")
    data = json.loads(response.content)
    assert data["type"] == "FeatureCollection" and "crs" not in data
    assert len(data["features"]) == 13
    for feature in data["features"]:
        assert feature["type"] == "Feature"
        assert feature["geometry"]["type"] == "Point"
        lng, lat = feature["geometry"]["coordinates"]
        assert -10 < lng < 10 and 40 < lat < 52  # France: lon/lat order
        # Compact: what the map and its list need (the page is /hubs/<slug>/).
        assert set(feature["properties"]) == {"slug", "name", "kinds"}
        assert isinstance(feature["id"], int)
        size = len(json.dumps(feature, ensure_ascii=False, separators=(",", ":")).encode())
        p = feature["properties"]
        texts = len("".join([p["slug"], p["name"], *p["kinds"]]).encode())
        assert size - texts < 150  # the structure around the names stays small
    forge = next(f for f in data["features"] if f["properties"]["slug"] == "pop-place-valenciennes")
    assert forge["properties"]["kinds"] == ["fablab", "coworking"]


def test_geojson_bytes_are_compact_exact_json_even_for_awkward_names(db):
    """The database writes each feature's text (hubs.exports.feature_head): valid,
    compact JSON whose strings and numbers are exactly those of the hubs."""
    from hubs.exports import geojson_bytes
    from hubs.models import Hub
    from territories.geo import haversine_km

    names = [
        'Le "Quai" \\ numérique',
        "Tab\tet\nretour",
        "Emoji 🛠️ et </script>",
        "\u2028",
        "Nul\x01",
    ]
    coordinates = [(50.0, -0.0), (50.333333333, 3.123456789), (50.666666, -0.000031), (51.0, 3.0)]
    coordinates.append((49.123455, 2.999995))
    for name, (lat, lng) in zip(names, coordinates, strict=True):
        factories.hub(name=name, lat=lat, lng=lng)
    factories.hub(name="Sans type", kinds=())
    queryset = Hub.objects.published().order_by("name")
    for with_distance in (False, True):
        qs = queryset
        if with_distance:
            from territories.geo import distance_km_expression

            qs = queryset.annotate(distance=distance_km_expression(50.3, 3.5))
        body = geojson_bytes(qs, with_distance=with_distance)
        data = json.loads(body)
        # Compact: no whitespace outside the strings.
        assert not re.search(rb"\s", re.sub(rb'"(?:[^"\\]|\\.)*"', b'""', body))
        hubs = {hub.pk: hub for hub in qs}
        assert [f["id"] for f in data["features"]] == list(hubs)  # the selection's order
        for feature in data["features"]:
            hub = hubs[feature["id"]]
            assert feature["properties"]["name"] == hub.name
            assert feature["properties"]["slug"] == hub.slug
            # To 5 decimals; a half-way value (49.123455: 49.12345 in Python, whose
            # round() reads the binary value, 49.12346 in SQL) may go either way: a metre.
            assert feature["geometry"]["coordinates"] == pytest.approx(
                [round(hub.longitude, 5), round(hub.latitude, 5)], abs=1.000001e-5
            )
            assert all(
                len(repr(c).partition(".")[2]) <= 5 for c in feature["geometry"]["coordinates"]
            )
            assert feature["properties"]["kinds"] == [k.slug for k in hub.kinds.all()]
            if with_distance:
                expected = haversine_km(50.3, 3.5, hub.latitude, hub.longitude)
                assert feature["properties"]["distance_km"] == pytest.approx(expected, abs=0.0051)
            else:
                assert "distance_km" not in feature["properties"]
        assert sorted(f["properties"]["name"] for f in data["features"]) == sorted(
            [*names, "Sans type"]
        )


def test_csv_opens_as_a_spreadsheet(client, demo_hubs):
    response = client.get(CSV_URL, {"territory": "245901160"})
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    text = response.content.decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert {row["slug"] for row in rows} == VALENCIENNES_HUBS
    school = next(row for row in rows if row["slug"] == "pop-school-valenciennes")
    assert school["nom"] == "Pop School Valenciennes"
    assert school["commune"] == "Anzin" and school["code_insee"] == "59014"
    assert school["epci_siren"] == "245901160" and school["departement"] == "59"
    assert float(school["latitude"]) == pytest.approx(50.364, abs=0.01)
    assert school["url"] == "http://testserver/hubs/pop-school-valenciennes/"


def test_csv_neutralises_spreadsheet_formulas(client, db):
    factories.hub(name='=HYPERLINK("http://evil")', phone="+33 3 27 00 00 00")
    text = client.get(CSV_URL).content.decode("utf-8-sig")
    row = next(csv.DictReader(io.StringIO(text)))
    assert row["nom"].startswith("'=")
    # OWASP: every text starting with + is quoted, a phone number too (a spreadsheet
    # would read « +33 3 27 00 00 00 » as a formula).
    assert row["telephone"] == "'+33 3 27 00 00 00"


# --------------------------------------------------------------- conditional requests
def test_unchanged_map_answers_304(client, demo_hubs):
    first = client.get(GEOJSON, {"kind": "fablab"})
    etag = first["ETag"]
    assert first["Last-Modified"]
    again = client.get(GEOJSON, {"kind": "fablab"}, headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.content == b""
    other_filters = client.get(GEOJSON, {"kind": "coworking"}, headers={"If-None-Match": etag})
    assert other_filters.status_code == 200

    hub = Hub.objects.get(slug="pop-place-valenciennes")
    hub.name = "Pop Place"
    hub.save()
    changed = client.get(GEOJSON, {"kind": "fablab"}, headers={"If-None-Match": etag})
    assert changed.status_code == 200 and changed["ETag"] != etag

    Hub.objects.filter(slug="fablab-cote-opale-second-site").delete()
    assert (
        client.get(
            GEOJSON, {"kind": "fablab"}, headers={"If-None-Match": changed["ETag"]}
        ).status_code
        == 200
    )


# --------------------------------------------------------------- bad input
BAD_PARAMETERS = [
    ("bbox", "abc"),
    ("bbox", "1,2,3"),
    ("bbox", "nan,0,1,1"),
    ("bbox", "3,51,2,50"),
    ("bbox", "0,-100,1,1"),
    ("near", "999,0"),
    ("near", "50.3"),
    ("near", "abc,def"),
    ("near", "inf,3"),
    ("radius_km", "-3"),
    ("radius_km", "0"),
    ("radius_km", "abc"),
    ("radius_km", "100000"),
    ("kind", "zzz"),
    ("equipment", "teleporteur"),
    ("audience", "martiens"),
    ("label", "nope"),
    ("status", "flying"),
    ("territory", "99999"),
    ("territory", "region:99"),
    ("territory", "abc"),
    ("place", "Xyzzyville"),
    ("q", "x" * 500),
]


@pytest.fixture
def one_hub(db):
    return factories.hub()


@pytest.mark.parametrize(("name", "value"), BAD_PARAMETERS)
@pytest.mark.parametrize("url", [GEOJSON, CSV_URL])
def test_bad_parameters_give_a_400_naming_the_parameter(client, one_hub, url, name, value):
    response = client.get(url, {name: value})
    assert response.status_code == 400
    body = response.json()
    assert name in body["errors"] and name in body["message"]


@pytest.mark.parametrize(("name", "value"), BAD_PARAMETERS)
def test_bad_parameters_give_a_form_error_on_the_html_list(client, one_hub, name, value):
    response = client.get("/hubs/", {name: value})
    assert response.status_code == 400
    content = response.content.decode()
    assert "Certains critères ne sont pas valides" in content
    assert f"<code>{name}</code>" in content


# --------------------------------------------------------------- bounded queries
def _count_queries(client, url, params=None):
    with CaptureQueriesContext(connection) as context:
        response = client.get(url, params or {})
    assert response.status_code == 200
    return len(context.captured_queries)


def _make_hubs(count):
    commune = factories.commune()
    kinds = list(Hub.kinds.field.related_model.objects.all()[:2])
    hubs = Hub.objects.bulk_create(
        [
            Hub(
                name=f"Lieu {i}",
                slug=f"lieu-bulk-{i}",
                commune=commune,
                summary="Résumé",
                latitude=50 + i / 10000,
                longitude=3 + i / 10000,
                publication=Hub.Publication.PUBLISHED,
            )
            for i in range(count)
        ]
    )
    through = Hub.kinds.through
    through.objects.bulk_create(
        [through(hub_id=hub.pk, hubkind_id=kind.pk) for hub in hubs for kind in kinds]
    )


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("url", "params"),
    [
        (GEOJSON, {}),
        (GEOJSON, {"near": "50.02,3.02", "radius_km": "50", "kind": "fablab"}),
        (CSV_URL, {}),
        ("/hubs/", {}),
        ("/hubs/", {"near": "50.02,3.02", "q": "lieu"}),
        ("/", {}),
    ],
)
def test_query_count_does_not_grow_with_rows(client, url, params):
    _make_hubs(5)
    with_five = _count_queries(client, url, params)
    assert Hub.objects.count() == 5
    Hub.objects.all().delete()
    _make_hubs(500)
    with_500 = _count_queries(client, url, params)
    assert with_five == with_500
    assert with_500 <= 10


def test_hub_details_for_the_map_popup(client, demo_hubs):
    hub = demo_hubs["pop-school-valenciennes"]
    response = client.get(f"/api/v1/hubs/{hub.pk}.json")
    assert response.status_code == 200
    data = response.json()
    assert data["url"] == "/hubs/pop-school-valenciennes/"
    assert data["commune"] == "Anzin" and data["postcode"] == "59410"
    assert data["summary"] == hub.summary and data["status"] == "open"
    again = client.get(f"/api/v1/hubs/{hub.pk}.json", HTTP_IF_NONE_MATCH=response["ETag"])
    assert again.status_code == 304
    Hub.objects.filter(pk=hub.pk).update(publication=Hub.Publication.DRAFT)
    assert client.get(f"/api/v1/hubs/{hub.pk}.json").status_code == 404
    assert client.get("/api/v1/hubs/0.json").status_code == 404


def test_rendered_geojson_is_reused_until_the_selection_changes(client, demo_hubs):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    first = client.get(GEOJSON)
    with CaptureQueriesContext(connection) as queries:
        second = client.get(GEOJSON)
    assert second.content == first.content
    assert len(queries) == 2  # freshness and kinds' version only: the body came from the cache
    hub = demo_hubs["serre-numerique"]
    hub.name = "Serre numérique (rénovée)"
    hub.save()
    third = json.loads(client.get(GEOJSON).content)
    assert "Serre numérique (rénovée)" in {f["properties"]["name"] for f in third["features"]}


def test_renamed_kind_or_changed_kinds_change_the_etag(client, demo_hubs):
    from hubs.models import HubKind

    etag = client.get(GEOJSON)["ETag"]
    kind = HubKind.objects.get(slug="fablab")
    kind.slug = "fab-lab"
    kind.save()
    renamed = client.get(GEOJSON, HTTP_IF_NONE_MATCH=etag)
    assert renamed.status_code == 200
    assert "fab-lab" in renamed.content.decode()
    hub = demo_hubs["serre-numerique"]
    hub.kinds.add(kind)  # an m2m change alone
    assert client.get(GEOJSON, HTTP_IF_NONE_MATCH=renamed["ETag"]).status_code == 200
