"""One FilterSet for the funding dashboard and its CSV export."""

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from hubs.models import HubKind
from places.filters import TerritoryFilter

from .coverage import DISTANCES
from .models import FinancingLine, Funder


class FundingFilterForm(forms.Form):
    def clean(self):
        data = super().clean()
        start, end = data.get("year_from"), data.get("year_to")
        if start and end and start > end:
            self.add_error("year_to", _("L'année de fin précède l'année de début."))
        return data


class FundingFilterSet(django_filters.FilterSet):
    # The lines of the published hubs of the territory: applied in filter_queryset.
    territory = TerritoryFilter(label=_("Territoire"), method="filter_noop")
    year_from = django_filters.NumberFilter(
        label=_("De l'année"), method="filter_year_from", min_value=1990, max_value=2100
    )
    year_to = django_filters.NumberFilter(
        label=_("À l'année"), method="filter_year_to", min_value=1990, max_value=2100
    )
    fund = django_filters.ModelMultipleChoiceFilter(
        label=_("Financeur"),
        field_name="funder__slug",
        to_field_name="slug",
        queryset=Funder.objects.all(),
    )
    category = django_filters.MultipleChoiceFilter(
        label=_("Catégorie de financeur"),
        field_name="funder__category",
        choices=Funder.Category.choices,
    )
    kind = django_filters.ModelMultipleChoiceFilter(
        label=_("Type de lieu"),
        method="filter_kind",
        to_field_name="slug",
        queryset=HubKind.objects.all(),
    )
    hub = django_filters.CharFilter(label=_("Lieu"), field_name="hub__slug", max_length=200)
    # Not a filter of the lines: the distance of the coverage table (funding.coverage).
    distance_km = django_filters.TypedChoiceFilter(
        label=_("Distance à un lieu"),
        choices=[(km, f"{km} km") for km in DISTANCES],
        coerce=int,
        method="filter_noop",
    )
    status = django_filters.MultipleChoiceFilter(
        label=pgettext_lazy("status", "État"), choices=FinancingLine.Status.choices
    )

    class Meta:
        model = FinancingLine
        fields = []
        form = FundingFilterForm

    def filter_queryset(self, queryset):
        """The lines of published hubs only, whatever else is asked (issue 14).

        With a territory, a subquery on its published hubs lets the database start
        from their lines (indexed on the hub) rather than scan every line.
        """
        queryset = super().filter_queryset(queryset)
        return queryset.of_published_hubs(self.form.cleaned_data.get("territory"))

    def filter_noop(self, queryset, name, value):
        return queryset  # applied in filter_queryset, with the published hubs' rule

    def filter_year_from(self, queryset, name, value):
        return queryset.filter(year__gte=int(value))

    def filter_year_to(self, queryset, name, value):
        return queryset.filter(year__lte=int(value))

    def filter_kind(self, queryset, name, value):
        if not value:
            return queryset
        lines = FinancingLine.objects.filter(hub__kinds__in=value)
        return queryset.filter(pk__in=lines.values("pk"))
