"""The back-office home: what needs doing in the user's territories."""

from datetime import timedelta

from django import template
from django.conf import settings
from django.contrib import admin
from django.urls import reverse
from django.utils import timezone

from backoffice.admin_scoping import checked_q
from backoffice.publication import PublicationAdminMixin
from backoffice.roles import GROUP_NAMES
from backoffice.scoping import Scope

register = template.Library()


def _todo_admins(site=admin.site):
    """The admins of records with a publication workflow, and their to-do labels.

    Each such admin says what its rows are called (``todo_labels``): the
    back-office knows no model of the apps above it.
    """
    return [
        model_admin
        for model_admin in site._registry.values()
        if isinstance(model_admin, PublicationAdminMixin) and model_admin.todo_labels
    ]


@register.inclusion_tag("admin/backoffice_todo.html", takes_context=True)
def backoffice_todo(context):
    request = context["request"]
    user = request.user
    stale_before = timezone.now() - timedelta(days=settings.STALE_AFTER_DAYS)
    rows = []
    for model_admin in _todo_admins():
        if not model_admin.has_view_permission(request):
            continue
        model = model_admin.model
        drafts_label, stale_label = model_admin.todo_labels
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
                "count": records.exclude(checked_q(records, stale_before)).count(),
                "label": stale_label,
                "url": f"{url}?freshness=stale",
            }
        )
        rows.extend(model_admin.extra_todo_rows(request, records, url))
    return {
        "rows": rows,
        "scope": Scope.for_user(user).describe(),
        "roles": [g.name for g in user.groups.all() if g.name in GROUP_NAMES.values()],
        "review_required": settings.PUBLICATION_REVIEW_REQUIRED,
    }
