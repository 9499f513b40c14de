"""Conditional GET on every endpoint that sends validators, as RFC 9110 §13 says.

An ETag sent back strong or weak (``W/"…"``: nginx weakens it when it compresses
the body), or an ``If-Modified-Since`` at or after ``Last-Modified``, answers 304;
``If-None-Match`` wins over ``If-Modified-Since``; HEAD answers as GET; a saved
hub or event changes the validators.
"""

import pytest
from django.utils.http import http_date, parse_http_date

from tests import factories

pytestmark = pytest.mark.django_db

ENDPOINTS = [
    "/api/v1/hubs.geojson",
    "/api/v1/hubs.csv",
    "/api/v1/hubs/{hub_pk}.json",
    "/api/v1/events.ics",
    "/hubs/{hub_slug}/events.ics",
    "/api/v1/events.geojson",
]


@pytest.fixture
def hub(db):
    return factories.hub(name="Pop Place", slug="pop-place")


@pytest.fixture
def event(hub):
    return factories.event("Atelier impression 3D", hub=hub, slug="atelier-3d")


@pytest.fixture(params=ENDPOINTS)
def url(request, event):
    return request.param.format(hub_pk=event.hub.pk, hub_slug=event.hub.slug)


def _shifted(last_modified: str, seconds: int) -> str:
    return http_date(parse_http_date(last_modified) + seconds)


def _first(client, url):
    response = client.get(url)
    assert response.status_code == 200
    assert response["ETag"].startswith('"') and response["Last-Modified"]
    return response


def _assert_not_modified(response, first):
    assert response.status_code == 304
    assert response.content == b""
    assert response["ETag"] == first["ETag"]
    assert response["Last-Modified"] == first["Last-Modified"]
    assert response["Cache-Control"] == first["Cache-Control"]
    assert {"Accept-Language", "Cookie"} <= {v.strip() for v in response["Vary"].split(",")}


def test_the_strong_etag_answers_304(client, url):
    first = _first(client, url)
    _assert_not_modified(client.get(url, headers={"If-None-Match": first["ETag"]}), first)


def test_the_weak_etag_answers_304(client, url):
    first = _first(client, url)
    weak = f"W/{first['ETag']}"
    _assert_not_modified(client.get(url, headers={"If-None-Match": weak}), first)
    # One of several, as a cache holding several versions asks.
    several = f'"something-else", {weak}'
    _assert_not_modified(client.get(url, headers={"If-None-Match": several}), first)


def test_if_modified_since_at_or_after_last_modified_answers_304(client, url):
    first = _first(client, url)
    for date in (first["Last-Modified"], _shifted(first["Last-Modified"], 60)):
        _assert_not_modified(client.get(url, headers={"If-Modified-Since": date}), first)
    earlier = _shifted(first["Last-Modified"], -1)
    again = client.get(url, headers={"If-Modified-Since": earlier})
    assert again.status_code == 200 and again.content == first.content


def test_if_none_match_wins_over_if_modified_since(client, url):
    first = _first(client, url)
    headers = {"If-None-Match": '"something-else"', "If-Modified-Since": first["Last-Modified"]}
    response = client.get(url, headers=headers)
    assert response.status_code == 200 and response.content == first.content


def test_head_answers_as_get(client, url):
    first = _first(client, url)
    head = client.head(url)
    assert head.status_code == 200 and head.content == b""
    assert head["ETag"] == first["ETag"] and head["Content-Type"] == first["Content-Type"]
    _assert_not_modified(client.head(url, headers={"If-None-Match": first["ETag"]}), first)
    weak = f"W/{first['ETag']}"
    _assert_not_modified(client.head(url, headers={"If-None-Match": weak}), first)


def test_a_saved_record_changes_the_validators(client, url, hub, event):
    # Events show their hub's name and place: a saved hub changes the feeds too.
    changes = [(hub, "name", "Pop Place (rénovée)")]
    if "events" in url:
        changes.append((event, "title", "Atelier impression 3D (complet)"))
    for record, field, value in changes:
        first = _first(client, url)
        setattr(record, field, value)
        record.save()
        for etag in (first["ETag"], f"W/{first['ETag']}"):
            response = client.get(url, headers={"If-None-Match": etag})
            assert response.status_code == 200, (record, etag)
            assert response["ETag"] != first["ETag"]
            new = parse_http_date(response["Last-Modified"])
            assert new >= parse_http_date(first["Last-Modified"])
        # The new ETag answers 304 in turn.
        assert client.get(url, headers={"If-None-Match": response["ETag"]}).status_code == 304


def test_a_304_costs_no_more_queries_than_before(client, django_assert_max_num_queries):
    factories.hub()
    first = client.get("/api/v1/hubs.geojson")
    # The selection's row count and newest change, the kinds' version: nothing rendered.
    with django_assert_max_num_queries(2):
        again = client.get("/api/v1/hubs.geojson", headers={"If-None-Match": f"W/{first['ETag']}"})
    assert again.status_code == 304
