from django import forms
from django.contrib import admin, messages
from django.db.models import Q
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext, pgettext_lazy

from backoffice.admin_scoping import StaleListFilter, TerritoryScopedAdmin
from backoffice.imports.admin import ScopedImportExportMixin
from backoffice.publication import PublicationAdminMixin
from hubs.widgets import PointPickerWidget
from territories.models import Departement

from .dates import when_label
from .models import Event
from .resources import EventResource
from .services import DEFAULT_INTERVAL, INTERVALS, event_duplicate_as_next_session

INTERVAL_LABELS = {
    "1w": _("une semaine plus tard"),
    "2w": _("deux semaines plus tard"),
    "1m": _("un mois plus tard"),
    "3m": _("trois mois plus tard"),
    "6m": _("six mois plus tard"),
    "1y": _("un an plus tard"),
}


class WhenListFilter(admin.SimpleListFilter):
    title = _("période")
    parameter_name = "when"

    def lookups(self, request, model_admin):
        return [("upcoming", _("à venir (ou en cours)")), ("past", _("passés"))]

    def queryset(self, request, queryset):
        now = timezone.now()
        if self.value() == "upcoming":
            return queryset.filter(end__gte=now)
        if self.value() == "past":
            return queryset.filter(end__lt=now)
        return queryset


class DepartementListFilter(admin.SimpleListFilter):
    """The département of the event's commune, or of its hub's."""

    title = _("département")
    parameter_name = "departement"

    def lookups(self, request, model_admin):
        events = model_admin.get_queryset(request)  # the user's territories only
        codes = events.filter(commune__isnull=False).values("commune__departement_id")
        hub_codes = events.filter(commune__isnull=True).values("hub__commune__departement_id")
        departements = Departement.objects.filter(Q(pk__in=codes) | Q(pk__in=hub_codes))
        return [(d.code, f"{d.code} — {d.name}") for d in departements.order_by("code")]

    def queryset(self, request, queryset):
        code = self.value()
        if not code:
            return queryset
        return queryset.filter(
            Q(commune__departement_id=code)
            | Q(commune__isnull=True, hub__commune__departement_id=code)
        )


class EventAdminForm(forms.ModelForm):
    class Meta:
        model = Event
        exclude = ["search_text"]  # noqa: DJ006 (the admin fieldsets choose the fields)
        widgets = {
            # The map after both inputs (the fieldset puts them on one line).
            "latitude": forms.NumberInput(attrs={"step": "any"}),
            "longitude": PointPickerWidget(lat_field="latitude"),
            "summary": forms.Textarea(attrs={"rows": 2}),
        }


class DuplicateForm(forms.Form):
    interval = forms.ChoiceField(
        label=_("Nouvelle date"),
        choices=[(key, INTERVAL_LABELS[key]) for key in INTERVALS],
        initial=DEFAULT_INTERVAL,
    )


@admin.register(Event)
class EventAdmin(ScopedImportExportMixin, PublicationAdminMixin, TerritoryScopedAdmin):
    resource_classes = [EventResource]
    form = EventAdminForm
    list_display = ["title", "when", "kind", "place", "status", "publication"]
    list_filter = [
        WhenListFilter,
        "status",
        "kind",
        "publication",
        StaleListFilter,
        DepartementListFilter,
        "is_free",
    ]
    search_fields = ["title", "search_text", "hub__name", "commune__name"]
    list_select_related = ["hub", "hub__commune", "commune"]
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["hub", "commune"]
    filter_horizontal = ["audiences"]
    date_hierarchy = "start"
    ordering = ["-start"]
    readonly_fields = ["sequence", "created_at", "updated_at"]
    actions = ["duplicate_as_next_session", "publish", "archive", "unpublish"]
    todo_labels = (
        _("événements en brouillon"),
        _("événements non mis à jour depuis 12 mois"),
    )
    scope_paths = ("hub__commune", "commune")
    save_on_top = True
    fieldsets = [
        (None, {"fields": ["title", "slug", "kind", "summary", "description"]}),
        (_("Date"), {"fields": [("start", "end"), "all_day"]}),
        (
            pgettext_lazy("venue", "Lieu"),
            {
                "fields": [
                    "hub",
                    "organizer",
                    "venue_name",
                    "street_address",
                    "commune",
                    ("latitude", "longitude"),
                ],
                "description": _(
                    "Choisissez le lieu organisateur : l'événement s'y tient. Pour un autre endroit, "
                    "donnez aussi le nom, l'adresse, la commune et la position."
                ),
            },
        ),
        (
            _("Participation"),
            {
                "fields": [
                    "registration_url",
                    ("is_free", "price"),
                    "price_details",
                    "audiences",
                    "accessibility",
                ]
            },
        ),
        (_("État et publication"), {"fields": ["status", "publication"]}),
        (
            _("Avancé"),
            {
                "classes": ["collapse"],
                "fields": ["sources", "sequence", "created_at", "updated_at"],
            },
        ),
    ]

    @admin.display(description=_("quand"), ordering="start")
    def when(self, obj):
        return when_label(obj.start, obj.end, obj.all_day)

    @admin.display(description=_("où"))
    def place(self, obj):
        # For staff: the hub even when it is not published (the public pages hide it).
        commune = obj.staff_commune
        name = obj.venue_name or (obj.hub.name if obj.hub_id and not obj.commune_id else "")
        return f"{name} ({commune.name})" if name and commune else (commune.name if commune else "")

    @admin.action(description=_("Dupliquer comme prochaine session"), permissions=["add"])
    def duplicate_as_next_session(self, request, queryset):
        form = DuplicateForm(request.POST if "apply" in request.POST else None)
        if "apply" in request.POST and form.is_valid():
            copies = [
                event_duplicate_as_next_session(event=event, interval=form.cleaned_data["interval"])
                for event in queryset
            ]
            self.message_user(
                request,
                ngettext(
                    "%(count)d copie créée en brouillon : %(titles)s.",
                    "%(count)d copies créées en brouillon : %(titles)s.",
                    len(copies),
                )
                % {
                    "count": len(copies),
                    "titles": ", ".join(
                        f"{copy.title} ({when_label(copy.start, copy.end, copy.all_day)})"
                        for copy in copies
                    ),
                },
                messages.SUCCESS,
            )
            return None
        context = {
            **self.admin_site.each_context(request),
            "title": _("Dupliquer comme prochaine session"),
            "events": queryset,
            "form": form,
            "opts": self.model._meta,
            "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, "admin/events/event/duplicate.html", context)
