"""The OpenAPI 3.1 description of ``/api/v1/``, written by hand (issue 17, item 7).

One dict, served at ``/api/v1/openapi.json`` and printed at ``/api/v1/``. The
query parameters shared by several operations are defined once in
``components/parameters``; the enumerations come from the models' choices, so a
new status or kind cannot drift from the code. The tests check that every
``/api/v1/`` URL and every filter of the FilterSets behind them is described,
validate the document (openapi-spec-validator) and run Schemathesis over every
operation. Descriptions are in English, like the code; ``API_VERSION`` changes
when the document does.
"""

from events.models import Event
from funding.coverage import DISTANCES
from funding.models import FinancingLine, Funder
from hubs.models import Hub
from hubs.national_schema import COLUMN_NAMES, SCHEMA_VERSION
from places.filters import MAX_RADIUS_KM

API_VERSION = "1.0.0"

GEOJSON = "application/geo+json"
CSV = "text/csv"
ICALENDAR = "text/calendar"
JSON = "application/json"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

SLUG = {"type": "string", "pattern": "^[-a-zA-Z0-9_]+$", "maxLength": 100}
FLAG = {"type": "string", "enum": ["1", "0", "true", "false"]}


def _values(choices) -> list[str]:
    return [value for value, _label in choices]


def _query(name, description, schema, example=None, array=False):
    parameter = {
        "name": name,
        "in": "query",
        "required": False,
        "description": description,
        "schema": {"type": "array", "items": schema} if array else schema,
    }
    if array:
        parameter["style"] = "form"
        parameter["explode"] = True
    if example is not None:
        parameter["example"] = example
    return parameter


def _ref(kind: str, name: str) -> dict:
    return {"$ref": f"#/components/{kind}/{name}"}


# Where and words: places.filters.PlaceFilterSet (hubs and events).
PLACE_PARAMETERS = {
    "q": _query(
        "q",
        "Words searched in the name, summary, operator, address, commune and kinds; "
        "accents and case ignored.",
        {"type": "string", "maxLength": 200},
        "fablab",
    ),
    "territory": _query(
        "territory",
        "A territory code: `commune:59606` or `59606` (INSEE), `epci:245901160` or "
        "`245901160` (SIREN), `dep:59` or `59`, `region:32` (a région must be prefixed).",
        {"type": "string", "maxLength": 30},
        "dep:59",
    ),
    "place": _query(
        "place",
        "Free text as typed in the « Où ? » box: a commune searches around it, a larger "
        "territory inside it. Unknown: 400.",
        {"type": "string", "maxLength": 120},
        "Valenciennes",
    ),
    "bbox": _query(
        "bbox",
        "A box `minLon,minLat,maxLon,maxLat` (WGS84).",
        {"type": "string", "maxLength": 100},
        "2.9,50.2,3.7,50.5",
    ),
    "near": _query(
        "near",
        "A point `lat,lng`: only what lies within `radius_km` of it.",
        {"type": "string", "maxLength": 60},
        "50.357,3.523",
    ),
    "radius_km": _query(
        "radius_km",
        f"Radius around `near` or `place`, 0.1 to {MAX_RADIUS_KM} km (10 by default).",
        {"type": "number", "minimum": 0.1, "maximum": MAX_RADIUS_KM},
        20,
    ),
}

HUB_PARAMETERS = {
    "hub_kind": _query("kind", "Hub kinds (slugs), any of them.", SLUG, ["fablab"], array=True),
    "hub_equipment": _query(
        "equipment", "Equipment and services (slugs), all of them.", SLUG, ["imprimante-3d"], True
    ),
    "hub_audience": _query("audience", "Audiences (slugs), any of them.", SLUG, None, True),
    "hub_label": _query("label", "Labels and networks (slugs), any of them.", SLUG, None, True),
    "hub_status": _query(
        "status",
        "The hub's state, any of them.",
        {"type": "string", "enum": _values(Hub.Status.choices)},
        ["open"],
        array=True,
    ),
    "hub_open_now": _query(
        "open_now",
        "`1`: open now (Paris time), from the OpenStreetMap `opening_hours`.",
        FLAG,
        "1",
    ),
    "hub_open_at": _query(
        "open_at",
        "Open at that moment (ISO 8601; without an offset, Paris time).",
        {"type": "string", "format": "date-time"},
        "2026-12-01T10:00:00+01:00",
    ),
    "hub_free": _query("free", "`1`: free of charge only.", FLAG, "1"),
    "hub_wheelchair": _query("wheelchair", "`1`: accessible in a wheelchair only.", FLAG, "1"),
}

