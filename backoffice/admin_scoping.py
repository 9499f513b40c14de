"""Territory scoping for the admin of territorial records.

Applied to hubs, operations, financing lines and events (and the communes
offered in their forms). One rule, :class:`~territories.scoping.Scope`, decides
everywhere: changelists, change, delete and history views, actions, exports,
autocomplete and the choices of foreign keys.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.contrib import admin
from django.contrib.admin.utils import flatten_fieldsets, unquote
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from .scoping import Scope

#: Models offered in foreign-key fields, and the path from each to its commune.
SCOPED_TARGETS = {
    "territories.commune": "",
    "hubs.hub": "commune",
    "funding.fundedoperation": "hub__commune",
}


def scoped_choices(model, scope: Scope):
    """The rows of ``model`` a user with ``scope`` may attach a record to."""
    queryset = model._default_manager.all()
    path = SCOPED_TARGETS.get(model._meta.label_lower)
    if path is None or scope.unrestricted:
        return queryset
    return queryset.filter(scope.communes_q(path))


class TerritoryScopedMixin:
    """Limits a ModelAdmin (or its autocomplete) to the user's territories.

    ``scope_paths`` lists the paths from the model to the communes that must
    be in scope; a path whose value is empty is ignored, but at least one
    must lead to a commune (an event is at its hub or at its own venue).
    """

    scope_paths: tuple[str, ...] = ("commune",)

    # -- the rule ---------------------------------------------------------
    def get_scope(self, request) -> Scope:
        return Scope.for_user(request.user)

    def scope_q(self, scope: Scope) -> Q:
        return scope.records_q(*self.scope_paths)

    def in_scope(self, request, obj) -> bool:
        """Whether ``obj`` (saved, deleted or from history) lies in the user's territories."""
        return self.get_scope(request).allows(obj, *self.scope_paths)

    # -- where it applies -------------------------------------------------
    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        scope = self.get_scope(request)
        if scope.unrestricted:
            return queryset
        return queryset.filter(self.scope_q(scope))

    def has_view_permission(self, request, obj=None):
        allowed = super().has_view_permission(request, obj)
        return allowed and (obj is None or self.in_scope(request, obj))

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or self.in_scope(request, obj))

    def has_delete_permission(self, request, obj=None):
        allowed = super().has_delete_permission(request, obj)
        return allowed and (obj is None or self.in_scope(request, obj))

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.related_model._meta.label_lower in SCOPED_TARGETS:
            kwargs["queryset"] = scoped_choices(db_field.related_model, self.get_scope(request))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        # The form's choices already keep the record in scope, and the views
        # find the record in the scoped queryset; this is the last guard, on
        # the new values and on the stored record (a form may be posted from
        # an older version of it, see history_form_view).
        if not self.in_scope(request, obj):
            raise PermissionDenied
        if change and not self.get_queryset(request).filter(pk=obj.pk).exists():
            raise PermissionDenied
        super().save_model(request, obj, form, change)


class TerritoryScopedAdmin(TerritoryScopedMixin, SimpleHistoryAdmin):
    """A territorial record's admin: scoped, with its field-by-field history."""

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        """An older version of a record, and the form that reverts to it.

        django-simple-history checks the view permission on the historical
        copy only, then saves what is posted. Here the *current* record decides:
        it must be in the user's territories (viewing), and the user must be
        allowed to change it (posting). The publication rules are the change
        form's (``PublicationAdminMixin`` reads the stored state, not the old one).
        """
        current = self.get_object(request, unquote(object_id))
        if current is None:
            return self._get_obj_does_not_exist_redirect(request, self.opts, object_id)
        may_change = self.has_change_permission(request, current)
        if request.method == "POST":
            allowed = may_change
        else:
            allowed = may_change or self.has_view_permission(request, current)
        if not allowed:
            raise PermissionDenied
        # Shown to a reader as the change form shows it: values, not inputs.
        request.history_read_only = not may_change
        return super().history_form_view(request, object_id, version_id, extra_context)

    def get_readonly_fields(self, request, obj=None):
        if getattr(request, "history_read_only", False):
            if self.fieldsets:
                fields = flatten_fieldsets(self.fieldsets)
            else:
                opts = self.model._meta
                fields = [
                    field.name
                    for field in [*opts.concrete_fields, *opts.many_to_many]
                    if field.editable and not field.primary_key
                ]
            # The library hands ``prepopulated_fields`` to the page as they are:
            # those (the slug and the name it is made from) stay form fields,
            # disabled (see get_form).
            prepopulated = {
                name
                for target, sources in self.prepopulated_fields.items()
                for name in (target, *sources)
            }
            return [name for name in fields if name not in prepopulated]
        return super().get_readonly_fields(request, obj)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        if getattr(request, "history_read_only", False):
            for field in form.base_fields.values():
                field.disabled = True
        return form


def checked_q(queryset, since) -> Q:
    """The records of ``queryset`` known exact since ``since``: updated since then,
    unless the model's queryset says more (``checked_q``: a hub confirmed exact)."""
    own = getattr(queryset, "checked_q", None)
    return own(since) if own else Q(updated_at__gte=since)


class StaleListFilter(admin.SimpleListFilter):
    """Records not updated (nor confirmed exact) for ``STALE_AFTER_DAYS`` (12 months by default)."""

    title = _("fraîcheur")
    parameter_name = "freshness"

    def lookups(self, request, model_admin):
        return [
            ("stale", _("non mis à jour depuis 12 mois")),
            ("fresh", _("mis à jour dans les 12 derniers mois")),
        ]

    def queryset(self, request, queryset):
        limit = timezone.now() - timedelta(days=settings.STALE_AFTER_DAYS)
        if self.value() == "stale":
            return queryset.exclude(checked_q(queryset, limit))
        if self.value() == "fresh":
            return queryset.filter(checked_q(queryset, limit))
        return queryset
