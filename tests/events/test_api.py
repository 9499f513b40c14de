import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from events.models import Event
from hubs.models import Hub
from tests import factories
from tests.events.conftest import HIDDEN_HUB, assert_hides_the_hub

GEOJSON = "/api/v1/events.geojson"
ICS = "/api/v1/events.ics"


# --------------------------------------------------------------- GeoJSON
def test_geojson_is_an_rfc7946_feature_collection_of_upcoming_events(client, demo_events):
    response = client.get(GEOJSON)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/geo+json")
    data = json.loads(response.content)
    assert data["type"] == "FeatureCollection" and "crs" not in data
    upcoming = Event.objects.published().upcoming()
    assert len(data["features"]) == upcoming.count() > 10
    for feature in data["features"]:
        assert feature["type"] == "Feature" and feature["geometry"]["type"] == "Point"
        lng, lat = feature["geometry"]["coordinates"]
        assert -10 < lng < 10 and 40 < lat < 52
        properties = feature["properties"]
        assert set(properties) == {
            "id",
            "slug",
            "title",
            "start",
            "end",
            "all_day",
            "kind",
            "kind_label",
            "status",
            "commune",
            "url",
        }
        assert properties["url"] == f"/events/{properties['slug']}/"
    starts = [f["properties"]["start"] for f in data["features"]]
    assert starts == sorted(starts)
    cancelled = next(f for f in data["features"] if f["properties"]["status"] == "cancelled")
    assert cancelled["properties"]["commune"] == "Lens"


def test_geojson_near_and_bbox(client, demo_events):
    near = client.get(GEOJSON, {"near": "50.95,1.86", "radius_km": "10"}).json()
    assert {f["properties"]["commune"] for f in near["features"]} == {"Calais"}
    boxed = client.get(GEOJSON, {"bbox": "1.7,50.85,2.1,51.05", "when": "all"}).json()
    assert {f["properties"]["commune"] for f in boxed["features"]} == {"Calais"}
    assert "creation-maison-numerique-calaisis-2018-08-27" in {
        f["properties"]["slug"] for f in boxed["features"]
    }


def test_unchanged_geojson_answers_304_and_changes_with_the_hub(client, demo_events):
    first = client.get(GEOJSON)
    again = client.get(GEOJSON, headers={"If-None-Match": first["ETag"]})
    assert again.status_code == 304 and again.content == b""
    hub = Hub.objects.get(slug="fablab-cote-opale-marcel-doret")
    hub.latitude += 0.001
    hub.save()
    assert client.get(GEOJSON, headers={"If-None-Match": first["ETag"]}).status_code == 200


def test_drafts_never_leave_the_api(client, demo_events):
    Event.objects.filter(slug="demo-serre-numerique-game-jam").update(publication="draft")
    assert "game-jam" not in client.get(GEOJSON).content.decode()
    assert "Game jam" not in client.get(ICS).content.decode()


# --------------------------------------------------------------- bad input
BAD_PARAMETERS = [
    ("start", "2026-13-01"),
    ("start", "demain"),
    ("start", "0001-01-01"),
    ("end", "9999-12-31"),
    ("end", "2026-02-30"),
    ("end", "2" * 300),
    ("when", "soon"),
    ("kind", "concert"),
    ("hub", "lieu-inconnu"),
    ("free", "peut-etre"),
    ("bbox", "abc"),
    ("bbox", "3,51,2,50"),
    ("near", "999,0"),
    ("near", "50.3"),
    ("radius_km", "-3"),
    ("radius_km", "abc"),
    ("territory", "99999"),
    ("territory", "region:99"),
    ("place", "Xyzzyville"),
    ("q", "x" * 500),
]


@pytest.fixture
def one_event(db):
    return factories.event()


@pytest.mark.parametrize(("name", "value"), BAD_PARAMETERS)
@pytest.mark.parametrize("url", [GEOJSON, ICS])
def test_bad_parameters_give_a_400_naming_the_parameter(client, one_event, url, name, value):
    response = client.get(url, {name: value})
    assert response.status_code == 400
    body = response.json()
    assert name in body["errors"] and name in body["message"]


@pytest.mark.parametrize(("name", "value"), BAD_PARAMETERS)
def test_bad_parameters_give_a_form_error_on_the_agenda(client, one_event, name, value):
    response = client.get("/events/", {name: value})
    assert response.status_code == 400
    content = response.content.decode()
    assert "Certains critères ne sont pas valides" in content
    assert f"<code>{name}</code>" in content


