"""The one FilterSet behind the agenda, the month view, the iCalendar feeds and the GeoJSON."""

import datetime

import django_filters
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hubs.models import Hub
from places.filters import PlaceFilterForm, PlaceFilterSet

from .conf import FEED_RECENT_DAYS
from .models import Event

MIN_YEAR, MAX_YEAR = 1990, 2100
WHEN_CHOICES = [
    ("upcoming", _("à venir")),
    ("past", _("passés")),
    ("all", _("tous")),
]


class StrictBooleanField(forms.Field):
    """``1/true/on/oui`` or ``0/false/off/non``; anything else is an error (not a silent no)."""

    TRUE = {"1", "true", "on", "oui", "yes"}
    FALSE = {"0", "false", "off", "non", "no"}
    default_error_messages = {"invalid": _("Attendu : 1 (oui) ou 0 (non).")}

    def to_python(self, value):
        value = (value or "").strip().lower()
        if value == "":
            return None
        if value in self.TRUE:
            return True
        if value in self.FALSE:
            return False
        raise forms.ValidationError(self.error_messages["invalid"], code="invalid")


class StrictBooleanFilter(django_filters.Filter):
    field_class = StrictBooleanField


class BoundedDateField(forms.DateField):
    """An ISO date (``2026-07-21``) between 1990 and 2100."""

    input_formats = ["%Y-%m-%d"]
    default_error_messages = {
        "invalid": _("Attendu : une date AAAA-MM-JJ (ex. 2026-07-21)."),
        "range": _("La date doit être comprise entre %(min)s et %(max)s."),
    }

    def to_python(self, value):
        if isinstance(value, str) and len(value) > 20:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        value = super().to_python(value)
        if value and not MIN_YEAR <= value.year <= MAX_YEAR:
            raise forms.ValidationError(
                self.error_messages["range"],
                code="range",
                params={"min": MIN_YEAR, "max": MAX_YEAR},
            )
        return value


class DateBoundFilter(django_filters.Filter):
    field_class = BoundedDateField

    def filter(self, qs, value):
        return qs  # applied with the other date rules in EventFilterSet.filter_queryset


class EventFilterForm(PlaceFilterForm):
    """The place rules (place typed by hand, default radius) plus a coherent date range."""

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end and end < start:
            self.add_error(
                "end",
                forms.ValidationError(
                    _("La date de fin précède la date de début."), code="inverted"
                ),
            )
        return data


def local_midnight(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


class EventFilterSet(PlaceFilterSet):
    """Where and words (``places.filters``), then the events' kinds, hub, dates and price.

    Results around a point keep the agenda's order (by date), not nearest first.
    """

    nearest_first = False

    kind = django_filters.MultipleChoiceFilter(
        choices=Event.Kind.choices, label=_("Type d'événement"), widget=forms.CheckboxSelectMultiple
    )
    hub = django_filters.ModelChoiceFilter(
        queryset=Hub.objects.published(),
        to_field_name="slug",
        label=_("Lieu organisateur"),
    )
    start = DateBoundFilter(label=_("Du"))
    end = DateBoundFilter(label=_("Au"))
    free = StrictBooleanFilter(label=_("Gratuit uniquement"), method="filter_free")
    when = django_filters.ChoiceFilter(
        choices=WHEN_CHOICES, label=_("Quand ?"), method="filter_noop", empty_label=None
    )

    class Meta(PlaceFilterSet.Meta):
        model = Event
        fields = []
        form = EventFilterForm

    def __init__(self, data=None, *args, default_when="upcoming", now=None, **kwargs):
        """``default_when``: ``upcoming``, or ``recent`` for feeds (see conf.FEED_RECENT_DAYS)."""
        self.default_when = default_when
        self.now = now or timezone.now()
        super().__init__(data, *args, **kwargs)

    def filter_free(self, queryset, name, value):
        return queryset.filter(is_free=value) if value is not None else queryset

    @property
    def window(self) -> str:
        """The time window: what was asked, else all for a date range, else the default."""
        data = self.form.cleaned_data if self.is_bound and self.is_valid() else {}
        if data.get("when"):
            return data["when"]
        if data.get("start") or data.get("end"):
            return "all"
        return self.default_when

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)  # where and words, ``around`` included
        data = self.form.cleaned_data
        start, end = data.get("start"), data.get("end")
        queryset = queryset.between(
            local_midnight(start) if start else None,
            local_midnight(end + datetime.timedelta(days=1)) if end else None,
        )
        when = self.window
        if when == "upcoming":
            queryset = queryset.upcoming(self.now)
        elif when == "past":
            queryset = queryset.past(self.now)
        elif when == "recent":
            since = self.now - datetime.timedelta(days=FEED_RECENT_DAYS)
            queryset = queryset.filter(end__gte=since).order_by("start", "pk")
        else:
            queryset = queryset.order_by("start", "pk")
        return queryset
