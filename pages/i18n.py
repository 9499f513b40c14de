"""The JavaScript translation catalog, one cacheable URL per language.

Scripts call ``gettext()``/``ngettext()``/``interpolate()`` (Django's
``JavaScriptCatalog``, ``djangojs`` domain). The page loads it with an external
``<script src>`` (the Content-Security-Policy forbids inline scripts) whose URL
names the language, ``/jsi18n/en.js``: the body depends on the URL only, so
browsers and proxies may keep it without mixing languages, whatever the
visitor's cookie or Accept-Language header.
"""

from functools import lru_cache

from django.conf import settings
from django.http import Http404, HttpResponse
from django.utils import timezone, translation
from django.utils.http import http_date
from django.views.decorators.http import condition, require_safe
from django.views.i18n import JavaScriptCatalog

CATALOG_CACHE_SECONDS = 86400
# Catalogs are read once per process (as Django does for its own): a new
# deployment (new .mo files) restarts the process and changes this date.
_LOADED_AT = timezone.now().replace(microsecond=0)


@lru_cache(maxsize=8)
def _catalog(language: str) -> tuple[bytes, str]:
    """The rendered catalog of ``language`` (reading every .mo file costs: once per process)."""
    with translation.override(language):
        response = JavaScriptCatalog(domain="djangojs").get(None)
    return response.content, response["Content-Type"]


@require_safe
@condition(last_modified_func=lambda request, language: _LOADED_AT)
def javascript_catalog(request, language: str):
    if language not in dict(settings.LANGUAGES):
        raise Http404
    content, content_type = _catalog(language)
    response = HttpResponse(content, content_type=content_type)
    response["Cache-Control"] = f"public, max-age={CATALOG_CACHE_SECONDS}"
    response["Last-Modified"] = http_date(_LOADED_AT.timestamp())
    return response
