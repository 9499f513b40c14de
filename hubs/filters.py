"""The one FilterSet behind the map, the list and the API of hubs."""

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from places.filters import PlaceFilterSet

from .models import Audience, Equipment, Hub, HubKind, Label


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

    class Meta(PlaceFilterSet.Meta):
        model = Hub
        fields = []
