"""The contract every ``/api/v1/`` URL keeps: 400 on bad input, 304 when unchanged.

Clients and caches see one behaviour: a JSON ``{"message", "errors"}`` naming the
wrong parameters, an ETag computed from the selection (how many rows, when the
newest changed), Last-Modified, a short public cache and CORS for open data.
Whether a request is answered 304 (or 412) is Django's decision
(:func:`django.utils.cache.get_conditional_response`, what its ``condition``
decorator calls): weak comparison for ``If-None-Match``, ``If-Modified-Since``
only without it, as RFC 9110 §13.2.2 orders them.
"""

import functools
import hashlib

from django.core.cache import cache
from django.http import HttpResponse, JsonResponse
from django.utils.cache import get_conditional_response, patch_vary_headers
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


def selection_etag(request, freshness: tuple[int, object], variant: str) -> str:
    """A strong ETag for this URL's selection, as ``freshness`` describes it."""
    count, last = freshness
    key = "|".join(
        [
            # The host is part of it: bodies carry absolute URLs back to the site.
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
    return quote_etag(hashlib.sha256(key.encode()).hexdigest()[:32])


def conditional_response(
    request, freshness: tuple[int, object], variant: str, render, cache_seconds: int = 0
) -> HttpResponse:
    """304 when the client's validators still match the selection, else ``render()``.

    ``freshness`` is (row count, newest change) of the selection: one cheap query
    that gives both validators, so Django's ``condition`` decorator, which would
    ask twice (``etag_func``, ``last_modified_func``), is not used as such. With
    ``cache_seconds`` the rendered response is kept in Django's cache under its
    ETag, so the next client without the ETag gets it without a new rendering.
    """
    etag = selection_etag(request, freshness, variant)
    last = freshness[1]
    last_modified = int(last.timestamp()) if last else None
    response = get_conditional_response(request, etag=etag, last_modified=last_modified)
    if response is None:
        response = _rendered(etag, render, cache_seconds)
    return with_api_headers(response, etag, last_modified)


def _rendered(etag: str, render, cache_seconds: int) -> HttpResponse:
    if not cache_seconds:
        return render()
    cache_key = f"api-response:{etag}"
    response = cache.get(cache_key)
    if response is None:
        response = render()
        cache.set(cache_key, response, cache_seconds)
    return response


def with_api_headers(response, etag: str, last_modified: int | None) -> HttpResponse:
    """The validators, a short public cache, CORS and the language's Vary."""
    response["ETag"] = etag
    if last_modified is not None:
        response["Last-Modified"] = http_date(last_modified)
    response["Cache-Control"] = f"public, max-age={API_CACHE_SECONDS}"
    response["Access-Control-Allow-Origin"] = "*"
    # The language comes from the header or the language cookie (LocaleMiddleware).
    patch_vary_headers(response, ("Accept-Language", "Cookie"))
    return response


#: Request headers a cross-origin script may send (preflight): revalidation.
CORS_ALLOWED_HEADERS = "If-None-Match, If-Modified-Since"
CORS_MAX_AGE_SECONDS = 86400


def public_cors(view):
    """Open a read-only view to every origin: ``Access-Control-Allow-Origin: *``.

    GET and HEAD answers get the header (no credentials: a public API carries
    none), and ``ETag`` is exposed so a script can revalidate; a preflight
    ``OPTIONS`` is answered here for GET. ``Vary`` is left as the view set it.
    """

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.method == "OPTIONS":
            response = HttpResponse(status=204)
            response["Allow"] = "GET, HEAD, OPTIONS"
            response["Access-Control-Allow-Origin"] = "*"
            response["Access-Control-Allow-Methods"] = "GET, HEAD"
            response["Access-Control-Allow-Headers"] = CORS_ALLOWED_HEADERS
            response["Access-Control-Max-Age"] = str(CORS_MAX_AGE_SECONDS)
            return response
        response = view(request, *args, **kwargs)
        if request.method in ("GET", "HEAD"):
            response["Access-Control-Allow-Origin"] = "*"
            response["Access-Control-Expose-Headers"] = "ETag, Content-Disposition"
        return response

    return wrapper
