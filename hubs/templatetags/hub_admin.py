"""The back-office home's « Fraîcheur des fiches »: per territory of the user's
scope, the published hubs and the share updated or confirmed exact within
``STALE_AFTER_DAYS`` (12 months by default). hubs/freshness.py counts them."""

from datetime import timedelta

from django import template
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from backoffice.scoping import Scope
from hubs import freshness
from hubs.models import Hub

register = template.Library()


@register.inclusion_tag("admin/hubs/freshness.html", takes_context=True)
def hub_freshness(context):
    request = context["request"]
    user = request.user
    if not user.has_perm("hubs.view_hub"):
        return {"show": False}
    days = settings.STALE_AFTER_DAYS
    rows = freshness.freshness_by_territory(
        Scope.for_user(user), since=timezone.now() - timedelta(days=days)
    )
    url = reverse(f"admin:{Hub._meta.app_label}_{Hub._meta.model_name}_changelist")
    return {
        "show": True,
        "rows": rows,
        "months": max(1, round(days / 30.44)),
        "stale_url": f"{url}?publication__exact=published&freshness=stale",
    }
