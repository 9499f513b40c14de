"""Arbitrary query strings against every public URL and API: never a server error.

The URLs come from the URLconf itself (every route outside the admin), so a new
page is fuzzed the day it is added; path parameters are filled with real records.
Parameter names mix the site's own (``kind``, ``bbox``, ``page``…) with random
ones; values mix random text with the shapes that broke parsers elsewhere.
"""

import datetime

import pytest
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from events.models import Event
from tests import factories

KNOWN_PARAMETERS = [
    "q",
    "kind",
    "equipment",
    "audience",
    "label",
    "status",
    "territory",
    "place",
    "bbox",
    "near",
    "radius_km",
    "page",
    "when",
    "view",
    "start",
    "end",
    "hub",
    "free",
    "years",
    "year_from",
    "year_to",
    "fund",
    "category",
    "funder",
]
AWKWARD_VALUES = [
    "1,2,3,4",
    "50,3",
    "-1",
    "0",
    "99999999999999999999",
    "nan",
    "inf",
    "1e400",
    "region:32",
    "dep:",
    "epci:245901160",
    "2026-02-30",
    "9999-12-31",
    ",",
    "%00",
    "\x00",
    "é" * 300,
    "<script>",
    "' OR 1=1 --",
]


def public_routes(resolver=None, prefix=""):
    """(path template, pattern) of every route of the site but the admin's."""
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        route = prefix + str(entry.pattern)
        if route.startswith("admin/") or route.startswith("media/") or route.startswith("^"):
            continue
        if isinstance(entry, URLResolver):
            yield from public_routes(entry, route)
        elif isinstance(entry, URLPattern):
            yield route


def concrete_urls(hub, event) -> list[str]:
    values = {
        "<slug:slug>/events.ics": f"{hub.slug}/events.ics",
        "<int:pk>": str(hub.pk),
        "<int:year>/<int:month>": "2026/11",
        "<str:language>": "en",
    }
    urls = []
    for route in public_routes():
        url = route
        for template, value in values.items():
            url = url.replace(template, value)
        if "<slug:slug>" in url:
            url = url.replace("<slug:slug>", event.slug if url.startswith("events/") else hub.slug)
        assert "<" not in url, route
        urls.append("/" + url)
    return sorted(set(urls))


@pytest.fixture
def records(db):
    hub = factories.hub(slug="fuzz-hub", publication="published")
    start = timezone.now() + datetime.timedelta(days=2)
    event = Event.objects.create(
        title="Atelier fuzz",
        slug="atelier-fuzz",
        kind=Event.Kind.WORKSHOP,
        hub=hub,
        start=start,
        end=start + datetime.timedelta(hours=2),
        publication=Event.Publication.PUBLISHED,
    )
    return hub, event


def test_every_public_route_is_covered(records):
    urls = concrete_urls(*records)
    for expected in ["/", "/hubs/", "/hubs/fuzz-hub/", "/events/", "/funding/", "/healthz"]:
        assert expected in urls
    assert any(url.startswith("/api/v1/") for url in urls)
    assert len(urls) >= 15


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    params=st.dictionaries(
        st.sampled_from(KNOWN_PARAMETERS) | st.text(min_size=1, max_size=12),
        st.lists(st.text(max_size=40) | st.sampled_from(AWKWARD_VALUES), min_size=1, max_size=3),
        max_size=4,
    )
)
def test_no_query_string_makes_a_server_error(client, records, params):
    for url in concrete_urls(*records):
        response = client.get(url, params)
        assert response.status_code < 500, (url, params, response.status_code)
