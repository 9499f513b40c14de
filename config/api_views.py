"""The API's own description: the OpenAPI document and its readable page."""

import json

from django.http import JsonResponse
from django.shortcuts import render
from django.utils.cache import patch_vary_headers
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe

from . import openapi

DOC_CACHE_SECONDS = 3600


@require_safe
@cache_control(public=True, max_age=DOC_CACHE_SECONDS)
def openapi_json(request):
    return JsonResponse(openapi.document(), json_dumps_params={"ensure_ascii": False, "indent": 1})


def _resolve(document: dict, item: dict) -> dict:
    """``item`` itself, or what its ``$ref`` (``#/components/...``) points to."""
    ref = item.get("$ref")
    if not ref:
        return item
    node = document
    for part in ref.removeprefix("#/").split("/"):
        node = node[part]
    return node


def _code_spans(text: str) -> str:
    """The description's `code` spans as <code>, everything else escaped."""
    parts = escape(text).split("`")
    html = "".join(f"<code>{part}</code>" if i % 2 else part for i, part in enumerate(parts))
    return mark_safe(html)  # noqa: S308 (escaped above)


def _schema_text(schema: dict) -> str:
    """A short reading of a parameter's schema: ``string``, ``one of: a, b``…"""
    if schema.get("type") == "array":
        return _schema_text(schema["items"]) + " ×n"
    if "enum" in schema:
        return " | ".join(str(value) for value in schema["enum"])
    text = schema.get("type", "")
    if "format" in schema:
        text += f" ({schema['format']})"
    if "minimum" in schema and "maximum" in schema:
        text += f" {schema['minimum']}–{schema['maximum']}"
    return text


def _example_query(parameters: list[dict]) -> str:
    pairs = []
    for parameter in parameters:
        if parameter["in"] != "query" or "example" not in parameter:
            continue
        values = parameter["example"]
        for value in values if isinstance(values, list) else [values]:
            pairs.append(f"{parameter['name']}={value}")
    return "&".join(pairs[:2])


def operations(document: dict) -> list[dict]:
    """Every operation, its parameters resolved, with a URL to try."""
    base = document["servers"][0]["url"]
    rows = []
    for path, item in document["paths"].items():
        for method, operation in item.items():
            parameters = [_resolve(document, p) for p in operation.get("parameters", [])]
            url = base + path
            for parameter in parameters:
                if parameter["in"] == "path":
                    url = url.replace(f"{{{parameter['name']}}}", str(parameter["example"]))
            example = _example_query(parameters)
            responses = []
            for status, response in operation["responses"].items():
                response = _resolve(document, response)
                responses.append(
                    {
                        "status": status,
                        "description": response["description"],
                        "types": list(response.get("content", {})),
                    }
                )
            rows.append(
                {
                    "id": operation["operationId"],
                    "method": method.upper(),
                    "path": base + path,
                    "tag": operation["tags"][0],
                    "summary": operation["summary"],
                    "description": operation["description"],
                    "description_html": _code_spans(operation["description"]),
                    "parameters": [
                        {
                            **p,
                            "schema_text": _schema_text(p["schema"]),
                            "description_html": _code_spans(p["description"]),
                        }
                        for p in parameters
                    ],
                    "responses": responses,
                    "try_url": url,
                    "example_url": f"{url}?{example}" if example else "",
                }
            )
    return rows


@require_safe
@cache_control(public=True, max_age=DOC_CACHE_SECONDS)
def documentation(request):
    document = openapi.document()
    error_example = document["components"]["schemas"]["Error"]["example"]
    context = {
        "info": document["info"],
        "operations": operations(document),
        "error_example": json.dumps(error_example, ensure_ascii=False, indent=2),
    }
    response = render(request, "api/documentation.html", context)
    patch_vary_headers(response, ("Accept-Language", "Cookie"))  # the page's language
    return response
