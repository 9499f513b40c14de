from axes.admin import AccessAttemptAdmin
from axes.models import AccessAttempt
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.models import Group
from django.utils.translation import gettext_lazy as _

from territories.models import EPCI, Commune, Departement, Region
from territories.text import normalize

from .admin_layout import InlineAddLabelsMixin
from .admin_scoping import TerritoryScopedMixin
from .models import TerritoryScope
from .roles import GROUP_NAMES, REGIONAL_ADMIN


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
class CommuneAdmin(TerritoryScopedMixin, ReadMostlyAdmin):
    list_display = ["name", "insee", "postcodes", "departement", "epci", "population"]
    list_filter = [("departement__region", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["search_name", "insee", "postcodes", "name"]
    list_select_related = ["departement", "epci"]
    autocomplete_fields = ["epci"]
    show_full_result_count = False
    # Editors pick (autocomplete) and see only the communes of their territories.
    scope_paths = ("",)
    fieldsets = [
        (None, {"fields": ["name", "insee", "postcodes", "population"]}),
        (_("Rattachements"), {"fields": ["departement", "epci"]}),
        (_("Position"), {"fields": ["latitude", "longitude"]}),
    ]

    def get_search_results(self, request, queryset, search_term):
        # Accent-insensitive: "charbonnieres" finds Charbonnières-les-Bains.
        return super().get_search_results(request, queryset, normalize(search_term) or search_term)


class TerritoryScopeInline(admin.TabularInline):
    model = TerritoryScope
    extra = 1
    autocomplete_fields = ["epci", "departement", "region"]
    fields = ["epci", "departement", "region"]
    verbose_name = _("territoire attribué (une ligne par EPCI, département ou région)")
    add_label = _("Ajouter un territoire")


User = get_user_model()
if admin.site.is_registered(User):
    admin.site.unregister(User)


@admin.register(User)
class StaffUserAdmin(InlineAddLabelsMixin, UserAdmin):
    """Accounts with their role (groups) and the territories they edit."""

    inlines = [TerritoryScopeInline]
    list_display = ["username", "email", "is_staff", "role_list", "territory_list", "last_login"]
    list_filter = ["is_staff", "is_superuser", "is_active", "groups"]

    def get_queryset(self, request):
        queryset = (
            super()
            .get_queryset(request)
            .prefetch_related(
                "groups",
                "territory_scopes__epci",
                "territory_scopes__departement",
                "territory_scopes__region",
            )
        )
        if not request.user.is_superuser:
            # Regional administrators manage staff accounts, not superusers.
            queryset = queryset.filter(is_superuser=False)
        return queryset

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        # Password, groups, flags and territories of another regional
        # administrator (or a superuser) are not a regional administrator's to
        # change: a peer's page is read-only, its password form refused.
        return allowed and not self._is_peer_of(request.user, obj)

    @staticmethod
    def _is_peer_of(user, obj):
        if obj is None or user.is_superuser or obj.pk == user.pk:
            return False
        return obj.is_superuser or obj.groups.filter(name=GROUP_NAMES[REGIONAL_ADMIN]).exists()

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "groups" and not request.user.is_superuser:
            # Regional administrators give the three roles, not arbitrary groups.
            kwargs["queryset"] = Group.objects.filter(name__in=GROUP_NAMES.values())
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        if not request.user.is_superuser:
            readonly += ["is_superuser", "user_permissions"]
        return readonly

    @admin.display(description=_("rôle"))
    def role_list(self, obj):
        return ", ".join(group.name for group in obj.groups.all())

    @admin.display(description=_("territoires"))
    def territory_list(self, obj):
        return ", ".join(str(scope) for scope in obj.territory_scopes.all())


if admin.site.is_registered(AccessAttempt):
    admin.site.unregister(AccessAttempt)


@admin.register(AccessAttempt)
class LockoutAdmin(AccessAttemptAdmin):
    """django-axes' lock-outs, whose clean-up action declares what it needs (delete)."""

    @admin.action(
        description=AccessAttemptAdmin.cleanup_expired_attempts.short_description,
        permissions=["delete"],
    )
    def cleanup_expired_attempts(self, request, queryset):
        return super().cleanup_expired_attempts(request, queryset)
