"""Back-office JSON views that sit beside the admin (staff only).

``config/urls.py`` includes this module under ``admin/geocode/`` (before the
admin's own URLs), so ``reverse("admin_geocode")`` gives the point picker its URL.
"""

import re

from django.contrib import admin
from django.http import JsonResponse
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from territories.models import Commune

from .geocoding import geocode

MAX_ADDRESS_LENGTH = 250  # street_address's max_length
_INSEE = re.compile(r"^(\d{5}|2[AB]\d{3})$", re.IGNORECASE)


def _error(message: str, status: int = 400) -> JsonResponse:
    return JsonResponse(
        {"message": message}, status=status, json_dumps_params={"ensure_ascii": False}
    )


@require_safe
def geocode_view(request):
    """``{lat, lng, label, source, score, message}`` for ``address`` in ``commune``.

    GET parameters: ``address``, ``postcode`` (optional), ``commune`` (INSEE code).
    """
    if not (
        request.user.has_perm("hubs.change_hub")
        or request.user.has_perm("hubs.add_hub")
        or request.user.has_perm("events.change_event")
        or request.user.has_perm("events.add_event")
    ):
        # Only those who place hubs or events ask the address service (read-only
        # viewers have no form to fill).
        return _error(_("Vous ne pouvez pas placer de lieu ni d'événement."), status=403)
    address = request.GET.get("address", "")
    postcode = request.GET.get("postcode", "").strip()
    code = request.GET.get("commune", "").strip().upper()
    if len(address) > MAX_ADDRESS_LENGTH or len(postcode) > 10 or len(code) > 10:
        return _error(
            _("Adresse trop longue : %(max)d caractères au plus.") % {"max": MAX_ADDRESS_LENGTH}
        )
    if not code:
        return _error(_("Choisissez d'abord une commune : l'adresse y est cherchée."))
    commune = Commune.objects.filter(insee=code).first() if _INSEE.match(code) else None
    if commune is None:
        return _error(_("Commune inconnue : choisissez-la dans la liste."))
    result = geocode(address, commune, postcode)
    return JsonResponse(result.as_dict(), json_dumps_params={"ensure_ascii": False})


# admin_view: staff only (others go to the admin login), never cached.
# Its parameters are checked here (JSON errors in French), not by the admin site's
# query-string check (backoffice/sites.py), which answers in plain text.
geocode_view.validates_its_query = True
urlpatterns = [path("", admin.site.admin_view(geocode_view), name="admin_geocode")]