def test_an_inverted_date_range_is_a_400(client, one_event):
    response = client.get(GEOJSON, {"start": "2026-12-01", "end": "2026-11-01"})
    assert response.status_code == 400 and "end" in response.json()["errors"]


def test_the_hub_feed_refuses_bad_parameters_too(client, one_event):
    response = client.get(f"/hubs/{one_event.hub.slug}/events.ics", {"start": "x"})
    assert response.status_code == 400


# --------------------------------------------------------------- bounded queries
def _count_queries(client, url, params=None):
    with CaptureQueriesContext(connection) as context:
        response = client.get(url, params or {})
    assert response.status_code == 200, response.content[:300]
    return len(context.captured_queries)


def _make_events(count, hub, commune):
    import datetime

    from django.utils import timezone

    start = timezone.now() + datetime.timedelta(hours=1)
    events = Event.objects.bulk_create(
        [
            Event(
                title=f"Événement {i}",
                slug=f"bulk-{i}",
                kind=Event.Kind.WORKSHOP,
                hub=hub if i % 2 else None,
                commune=None if i % 2 else commune,
                latitude=None if i % 2 else 50 + i / 10000,
                longitude=None if i % 2 else 3 + i / 10000,
                start=start + datetime.timedelta(hours=i),
                end=start + datetime.timedelta(hours=i + 2),
                publication=Event.Publication.PUBLISHED,
                status=Event.Status.CANCELLED if i % 7 == 0 else Event.Status.SCHEDULED,
                search_text=" evenement ",
            )
            for i in range(count)
        ]
    )
    audience = Event.audiences.field.related_model.objects.first()
    through = Event.audiences.through
    through.objects.bulk_create([through(event_id=e.pk, audience_id=audience.pk) for e in events])


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("url", "params"),
    [
        ("/events/", {}),
        (
            "/events/",
            {"near": "50.02,3.02", "radius_km": "50", "q": "evenement", "kind": "atelier"},
        ),
        ("/events/month/", {}),
        ("EVENT", {}),
        ("EVENT_ICS", {}),
        (ICS, {}),
        ("HUB_ICS", {}),
        (GEOJSON, {}),
        ("HUB", {}),
    ],
)
def test_query_count_does_not_grow_with_rows(client, url, params):
    hub = factories.hub(slug="lieu-hote")
    commune = factories.commune()
    _make_events(5, hub, commune)
    counts = []
    for total in (5, 500):
        if total == 500:
            Event.objects.all().delete()
            _make_events(500, hub, commune)
        target = {
            "EVENT": "/events/bulk-1/",
            "EVENT_ICS": "/events/bulk-1.ics",
            "HUB_ICS": "/hubs/lieu-hote/events.ics",
            "HUB": "/hubs/lieu-hote/",
        }.get(url, url)
        if target == "/events/month/":
            client.get(target)  # a redirect to this month
            import django.utils.timezone as tz

            today = tz.localdate()
            target = f"/events/month/{today.year}/{today.month}/"
        counts.append(_count_queries(client, target, params))
    assert counts[0] == counts[1], counts
    assert counts[1] <= 14


def test_an_unpublished_hub_lends_its_events_no_point_on_the_map(client, hidden_hub_events):
    at_hub, elsewhere = hidden_hub_events
    response = client.get(GEOJSON)
    assert_hides_the_hub(response.content.decode())
    features = {f["properties"]["slug"]: f for f in response.json()["features"]}
    assert at_hub.slug not in features  # no place to show it at
    assert features[elsewhere.slug]["geometry"]["coordinates"] == [3.52, 50.35]
    assert features[elsewhere.slug]["properties"]["commune"] == "Valenciennes"
    # The hub's place finds nothing either: no filter tells where it is.
    for params in (
        {"territory": "commune:59990"},
        {"near": f"{HIDDEN_HUB['lat']},{HIDDEN_HUB['lng']}", "radius_km": "1"},
        {"bbox": "3.6,50.4,3.62,50.42"},
    ):
        assert client.get(GEOJSON, params).json()["features"] == [], params
        assert at_hub.title not in client.get("/events/", params).content.decode(), params
