"""Arbitrary query strings against every public URL and API: a page answers 200 or
the 400 of its form's error, never a server error nor anything else.

The URLs come from the URLconf itself (every route outside the admin), one test
per route, so a new page is fuzzed the day it is added; path parameters are
filled with real records. Parameter names mix the site's own (``kind``, ``bbox``,
``page``…) with random ones, each given one to three values; values mix random
text with the shapes that broke parsers elsewhere. This is the suite's only fuzz
test: the hub, event and funding pages and APIs are routes of it.
"""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests import factories

KNOWN_PARAMETERS = [
    # hubs and events (places.filters)
    "q",
    "territory",
    "place",
    "bbox",
    "near",
    "radius_km",
    "page",
    "view",
    # hubs
    "kind",
    "equipment",
    "audience",
    "label",
    "status",
    # events
    "when",
    "start",
    "end",
    "hub",
    "free",
    # funding
    "years",
    "year_from",
    "year_to",
    "fund",
    "category",
    "funder",
]
AWKWARD_VALUES = [
    # boxes, points, numbers
    "1,2,3,4",
    "50,3",
    ",",
    "-1",
    "0",
    "1",
    "1e9",
    "99999999999999999999",
    "nan",
    "inf",
    "1e400",
    # territories
    "59",
    "region:32",
    "dep:",
    "epci:245901160",
    # dates and periods
    "2016",
    "2026-10-26",
    "2026-02-30",
    "9999-12-31",
    "99999-01-01",
    "upcoming",
    "past",
    "all",
    # words the filters know
    "atelier",
    "fse",
    # bytes and markup
    "%00",
    "\x00",
    "é" * 300,
    "<script>",
    "' OR 1=1 --",
]
#: Routes that answer something else than their page or a 400 to any query string.
OTHER_ANSWERS = {
    "events/month/": {302},  # to the current month
    "i18n/setlang/": {204, 302},  # Django's set_language, asked with GET
    ".well-known/security.txt": {200, 404},  # a 404 until DJANGO_SECURITY_CONTACT is set
    "sitemap-<slug:section>.xml": {200, 404},  # ?p= beyond the last page (Django's view)
    # The hub managers' area: to its login page without an account; logging out is a POST.
    "gestion/": {302},
    "gestion/compte/": {302},
    "gestion/mot-de-passe/": {302},
    "gestion/lieux/<slug:slug>/": {302},
    "gestion/lieux/<slug:slug>/evenements/nouveau/": {302},
    "gestion/lieux/<slug:slug>/evenements/<int:pk>/": {302},
    "gestion/lieux/<slug:slug>/photos/<int:pk>/retirer/": {302},
    "gestion/deconnexion/": {405},
}

query_strings = st.dictionaries(
    st.sampled_from(KNOWN_PARAMETERS) | st.text(min_size=1, max_size=12),
    st.lists(st.text(max_size=40) | st.sampled_from(AWKWARD_VALUES), min_size=1, max_size=3),
    max_size=4,
)


def public_routes(resolver=None, prefix=""):
    """The path template of every route of the site but the admin's."""
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        route = prefix + str(entry.pattern)
        if route.startswith("admin/") or route.startswith("media/") or route.startswith("^"):
            continue
        if isinstance(entry, URLResolver):
            yield from public_routes(entry, route)
        elif isinstance(entry, URLPattern):
            yield route


ROUTES = sorted(set(public_routes()))


def concrete_url(route, hub, event) -> str:
    values = {
        "<slug:slug>/events.ics": f"{hub.slug}/events.ics",
        "<int:pk>": str(hub.pk),
        "<int:year>/<int:month>": "2026/11",
        "<str:language>": "en",
        "<slug:section>": "hubs",
        "<str:token>": "not-a-signed-token",  # the « toujours exact » link: a 400
    }
    url = route
    for template, value in values.items():
        url = url.replace(template, value)
    if "<slug:slug>" in url:
        url = url.replace("<slug:slug>", event.slug if url.startswith("events/") else hub.slug)
    assert "<" not in url, route
    return "/" + url


@pytest.fixture
def records(db):
    hub = factories.hub(slug="fuzz-hub")
    return hub, factories.event("Atelier fuzz", hub=hub, slug="atelier-fuzz")


def test_every_public_route_is_covered(records):
    urls = [concrete_url(route, *records) for route in ROUTES]
    for expected in ["/", "/hubs/", "/hubs/fuzz-hub/", "/events/", "/funding/", "/healthz"]:
        assert expected in urls
    for expected in ["/robots.txt", "/sitemap.xml", "/sitemap-hubs.xml"]:
        assert expected in urls
    for api in [
        "hubs.geojson",
        "hubs.csv",
        "events.geojson",
        "events.ics",
        "funding.csv",
        "funding.xlsx",
    ]:
        assert f"/api/v1/{api}" in urls
    assert "/hubs/fuzz-hub/events.ics" in urls and "/events/month/2026/11/" in urls
    assert len(urls) >= 20


@pytest.mark.parametrize("route", ROUTES)
@settings(
    max_examples=50, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(params=query_strings)
def test_no_query_string_makes_a_server_error(client, records, route, params):
    url = concrete_url(route, *records)
    response = client.get(url, params)
    expected = OTHER_ANSWERS.get(route, {200, 400})
    assert response.status_code in expected, (url, params, response.status_code)
