"""Site-wide pages: the accessibility statement (RGAA) and the site map."""

import datetime

from django.conf import settings
from django.shortcuts import render
from django.views.decorators.http import require_safe

from hubs.models import HubKind

# The RGAA conformity state, as the statement and the footer of every page show it.
# "Non conforme": no RGAA audit has been made (only automated axe-core checks and
# manual keyboard and screen-width checks); the rules allow no other state then.
# Change it only with a valid audit's results (and update the statement).
RGAA_VERSION = "4.1.2"
STATEMENT_DATE = datetime.date(2026, 11, 22)


@require_safe
def accessibility_statement(request):
    return render(
        request,
        "pages/accessibility.html",
        {
            "site_owner": settings.SITE_OWNER,
            "contact_email": settings.ACCESSIBILITY_CONTACT_EMAIL,
            "rgaa_version": RGAA_VERSION,
            "statement_date": STATEMENT_DATE,
            "site_url": request.build_absolute_uri("/"),
        },
    )


@require_safe
def site_map(request):
    return render(request, "pages/site_map.html", {"kinds": HubKind.objects.all()})
