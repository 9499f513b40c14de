"""Possible duplicates found by imports: a list for staff, scoped by territory.

An import never merges two hubs. Staff see each pair here (their own territory's:
the imported hub's commune), open both hubs, and either mark the pair « pas un
doublon » or merge the two by hand (copy what is missing, archive one) and mark it
« fusionnés ». A pair marked « pas un doublon » is not flagged again by later imports.
"""

from django.contrib import admin, messages
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from backoffice.admin_scoping import TerritoryScopedMixin

from .models import PossibleDuplicate


@admin.register(PossibleDuplicate)
class PossibleDuplicateAdmin(TerritoryScopedMixin, admin.ModelAdmin):
    scope_paths = ("hub__commune",)
    list_display = ["hub_link", "other_link", "reason", "status", "source", "created_at"]
    list_filter = [
        "status",
        "reason",
        ("hub__commune__departement", admin.RelatedOnlyFieldListFilter),
    ]
    list_select_related = ["hub__commune", "other__commune"]
    search_fields = ["hub__name", "other__name"]
    fields = ["hub", "other", "reason", "source", "created_at", "status"]
    readonly_fields = ["hub", "other", "reason", "source", "created_at"]
    actions = ["mark_not_duplicate", "mark_merged"]

    def has_add_permission(self, request):
        return False  # only imports flag pairs

    @admin.display(description=_("lieu importé"), ordering="hub__name")
    def hub_link(self, obj):
        return format_html(
            '<a href="{}">{}</a> ({})',
            reverse("admin:hubs_hub_change", args=[obj.hub_id]),
            obj.hub.name,
            obj.hub.commune.name,
        )

    @admin.display(description=_("lieu existant"), ordering="other__name")
    def other_link(self, obj):
        return format_html(
            '<a href="{}">{}</a> ({})',
            reverse("admin:hubs_hub_change", args=[obj.other_id]),
            obj.other.name,
            obj.other.commune.name,
        )

    def _mark(self, request, queryset, status):
        if not self.has_change_permission(request):
            messages.error(request, _("Vous ne pouvez pas modifier ces signalements."))
            return
        count = self.get_queryset(request).filter(pk__in=queryset).update(status=status)
        messages.success(request, _("%(count)d signalement(s) mis à jour.") % {"count": count})

    @admin.action(description=_("Pas un doublon"), permissions=["change"])
    def mark_not_duplicate(self, request, queryset):
        self._mark(request, queryset, PossibleDuplicate.Status.NOT_DUPLICATE)

    @admin.action(description=_("Fusionnés à la main"), permissions=["change"])
    def mark_merged(self, request, queryset):
        self._mark(request, queryset, PossibleDuplicate.Status.MERGED)