EVENT_PARAMETERS = {
    "event_kind": _query(
        "kind",
        "Event kinds, any of them.",
        {"type": "string", "enum": _values(Event.Kind.choices)},
        ["atelier"],
        array=True,
    ),
    "event_hub": _query("hub", "The organising hub (its slug).", SLUG),
    "event_start": _query(
        "start",
        "Events that end on or after this day (1990–2100).",
        {"type": "string", "format": "date"},
        "2026-07-01",
    ),
    "event_end": _query(
        "end",
        "Events that start on or before this day (1990–2100); not before `start`.",
        {"type": "string", "format": "date"},
        "2026-07-31",
    ),
    "event_free": _query(
        "free", "`1`: free events only.", {"type": "string", "enum": ["1", "0", "oui", "non"]}
    ),
    "event_when": _query(
        "when",
        "Time window: upcoming (ongoing included), past or all. Default: upcoming; the "
        "iCalendar feed without a date filter keeps the last 60 days and what is to come.",
        {"type": "string", "enum": ["upcoming", "past", "all"]},
        "upcoming",
    ),
}

FUNDING_PARAMETERS = {
    "funding_year_from": _query(
        "year_from",
        "From this year (of the decision, else of the start).",
        {
            "type": "integer",
            "minimum": 1990,
            "maximum": 2100,
        },
        2015,
    ),
    "funding_year_to": _query(
        "year_to",
        "Up to this year; not before `year_from`.",
        {
            "type": "integer",
            "minimum": 1990,
            "maximum": 2100,
        },
        2024,
    ),
    "funding_fund": _query("fund", "Funders (slugs).", SLUG, None, array=True),
    "funding_category": _query(
        "category",
        "Funder categories.",
        {"type": "string", "enum": _values(Funder.Category.choices)},
        ["eu_fund"],
        array=True,
    ),
    "funding_kind": _query("kind", "Kinds of the funded hubs (slugs).", SLUG, None, True),
    "funding_hub": _query("hub", "One hub (its slug).", {"type": "string", "maxLength": 200}),
    "funding_distance_km": _query(
        "distance_km",
        "Distance of the dashboard's coverage table (no effect on the lines).",
        {"type": "integer", "enum": list(DISTANCES)},
    ),
    "funding_status": _query(
        "status",
        "States of the financing lines.",
        {"type": "string", "enum": _values(FinancingLine.Status.choices)},
        ["granted"],
        array=True,
    ),
}

HEADER_PARAMETERS = {
    "if_none_match": {
        "name": "If-None-Match",
        "in": "header",
        "required": False,
        "description": "An ETag this URL answered: 304 when the selection has not changed.",
        "schema": {"type": "string", "pattern": '^(W/)?"[0-9a-f]{32}"$'},
    },
}

PLACE_REFS = [_ref("parameters", name) for name in PLACE_PARAMETERS]
HUB_REFS = PLACE_REFS + [_ref("parameters", name) for name in HUB_PARAMETERS]
EVENT_REFS = PLACE_REFS + [_ref("parameters", name) for name in EVENT_PARAMETERS]
FUNDING_REFS = [_ref("parameters", "territory")] + [
    _ref("parameters", name) for name in FUNDING_PARAMETERS
]
CONDITIONAL_REFS = [_ref("parameters", "if_none_match")]

NULLABLE_STRING = {"type": ["string", "null"]}
POINT = {
    "type": "object",
    "required": ["type", "coordinates"],
    "properties": {
        "type": {"const": "Point"},
        "coordinates": {
            "type": "array",
            "description": "[longitude, latitude], WGS84.",
            "items": {"type": "number"},
            "minItems": 2,
            "maxItems": 2,
        },
    },
}


def _feature_collection(properties: dict, required: list[str]) -> dict:
    return {
        "type": "object",
        "required": ["type", "features"],
        "properties": {
            "type": {"const": "FeatureCollection"},
            "features": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": ["type", "id", "geometry", "properties"],
                    "properties": {
                        "type": {"const": "Feature"},
                        "id": {"type": "integer"},
                        "geometry": POINT,
                        "properties": {
                            "type": "object",
                            "required": required,
                            "properties": properties,
                            "additionalProperties": False,
                        },
                    },
                },
            },
        },
    }


