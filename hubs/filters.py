"""The one FilterSet behind the map, the list and the API of hubs."""

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from places.filters import PlaceFilterSet

from . import hours
from .models import Audience, Equipment, Hub, HubKind, Label


class SlugsField(django_filters.fields.ModelMultipleChoiceField):
    """No slug given is an empty list, not an empty queryset that every filter of
    every request would compile only to find it empty (about 1 ms a request for
    the four vocabularies)."""

    def clean(self, value):
        if not value and not self.required:
            return []
        return super().clean(value)


class SlugChoiceFilter(django_filters.ModelMultipleChoiceFilter):
    """Several slugs of a vocabulary (``?kind=fablab&kind=coworking``)."""

    field_class = SlugsField

    def __init__(self, *args, match="any", **kwargs):
        self.match = match
        kwargs.setdefault("to_field_name", "slug")
        kwargs.setdefault("widget", forms.CheckboxSelectMultiple)
        super().__init__(*args, **kwargs)

    def filter(self, qs, value):
        if not value:
            return qs
        slugs = [item.slug for item in value]
        if self.match == "all":
            return qs.with_all(self.field_name, slugs)
        return qs.with_any(self.field_name, slugs)


class FlagField(forms.NullBooleanField):
    """``1``/``true`` or ``0``/``false`` (a checkbox sends ``1``); anything else is a
    form error (a 400), not silently ignored."""

    widget = forms.TextInput

    def to_python(self, value):
        if value in (None, ""):
            return None
        text = str(value).strip().lower()
        if text in ("1", "true", "on", "oui"):
            return True
        if text in ("0", "false", "off", "non"):
            return False
        raise forms.ValidationError(
            _("Valeur attendue : 1 ou 0 (reçu « %(value)s »)."),
            code="flag",
            params={"value": str(value)[:20]},
        )


class FlagFilter(django_filters.BooleanFilter):
    field_class = FlagField


class HubFilterSet(PlaceFilterSet):
    """Where and words (``places.filters``), then the hubs' vocabularies and state."""

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

    open_now = FlagFilter(label=_("Ouvert maintenant"), method="filter_open")
    open_at = django_filters.IsoDateTimeFilter(
        label=_("Ouvert à (date et heure ISO 8601)"), method="filter_open"
    )
    free = FlagFilter(label=_("Gratuit"), method="filter_free")
    wheelchair = FlagFilter(
        label=_("Accessible en fauteuil roulant"),
        method="filter_wheelchair",
    )

    class Meta(PlaceFilterSet.Meta):
        model = Hub
        fields = []

    def filter_open(self, queryset, name, value):
        """Open at a moment (``open_at``, else now in Paris when ``open_now``).

        The hours are OpenStreetMap expressions, evaluated in Python by
        ``hubs.hours`` (no database can): one query for the candidates' hours,
        then the matching ids. ``open_at`` wins when both are given.
        """
        if name == "open_now":
            if not value or self.form.cleaned_data.get("open_at"):
                return queryset
            when = hours.now()
        else:
            when = value
        if when.tzinfo is None:  # a naive ISO date-time is Paris time
            when = when.replace(tzinfo=hours.PARIS)
        rows = queryset.exclude(opening_hours="").values_list("id", "opening_hours")
        return queryset.filter(id__in=hours.open_ids(rows.order_by(), when))

    def filter_free(self, queryset, name, value):
        return queryset.filter(fees=Hub.Fees.FREE) if value else queryset

    def filter_wheelchair(self, queryset, name, value):
        return queryset.filter(wheelchair=Hub.Wheelchair.YES) if value else queryset
