"""The one FilterSet behind the map, the list and the API of hubs."""

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from territories.forms import BBoxField, PointField, TerritoryField
from territories.lookup import resolve_place

from .models import Audience, Equipment, Hub, HubKind, Label

DEFAULT_RADIUS_KM = 10
MAX_RADIUS_KM = 300
RADIUS_CHOICES = [2, 5, 10, 20, 50, 100]


class BBoxFilter(django_filters.Filter):
    field_class = BBoxField

    def filter(self, qs, value):
        return qs.in_bbox(value) if value else qs


class PointFilter(django_filters.Filter):
    """A ``lat,lng`` point; the distance filter itself runs last (see below)."""

    field_class = PointField


class TerritoryFilter(django_filters.Filter):
    field_class = TerritoryField

    def filter(self, qs, value):
        return qs.in_territory(value) if value else qs


class SlugChoiceFilter(django_filters.ModelMultipleChoiceFilter):
    """Several slugs of a vocabulary (``?kind=fablab&kind=coworking``)."""

    def __init__(self, *args, match="any", **kwargs):
        self.match = match
        kwargs.setdefault("to_field_name", "slug")
        kwargs.setdefault("widget", forms.CheckboxSelectMultiple)
        super().__init__(*args, **kwargs)

    def filter(self, qs, value):
        slugs = [item.slug for item in value]
        if self.match == "all":
            return qs.with_all(self.field_name, slugs)
        return qs.with_any(self.field_name, slugs)


class HubFilterForm(forms.Form):
    """Cross-field rules: a place typed by hand, a radius needs a centre."""

    place_ref = None  # the territory found from the "place" text, if any

    def clean(self):
        data = super().clean()
        place = data.get("place")
        if place and not data.get("near") and not data.get("territory"):
            ref = resolve_place(place)
            if ref is None:
                self.add_error(
                    "place",
                    forms.ValidationError(
                        _(
                            "Lieu introuvable : « %(value)s ». Essayez un nom de commune ou un code postal."
                        ),
                        code="unknown",
                        params={"value": place},
                    ),
                )
            elif ref.level == "commune" and ref.obj.latitude is not None:
                data["near"] = (ref.obj.latitude, ref.obj.longitude)
                self.place_ref = ref
            else:
                data["territory"] = ref
                self.place_ref = ref
        if data.get("near") and not data.get("radius_km"):
            data["radius_km"] = DEFAULT_RADIUS_KM
        return data


class PlaceFilterSet(django_filters.FilterSet):
    """Where: the filters shared by every searchable thing placed on the map.

    ``near`` and ``radius_km`` only take effect in the subclass's
    ``filter_queryset``, after the other filters (distance annotation and order).
    Its form must derive from ``HubFilterForm`` (place typed by hand, default radius).
    """

    territory = TerritoryFilter(label=_("Territoire"))
    place = django_filters.CharFilter(label=_("Où ?"), method="filter_noop", max_length=120)
    bbox = BBoxFilter(label=_("Zone de la carte"))
    near = PointFilter(label=_("Autour du point"), method="filter_noop")
    radius_km = django_filters.NumberFilter(
        label=_("Rayon (km)"), method="filter_noop", min_value=0.1, max_value=MAX_RADIUS_KM
    )

    def filter_noop(self, queryset, name, value):
        return queryset  # applied in filter_queryset, after the others

    @property
    def center(self):
        """(lat, lng) of the search centre, when there is one."""
        return self.form.cleaned_data.get("near") if self.is_bound and self.is_valid() else None

    @property
    def place_ref(self):
        return self.form.place_ref if self.is_bound and self.is_valid() else None


class HubFilterSet(PlaceFilterSet):
    q = django_filters.CharFilter(label=_("Recherche"), method="filter_q", max_length=200)
    kind = SlugChoiceFilter(
        field_name="kinds", queryset=HubKind.objects.all(), label=_("Type de lieu")
    )
    equipment = SlugChoiceFilter(
        field_name="equipment",
        queryset=Equipment.objects.all(),
        label=_("Équipements et services"),
        match="all",
    )
    audience = SlugChoiceFilter(
        field_name="audiences", queryset=Audience.objects.all(), label=_("Publics")
    )
    label = SlugChoiceFilter(
        field_name="labels", queryset=Label.objects.all(), label=_("Labels et réseaux")
    )
    status = django_filters.MultipleChoiceFilter(
        choices=Hub.Status.choices,
        label=pgettext_lazy("status", "État"),
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Hub
        fields = []
        form = HubFilterForm

    def filter_q(self, queryset, name, value):
        return queryset.search(value)

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        data = self.form.cleaned_data
        if data.get("near"):
            lat, lng = data["near"]
            queryset = queryset.near(lat, lng, float(data["radius_km"]))
        return queryset
