"""Answers of the events API: 400 on bad input, 304 when unchanged, cache headers.

The same contract as the hubs API (see hubs.views): clients and caches see one
behaviour for every ``/api/v1/`` URL.
"""

import hashlib

from django.core.cache import cache
from django.http import HttpResponse, JsonResponse
from django.utils.http import http_date, quote_etag
from django.utils.translation import gettext as _

from . import selectors

API_CACHE_SECONDS = 60


def bad_request(filterset) -> JsonResponse:
    errors = filterset.error_summary()
    message = _("Paramètre invalide : %(names)s.") % {"names": ", ".join(sorted(errors))}
    return JsonResponse(
        {"message": message, "errors": errors},
        status=400,
        json_dumps_params={"ensure_ascii": False},
    )


def conditional_response(
    request, queryset, variant: str, render, cache_seconds: int = 0
) -> HttpResponse:
    """304 when the client's ETag still matches the selection, else ``render()``.

    With ``cache_seconds`` the rendered response is kept in Django's cache under its
    ETag: the next client without the ETag gets it without a new rendering.
    """
    count, last = selectors.freshness(queryset)
    # The host is part of it: the body carries absolute URLs back to the site.
    key = "|".join(
        [
            request.get_host(),
            request.path,
            request.GET.urlencode(),
            str(count),
            last.isoformat() if last else "",
            variant,
        ]
    )
    etag = quote_etag(hashlib.sha256(key.encode()).hexdigest()[:32])
    client_etags = [tag.strip() for tag in request.headers.get("If-None-Match", "").split(",")]
    unchanged = etag in client_etags or "*" in client_etags
    if unchanged:
        response = HttpResponse(status=304)
    elif cache_seconds:
        cache_key = f"events-response:{etag}"
        response = cache.get(cache_key)
        if response is None:
            response = render()
            cache.set(cache_key, response, cache_seconds)
    else:
        response = render()
    response["ETag"] = etag
    if last:
        response["Last-Modified"] = http_date(last.timestamp())
    response["Cache-Control"] = f"public, max-age={API_CACHE_SECONDS}"
    response["Access-Control-Allow-Origin"] = "*"
    return response
