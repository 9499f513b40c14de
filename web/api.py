"""The contract every ``/api/v1/`` URL keeps: 400 on bad input, 304 when unchanged.

Clients and caches see one behaviour: a JSON ``{"message", "errors"}`` naming the
wrong parameters, an ETag computed from the selection (how many rows, when the
newest changed), Last-Modified, a short public cache and CORS for open data.
"""

import hashlib

from django.core.cache import cache
from django.http import HttpResponse, JsonResponse
from django.utils.cache import patch_vary_headers
from django.utils.http import http_date, quote_etag
from django.utils.translation import get_language
from django.utils.translation import gettext as _

API_CACHE_SECONDS = 60


def bad_request(filterset) -> JsonResponse:
    errors = {
        field: [str(m) for m in messages] for field, messages in filterset.form.errors.items()
    }
    message = _("Paramètre invalide : %(names)s.") % {"names": ", ".join(sorted(errors))}
    return JsonResponse(
        {"message": message, "errors": errors},
        status=400,
        json_dumps_params={"ensure_ascii": False},
    )


def conditional_response(
    request, freshness: tuple[int, object], variant: str, render, cache_seconds: int = 0
) -> HttpResponse:
    """304 when the client's ETag still matches the selection, else ``render()``.

    ``freshness`` is (row count, newest change) of the selection. With
    ``cache_seconds`` the rendered response is kept in Django's cache under its
    ETag, so the next client without the ETag gets it without a new rendering.
    """
    count, last = freshness
    # The host is part of it: bodies carry absolute URLs back to the site.
    key = "|".join(
        [
            request.get_host(),
            request.path,
            request.GET.urlencode(),
            str(count),
            last.isoformat() if last else "",
            variant,
            # Bodies carry translated labels (status, kinds): one version per language.
            get_language() or "",
        ]
    )
    etag = quote_etag(hashlib.sha256(key.encode()).hexdigest()[:32])
    client_etags = [tag.strip() for tag in request.headers.get("If-None-Match", "").split(",")]
    if etag in client_etags or "*" in client_etags:
        response = HttpResponse(status=304)
    elif cache_seconds:
        cache_key = f"api-response:{etag}"
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
    # The language comes from the header or the language cookie (LocaleMiddleware).
    patch_vary_headers(response, ("Accept-Language", "Cookie"))
    return response