SCHEMAS = {
    "Error": {
        "type": "object",
        "description": "A bad parameter: a sentence, then the messages by parameter name.",
        "required": ["message", "errors"],
        "properties": {
            "message": {"type": "string"},
            "errors": {
                "type": "object",
                "additionalProperties": {"type": "array", "items": {"type": "string"}},
            },
        },
        "example": {
            "message": "Paramètre invalide : bbox.",
            "errors": {"bbox": ["Attendu : minLon,minLat,maxLon,maxLat."]},
        },
    },
    "HubFeatures": _feature_collection(
        {
            "slug": {"type": "string", "description": "The page is `/hubs/<slug>/`."},
            "name": {"type": "string"},
            "kinds": {"type": "array", "items": {"type": "string"}},
            "distance_km": {
                "type": "number",
                "description": "Distance to `near` (or `place`), when one is given.",
            },
        },
        ["slug", "name", "kinds"],
    ),
    "EventFeatures": _feature_collection(
        {
            "id": {"type": "integer"},
            "slug": {"type": "string"},
            "title": {"type": "string"},
            "start": {"type": "string", "format": "date-time"},
            "end": {"type": "string", "format": "date-time"},
            "all_day": {"type": "boolean"},
            "kind": {"type": "string", "enum": _values(Event.Kind.choices)},
            "kind_label": {"type": "string"},
            "status": {"type": "string", "enum": _values(Event.Status.choices)},
            "commune": NULLABLE_STRING,
            "url": {"type": "string", "description": "The event's page (a path)."},
        },
        ["id", "slug", "title", "start", "end", "all_day", "kind", "status", "url"],
    ),
    "Hub": {
        "type": "object",
        "description": "What a map popup shows beyond the GeoJSON.",
        "required": ["id", "slug", "name", "url", "status"],
        "properties": {
            "id": {"type": "integer"},
            "slug": {"type": "string"},
            "name": {"type": "string"},
            "url": {"type": "string", "description": "The hub's page (a path)."},
            "summary": {"type": "string"},
            "address": {"type": "string"},
            "postcode": NULLABLE_STRING,
            "commune": {"type": "string"},
            "status": {"type": "string", "enum": _values(Hub.Status.choices)},
            "status_label": {"type": "string"},
        },
    },
    "NationalRecord": {
        "type": "object",
        "description": f"One place in the national schema « lieux de médiation numérique » "
        f"{SCHEMA_VERSION}; empty columns are left out; lists are joined with `|`.",
        "required": ["id", "nom", "latitude", "longitude"],
        "properties": {
            name: {"type": "number"} if name in ("latitude", "longitude") else {"type": "string"}
            for name in COLUMN_NAMES
        },
        "additionalProperties": False,
    },
    "Territories": {
        "type": "object",
        "required": ["results"],
        "properties": {
            "results": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": ["type", "code", "name", "label"],
                    "properties": {
                        "type": {"type": "string", "enum": ["commune", "epci", "dep", "region"]},
                        "code": {
                            "type": "string",
                            "description": "For `territory` (`commune:59606`…).",
                        },
                        "name": {"type": "string"},
                        "label": {"type": "string"},
                        "context": {"type": "string"},
                        "lat": {"type": ["number", "null"]},
                        "lng": {"type": ["number", "null"]},
                    },
                },
            }
        },
    },
}

TEXT = {"type": "string"}
VALIDATOR_HEADERS = {
    "ETag": {"description": "The selection's validator.", "schema": {"type": "string"}},
    "Last-Modified": {"description": "When the newest record changed.", "schema": TEXT},
}
RESPONSES = {
    "NotModified": {"description": "Unchanged since the given ETag or date (no body)."},
    "BadRequest": {
        "description": "A malformed or unknown value: the parameters named, never a 500.",
        "content": {JSON: {"schema": _ref("schemas", "Error")}},
    },
    "NotFound": {"description": "No such published record."},
}


def _operation(
    operation_id: str,
    tag: str,
    summary: str,
    description: str,
    parameters: list,
    media_type: str,
    schema: dict,
    conditional: bool = True,
    filtered: bool = True,
    not_found: bool = False,
) -> dict:
    ok = {"description": "OK", "content": {media_type: {"schema": schema}}}
    if conditional:
        ok["headers"] = VALIDATOR_HEADERS
    responses = {"200": ok}
    if conditional:
        responses["304"] = _ref("responses", "NotModified")
    if filtered:
        responses["400"] = _ref("responses", "BadRequest")
    if not_found:
        responses["404"] = _ref("responses", "NotFound")
    return {
        "get": {
            "operationId": operation_id,
            "tags": [tag],
            "summary": summary,
            "description": description,
            "parameters": parameters + (CONDITIONAL_REFS if conditional else []),
            "responses": responses,
        }
    }


