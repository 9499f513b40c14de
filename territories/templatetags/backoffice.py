"""The back-office home: what needs doing in the user's territories."""

from datetime import timedelta

from django import template
from django.conf import settings
from django.contrib import admin
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from territories.roles import GROUP_NAMES
from territories.scoping import Scope

register = template.Library()


def _todo_models():
    from events.models import Event
    from hubs.models import Hub

    return [
        (Hub, _("lieux en brouillon"), _("lieux non mis à jour depuis 12 mois")),
        (Event, _("événements en brouillon"), _("événements non mis à jour depuis 12 mois")),
    ]


@register.inclusion_tag("admin/backoffice_todo.html", takes_context=True)
def backoffice_todo(context):
    request = context["request"]
    user = request.user
    stale_before = timezone.now() - timedelta(days=settings.STALE_AFTER_DAYS)
    rows = []
    for model, drafts_label, stale_label in _todo_models():
        model_admin = admin.site._registry.get(model)
        if model_admin is None or not model_admin.has_view_permission(request):
            continue
        # The admin's own queryset: the user's territories only.
        records = model_admin.get_queryset(request).order_by()
        url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        rows.append(
            {
                "count": records.filter(publication=model.Publication.DRAFT).count(),
                "label": drafts_label,
                "url": f"{url}?publication__exact=draft",
            }
        )
        rows.append(
            {
                "count": records.filter(updated_at__lt=stale_before).count(),
                "label": stale_label,
                "url": f"{url}?freshness=stale",
            }
        )
    return {
        "rows": rows,
        "scope": Scope.for_user(user).describe(),
        "roles": [g.name for g in user.groups.all() if g.name in GROUP_NAMES.values()],
        "review_required": settings.PUBLICATION_REVIEW_REQUIRED,
    }
