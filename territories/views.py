from django.http import JsonResponse
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_safe

from .lookup import autocomplete


@require_safe
def territories_autocomplete(request):
    """Suggestions for the "Où ?" box: ``?q=valenc`` → Valenciennes, its EPCI…"""
    text = request.GET.get("q", "")[:100]
    response = JsonResponse(
        {"results": autocomplete(text)}, json_dumps_params={"ensure_ascii": False}
    )
    response["Cache-Control"] = "public, max-age=3600"
    # Translated context ("Département"…), in the language of the header or the cookie.
    patch_vary_headers(response, ("Accept-Language", "Cookie"))
    return response
