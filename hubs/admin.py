from django import forms
from django.contrib import admin
from django.db import models
from django.db.models import Count
from django.utils.html import format_html
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from backoffice.admin_layout import InlineAddLabelsMixin, short_datetime
from backoffice.admin_scoping import StaleListFilter, TerritoryScopedAdmin
from backoffice.imports.admin import ScopedImportExportMixin
from backoffice.publication import PublicationAdminMixin

from . import duplicates_admin  # noqa: F401 (registers PossibleDuplicate)
from .choices import checkbox_list_field
from .models import Audience, Equipment, Hub, HubIndicator, HubKind, HubPhoto, HubTarget, Label
from .national_import_admin import NationalImportMixin
from .photo_forms import HubPhotoForm
from .resources import HubResource
from .sirene_admin import SiretCheckAdminMixin, SiretStatusListFilter
from .siret import clean_siret
from .widgets import OpeningHoursWidget, PointPickerWidget


class VocabularyAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "position", "hub_count"]
    list_editable = ["position"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(_hub_count=Count("hubs"))

    @admin.display(description=_("lieux"), ordering="_hub_count")
    def hub_count(self, obj):
        return obj._hub_count


@admin.register(HubKind)
class HubKindAdmin(VocabularyAdmin):
    list_display = ["name", "slug", "color", "position", "hub_count"]

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "color":  # the browser's colour picker (it writes #rrggbb)
            kwargs["widget"] = forms.TextInput(attrs={"type": "color"})
        return super().formfield_for_dbfield(db_field, request, **kwargs)


admin.site.register(Equipment, VocabularyAdmin)
admin.site.register(Audience, VocabularyAdmin)
admin.site.register(Label, VocabularyAdmin)


class HubAdminForm(forms.ModelForm):
    access_modes = checkbox_list_field(Hub, "access_modes", Hub.AccessMode)
    # The national schema's lists (hubs/choices.py): boxes to tick, like access_modes.
    services = checkbox_list_field(Hub, "services", Hub.Service)
    support_modes = checkbox_list_field(Hub, "support_modes", Hub.SupportMode)
    specific_support = checkbox_list_field(Hub, "specific_support", Hub.SpecificSupport)
    national_programmes = checkbox_list_field(Hub, "national_programmes", Hub.NationalProgramme)
    siret = forms.CharField(  # longer than 14: « 434 933 123 00029 » as typed is fine
        label=capfirst(Hub._meta.get_field("siret").verbose_name),
        help_text=Hub._meta.get_field("siret").help_text,
        max_length=30,
        required=False,
    )

    class Meta:
        model = Hub
        exclude = ["search_text"]  # noqa: DJ006 (the admin fieldsets choose the fields)
        widgets = {
            # The map after both inputs (the line below puts them side by side).
            "latitude": forms.NumberInput(attrs={"step": "any"}),
            "longitude": PointPickerWidget(lat_field="latitude"),
            "summary": forms.Textarea(attrs={"rows": 2}),
            "opening_hours": OpeningHoursWidget(),
        }

    def clean_siret(self):
        return clean_siret(self.cleaned_data.get("siret", ""))


class HubPhotoInline(admin.StackedInline):
    """Each photo under its thumbnail, its fields on short lines: in a table row
    they overflowed the page."""

    model = HubPhoto
    form = HubPhotoForm
    extra = 0
    fieldsets = [
        (None, {"fields": ["preview", "image", "alt_text", ("caption", "credit", "position")]})
    ]
    readonly_fields = ["preview"]
    classes = ["compact-inline", "photo-inline"]  # static/css/admin_layout.css
    add_label = _("Ajouter une photo")

    @admin.display(description=_("aperçu"))
    def preview(self, photo):
        image = (photo.thumbnail or photo.image) if photo.pk else None
        if not image:
            return "—"
        return format_html('<img src="{}" alt="" class="photo-inline__thumb">', image.url)

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "alt_text":  # a sentence or two: it wraps, all in sight
            kwargs["widget"] = forms.Textarea(attrs={"rows": 2, "class": "vLargeTextField"})
        return super().formfield_for_dbfield(db_field, request, **kwargs)


class HubIndicatorInline(admin.StackedInline):
    model = HubIndicator
    extra = 0
    add_label = _("Ajouter les chiffres d'une année")
    formfield_overrides = {
        models.CharField: {"widget": forms.TextInput(attrs={"class": "vLargeTextField"})}
    }
    fields = [
        ("year", "companies_hosted", "jobs", "people_trained", "success_rate"),
        "notes",
        "source",
    ]


class HubTargetInline(admin.TabularInline):
    model = HubTarget
    extra = 0
    add_label = _("Ajouter un objectif")
    fields = ["indicator", "value", "start_year", "horizon_year", "notes", "source"]


@admin.register(Hub)
class HubAdmin(
    SiretCheckAdminMixin,
    InlineAddLabelsMixin,
    NationalImportMixin,
    ScopedImportExportMixin,
    PublicationAdminMixin,
    TerritoryScopedAdmin,
):
    resource_classes = [HubResource]
    form = HubAdminForm
    list_display = ["name", "kind_list", "commune", "status", "publication", "updated"]
    list_filter = [
        "publication",
        StaleListFilter,
        "status",
        "kinds",
        SiretStatusListFilter,
        ("commune__departement", admin.RelatedOnlyFieldListFilter),
        ("commune__epci", admin.RelatedOnlyFieldListFilter),
    ]
    search_fields = ["name", "search_text", "commune__name", "commune__insee"]
    list_select_related = ["commune"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["commune", "parent"]
    filter_horizontal = ["kinds", "equipment", "audiences", "labels"]
    date_hierarchy = "updated_at"
    readonly_fields = ["created_at", "updated_at", "siret_check"]
    inlines = [HubPhotoInline, HubIndicatorInline, HubTargetInline]
    actions = ["publish", "archive", "unpublish"]
    todo_labels = (_("lieux en brouillon"), _("lieux non mis à jour depuis 12 mois"))
    scope_paths = ("commune",)
    fieldsets = [
        (None, {"fields": ["name", "slug", "kinds", "summary", "description", "status"]}),
        (
            _("Adresse et position"),
            {"fields": ["street_address", "postcode", "commune", ("latitude", "longitude")]},
        ),
        (_("Contact"), {"fields": ["website", "email", "phone", "ical_feed_url"]}),
        (
            _("Horaires et accès"),
            {
                "fields": [
                    "opening_hours",
                    "opening_hours_note",
                    ("fees", "fees_details"),
                    "access_modes",
                    "booking_url",
                    ("wheelchair", "acceslibre_url"),
                ]
            },
        ),
        (_("Offre"), {"fields": ["equipment", "audiences", "labels"]}),
        (
            _("Données nationales"),
            {
                "description": _(
                    "Ce que demande le schéma national des lieux de médiation numérique "
                    "(export /api/v1/lieux-mediation-numerique.csv)."
                ),
                "fields": [
                    "siret",
                    "siret_check",
                    "itinerance",
                    "services",
                    "support_modes",
                    "specific_support",
                    "national_programmes",
                ],
            },
        ),
        (
            _("Structure"),
            {"fields": ["operator", "operator_kind", "parent", "surface_m2", "opened_on"]},
        ),
        (_("Publication"), {"fields": ["publication"]}),
        (
            _("Avancé"),
            {"classes": ["collapse"], "fields": ["sources", "created_at", "updated_at"]},
        ),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("kinds")

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if isinstance(db_field, models.URLField):  # « acceslibre.beta.gouv.fr/… » is https
            kwargs.setdefault("assume_scheme", "https")
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    @admin.display(description=_("types"))
    def kind_list(self, obj):
        return ", ".join(kind.name for kind in obj.kinds.all())

    @admin.display(description=_("mis à jour le"), ordering="updated_at")
    def updated(self, obj):
        return short_datetime(obj.updated_at)
