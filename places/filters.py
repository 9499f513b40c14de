"""Where and what: the query parameters every list of places shares.

``PlaceFilterSet`` reads ``q``, ``territory``, ``place``, ``bbox``, ``near`` and
``radius_km`` strictly (a bad value is a form error, hence a 400, never a 500)
and applies them through ``places.querysets.PlaceQuerySet``. The hubs' and the
events' FilterSets add what is their own.
"""

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from territories.forms import BBoxField, PointField, TerritoryField
from territories.lookup import resolve_place

DEFAULT_RADIUS_KM = 10
MAX_RADIUS_KM = 300
RADIUS_CHOICES = [2, 5, 10, 20, 50, 100]


class BBoxFilter(django_filters.Filter):
    """``minLon,minLat,maxLon,maxLat``."""

    field_class = BBoxField

    def filter(self, qs, value):
        return qs.in_bbox(value) if value else qs


class PointFilter(django_filters.Filter):
    """A ``lat,lng`` point; the distance filter itself runs last (see below)."""

    field_class = PointField


class TerritoryFilter(django_filters.Filter):
    """A territory code (``epci:245901160``, ``59``…) resolved to one territory.

    By default the queryset's ``in_territory``; a FilterSet whose records lie in a
    territory by another path gives its own ``method``.
    """

    field_class = TerritoryField

    def filter(self, qs, value):
        return qs.in_territory(value) if value else qs


class PlaceFilterForm(forms.Form):
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
    """Where, and words: the filters shared by every searchable thing on the map.

    ``near`` and ``radius_km`` take effect in ``filter_queryset``, after the other
    filters: nearest first, or in the subclass's own order when ``nearest_first``
    is false (the agenda stays by date). A subclass's form derives from
    ``PlaceFilterForm`` (place typed by hand, default radius).
    """

    #: Results around a point come nearest first (hubs); False keeps the order (events).
    nearest_first = True

    territory = TerritoryFilter(label=_("Territoire"))
    place = django_filters.CharFilter(label=_("Où ?"), method="filter_noop", max_length=120)
    bbox = BBoxFilter(label=_("Zone de la carte"))
    near = PointFilter(label=_("Autour du point"), method="filter_noop")
    radius_km = django_filters.NumberFilter(
        label=_("Rayon (km)"), method="filter_noop", min_value=0.1, max_value=MAX_RADIUS_KM
    )
    q = django_filters.CharFilter(label=_("Recherche"), method="filter_q", max_length=200)

    class Meta:
        form = PlaceFilterForm

    def filter_noop(self, queryset, name, value):
        return queryset  # applied in filter_queryset, after the others

    def filter_q(self, queryset, name, value):
        return queryset.search(value)

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        data = self.form.cleaned_data
        if data.get("near"):
            lat, lng = data["near"]
            km = float(data.get("radius_km") or DEFAULT_RADIUS_KM)
            if self.nearest_first:
                queryset = queryset.near(lat, lng, km)
            else:
                queryset = queryset.around(lat, lng, km)
        return queryset

    @property
    def center(self):
        """(lat, lng) of the search centre, when there is one."""
        return self.form.cleaned_data.get("near") if self.is_bound and self.is_valid() else None

    @property
    def place_ref(self):
        return self.form.place_ref if self.is_bound and self.is_valid() else None