def document() -> dict:
    """The whole OpenAPI document (a new dict each call)."""
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Lieux numériques — API",
            "version": API_VERSION,
            "description": (
                "Open data of the directory of digital hubs: the hubs (GeoJSON, CSV, "
                "JSON, and the national schema « lieux de médiation numérique »), their "
                "agenda (iCalendar, GeoJSON), their funding (CSV, XLSX) and a territory "
                "look-up. Read-only, no key, CORS open (`Access-Control-Allow-Origin: *`). "
                "Answers carry `ETag` and `Last-Modified`: send them back for a 304. "
                "A bad parameter is a 400 with a JSON body naming it."
            ),
            "license": {
                "name": "Licence Ouverte 2.0",
                "url": "https://www.etalab.gouv.fr/licence-ouverte-open-licence/",
            },
        },
        "servers": [{"url": "/api/v1", "description": "This site"}],
        "tags": [
            {"name": "hubs", "description": "Digital hubs"},
            {"name": "events", "description": "The agenda"},
            {"name": "funding", "description": "Financing lines"},
            {"name": "territories", "description": "Communes, EPCI, départements, régions"},
            {"name": "about", "description": "This description"},
        ],
        "paths": {
            "/hubs.geojson": _operation(
                "hubsGeojson",
                "hubs",
                "Hubs as GeoJSON",
                "The published hubs of the selection, RFC 7946 points, compact properties "
                "(nearest first around `near` or a commune's `place`, else by `id`).",
                HUB_REFS,
                GEOJSON,
                _ref("schemas", "HubFeatures"),
            ),
            "/hubs.csv": _operation(
                "hubsCsv",
                "hubs",
                "Hubs as CSV",
                "The same selection, UTF-8 CSV with a BOM and a header row.",
                HUB_REFS,
                CSV,
                TEXT,
            ),
            "/hubs/{pk}.json": _operation(
                "hubJson",
                "hubs",
                "One hub",
                "A published hub's place, summary and state.",
                [
                    {
                        "name": "pk",
                        "in": "path",
                        "required": True,
                        "description": "The hub's number (the GeoJSON feature's `id`).",
                        "schema": {"type": "integer", "minimum": 0, "maximum": 2**31 - 1},
                        "example": 1,
                    }
                ],
                JSON,
                _ref("schemas", "Hub"),
                filtered=False,
                not_found=True,
            ),
            "/lieux-mediation-numerique.csv": _operation(
                "nationalCsv",
                "hubs",
                "Hubs in the national schema (CSV)",
                f"The published hubs of the selection in the national schema « lieux de "
                f"médiation numérique » {SCHEMA_VERSION}: UTF-8 CSV in the schema's column "
                "order.",
                HUB_REFS,
                CSV,
                TEXT,
            ),
            "/lieux-mediation-numerique.json": _operation(
                "nationalJson",
                "hubs",
                "Hubs in the national schema (JSON)",
                "The same records as a JSON array.",
                HUB_REFS,
                JSON,
                {"type": "array", "items": _ref("schemas", "NationalRecord")},
            ),
            "/events.ics": _operation(
                "eventsIcs",
                "events",
                "The agenda as an iCalendar feed",
                "RFC 5545 feed, at most the 1,000 soonest events of the selection.",
                EVENT_REFS,
                ICALENDAR,
                TEXT,
            ),
            "/events.geojson": _operation(
                "eventsGeojson",
                "events",
                "Events as GeoJSON",
                "The events of the selection that have a public place, as points.",
                EVENT_REFS,
                GEOJSON,
                _ref("schemas", "EventFeatures"),
            ),
            "/funding.csv": _operation(
                "fundingCsv",
                "funding",
                "Financing lines as CSV",
                "The financing lines of the published hubs of the selection, one per row "
                "(codes, dot decimals), UTF-8 with a BOM.",
                FUNDING_REFS,
                CSV,
                TEXT,
                conditional=False,
            ),
            "/funding.xlsx": _operation(
                "fundingXlsx",
                "funding",
                "Financing lines and dashboard tables as a spreadsheet",
                "The same lines and every table of the dashboard, one sheet each, French labels.",
                FUNDING_REFS,
                XLSX,
                {"type": "string", "contentMediaType": XLSX},
                conditional=False,
            ),
            "/territories/autocomplete": _operation(
                "territoriesAutocomplete",
                "territories",
                "Territory suggestions",
                "Communes (name, postcode, INSEE code) matching the start of `q`, then "
                "régions, départements and EPCI; their `code` is a `territory` value.",
                [
                    _query(
                        "q",
                        "The start of a name, a postcode or a code (100 characters used).",
                        {"type": "string"},
                        "valenc",
                    )
                ],
                JSON,
                _ref("schemas", "Territories"),
                conditional=False,
                filtered=False,
            ),
            "/openapi.json": _operation(
                "openapi",
                "about",
                "This document",
                "The OpenAPI 3.1 description of the API.",
                [],
                JSON,
                {"type": "object", "required": ["openapi", "info", "paths"]},
                conditional=False,
                filtered=False,
            ),
            "/": _operation(
                "documentation",
                "about",
                "The documentation page",
                "This document as a readable page (HTML).",
                [],
                "text/html",
                TEXT,
                conditional=False,
                filtered=False,
            ),
        },
        "components": {
            "parameters": {
                **PLACE_PARAMETERS,
                **HUB_PARAMETERS,
                **EVENT_PARAMETERS,
                **FUNDING_PARAMETERS,
                **HEADER_PARAMETERS,
            },
            "schemas": SCHEMAS,
            "responses": RESPONSES,
        },
    }
