from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .models import EPCI, Commune, Departement, Region
from .text import normalize


class ReadMostlyAdmin(admin.ModelAdmin):
    """Reference data comes from the national registries: staff look, not edit."""

    def has_add_permission(self, request):
        return request.user.is_superuser

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser


@admin.register(Region)
class RegionAdmin(ReadMostlyAdmin):
    list_display = ["name", "code"]
    search_fields = ["name", "search_name", "code"]
    readonly_fields = ["search_name"]


@admin.register(Departement)
class DepartementAdmin(ReadMostlyAdmin):
    list_display = ["name", "code", "region"]
    list_filter = ["region"]
    search_fields = ["name", "search_name", "code"]
    list_select_related = ["region"]


@admin.register(EPCI)
class EPCIAdmin(ReadMostlyAdmin):
    list_display = ["name", "siren", "kind"]
    list_filter = ["kind"]
    search_fields = ["name", "search_name", "siren"]


@admin.register(Commune)
class CommuneAdmin(ReadMostlyAdmin):
    list_display = ["name", "insee", "postcodes", "departement", "epci", "population"]
    list_filter = [("departement__region", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["search_name", "insee", "postcodes", "name"]
    list_select_related = ["departement", "epci"]
    autocomplete_fields = ["epci"]
    show_full_result_count = False
    fieldsets = [
        (None, {"fields": ["name", "insee", "postcodes", "population"]}),
        (_("Rattachements"), {"fields": ["departement", "epci"]}),
        (_("Position"), {"fields": ["latitude", "longitude"]}),
    ]

    def get_search_results(self, request, queryset, search_term):
        # Accent-insensitive: "charbonnieres" finds Charbonnières-les-Bains.
        return super().get_search_results(request, queryset, normalize(search_term) or search_term)
