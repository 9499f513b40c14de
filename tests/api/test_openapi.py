"""The OpenAPI document, its page and CORS on /api/v1/ (issue 17, item 7)."""

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver
from openapi_spec_validator import validate

from config import openapi
from events.filters import EventFilterSet
from funding.filters import FundingFilterSet
from hubs.filters import HubFilterSet


def _api_routes() -> set[str]:
    """Every route of config/api_urls.py, as an OpenAPI path (``<int:pk>`` → ``{pk}``)."""
    (api,) = [
        p
        for p in get_resolver().url_patterns
        if isinstance(p, URLResolver) and p.namespace == "api"
    ]
    routes = set()
    for pattern in api.url_patterns:
        assert isinstance(pattern, URLPattern)
        routes.add("/" + re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", str(pattern.pattern)))
    return routes


def _query_names(path: str) -> set[str]:
    document = openapi.document()
    names = set()
    for parameter in document["paths"][path]["get"]["parameters"]:
        name = parameter["$ref"].rsplit("/", 1)[1] if "$ref" in parameter else None
        parameter = document["components"]["parameters"][name] if name else parameter
        if parameter["in"] == "query":
            names.add(parameter["name"])
    return names


def test_the_document_is_valid_openapi_3_1():
    document = openapi.document()
    assert document["openapi"] == "3.1.0"
    validate(document)


def test_every_api_url_is_described():
    assert _api_routes() == set(openapi.document()["paths"])


@pytest.mark.parametrize(
    ("filterset", "paths"),
    [
        (
            HubFilterSet,
            [
                "/hubs.geojson",
                "/hubs.csv",
                "/lieux-mediation-numerique.csv",
                "/lieux-mediation-numerique.json",
            ],
        ),
        (EventFilterSet, ["/events.ics", "/events.geojson"]),
        (FundingFilterSet, ["/funding.csv", "/funding.xlsx"]),
    ],
)
def test_every_filter_is_documented(filterset, paths):
    for path in paths:
        assert _query_names(path) == set(filterset.base_filters), path


def test_the_filtered_operations_document_their_400():
    document = openapi.document()
    for path, item in document["paths"].items():
        if _query_names(path) - {"q"}:
            assert item["get"]["responses"]["400"] == {"$ref": "#/components/responses/BadRequest"}


@pytest.mark.django_db
def test_the_document_is_served_cacheable_and_open(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert response.json() == openapi.document()
    assert "public" in response["Cache-Control"]
    assert response["Access-Control-Allow-Origin"] == "*"


@pytest.mark.django_db
def test_the_400_body_matches_the_error_schema(client):
    import jsonschema

    response = client.get("/api/v1/hubs.geojson?bbox=nonsense")
    assert response.status_code == 400
    jsonschema.validate(response.json(), openapi.document()["components"]["schemas"]["Error"])
    assert response["Access-Control-Allow-Origin"] == "*"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/hubs.geojson",
        "/api/v1/hubs.csv",
        "/api/v1/lieux-mediation-numerique.json",
        "/api/v1/events.ics",
        "/api/v1/events.geojson",
        "/api/v1/funding.csv",
        "/api/v1/territories/autocomplete?q=val",
        "/api/v1/",
    ],
)
def test_cors_on_get_and_head(client, url):
    # Every read answers HEAD too (link checkers, caches): require_safe, not require_GET.
    for method in (client.get, client.head):
        response = method(url, HTTP_ORIGIN="https://example.org")
        assert response.status_code == 200
        assert response["Access-Control-Allow-Origin"] == "*"
        assert "Access-Control-Allow-Credentials" not in response
        assert "ETag" in response["Access-Control-Expose-Headers"]


@pytest.mark.django_db
def test_cors_keeps_the_views_vary(client):
    response = client.get("/api/v1/hubs.geojson")
    assert "Accept-Language" in response["Vary"]
    assert "Origin" not in response["Vary"]


@pytest.mark.django_db
def test_a_preflight_is_answered_for_get(client):
    response = client.options(
        "/api/v1/hubs.geojson",
        HTTP_ORIGIN="https://example.org",
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET",
        HTTP_ACCESS_CONTROL_REQUEST_HEADERS="if-none-match",
    )
    assert response.status_code == 204
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "GET" in response["Access-Control-Allow-Methods"]
    assert "If-None-Match" in response["Access-Control-Allow-Headers"]
    assert "POST" not in response["Access-Control-Allow-Methods"]


@pytest.mark.django_db
def test_a_post_is_still_refused_without_cors(client):
    response = client.post("/api/v1/hubs.geojson")
    assert response.status_code == 405
    assert "Access-Control-Allow-Origin" not in response


@pytest.mark.django_db
def test_no_cors_outside_the_api(client):
    assert "Access-Control-Allow-Origin" not in client.get("/hubs/")
    assert "Access-Control-Allow-Origin" not in client.get("/admin/login/")


@pytest.mark.django_db
def test_the_documentation_page_lists_every_operation(client):
    response = client.get("/api/v1/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    html = response.content.decode()
    assert "API ouverte" in html  # French by default
    for path, item in openapi.document()["paths"].items():
        operation = item["get"]
        assert f'id="{operation["operationId"]}"' in html
        assert f"/api/v1{path}" in html
    # Parameters with their values and a link to try an example.
    assert "<code>wheelchair</code>" in html
    assert 'href="/api/v1/hubs/1.json"' in html
    assert "/api/v1/hubs.geojson?q=fablab" in html
    assert "<script" not in html.split("<main", 1)[-1].split("</main>", 1)[0]


@pytest.mark.django_db
def test_the_documentation_page_in_english(client):
    response = client.get("/api/v1/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
