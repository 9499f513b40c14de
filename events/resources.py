"""Bulk import and export of events (django-import-export): one row per event.

Key: ``slug``. Dates are local times of Paris, ISO 8601 (« 2017-10-12T14:00 »,
« 2017-10-12 14:00 ») or French (« 12/10/2017 14:00 »); a date without a time
(« 2017-09-01 ») makes an all-day event. See ``docs/import.md``.
"""

import datetime

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from import_export import widgets
from import_export.fields import Field

from backoffice.imports.resources import (
    ScopedModelResource,
    commune_field,
    coordinate_field,
    text_field,
)
from backoffice.imports.widgets import (
    BooleanWidget,
    ChoiceWidget,
    DecimalWidget,
    SlugListWidget,
    URLWidget,
    is_blank,
)
from hubs.models import Audience
from hubs.resources import hub_by_slug
from territories.locate import check_point

from .models import Event

EVENT_COLUMNS = (
    "slug",
    "title",
    "kind",
    "summary",
    "description",
    "hub",
    "organizer",
    "venue_name",
    "street_address",
    "commune",
    "commune_name",
    "latitude",
    "longitude",
    "start",
    "end",
    "all_day",
    "registration_url",
    "is_free",
    "price",
    "price_details",
    "audiences",
    "accessibility",
    "status",
    "publication",
    "sources",
)
END_OF_DAY = datetime.time(23, 59)


def _local(moment: datetime.datetime) -> datetime.datetime:
    return timezone.localtime(moment) if timezone.is_aware(moment) else moment


def format_moment(moment: datetime.datetime) -> str:
    local = _local(moment)
    return local.strftime("%Y-%m-%dT%H:%M:%S" if local.second else "%Y-%m-%dT%H:%M")


class MomentWidget(widgets.Widget):
    """A local date and time, or a date alone (the cell of an all-day event)."""

    FORMATS = ("%d/%m/%Y %H:%M", "%d/%m/%Y %Hh%M", "%d/%m/%Y %H:%M:%S")
    DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y")

    def clean(self, value, row=None, **kwargs):
        if is_blank(value):
            return None
        if isinstance(value, datetime.datetime):
            if value.time() == datetime.time(0) and timezone.is_naive(value):
                return value.date()  # an XLSX date cell
            return value if timezone.is_aware(value) else timezone.make_aware(value)
        if isinstance(value, datetime.date):
            return value
        text = str(value).strip()
        for fmt in self.DATE_FORMATS:
            try:
                return datetime.datetime.strptime(text, fmt).date()
            except ValueError:
                continue
        try:
            moment = datetime.datetime.fromisoformat(text)
        except ValueError:
            moment = None
            for fmt in self.FORMATS:
                try:
                    moment = datetime.datetime.strptime(text, fmt)
                    break
                except ValueError:
                    continue
        if moment is None:
            raise ValueError(
                _(
                    "« %(value)s » n'est pas une date (AAAA-MM-JJ) ni une date et une heure "
                    "(AAAA-MM-JJTHH:MM, heure de Paris)"
                )
                % {"value": value}
            )
        return moment if timezone.is_aware(moment) else timezone.make_aware(moment)

    def render(self, value, obj=None, **kwargs):
        if value is None:
            return ""
        if isinstance(value, datetime.datetime):
            return format_moment(value)
        return value.isoformat()


class EventResource(ScopedModelResource):
    scope_paths = ("hub__commune", "commune")  # at its hub or its own venue, as in the admin
    slug = text_field("slug")
    title = text_field("title")
    kind = Field(attribute="kind", column_name="kind", widget=ChoiceWidget(Event.Kind.choices))
    summary = text_field("summary")
    description = text_field("description")
    hub = Field(
        attribute="hub",
        column_name="hub",
        widget=hub_by_slug(gettext_lazy("lieu organisateur")),
    )
    organizer = text_field("organizer")
    venue_name = text_field("venue_name")
    street_address = text_field("street_address")
    commune = commune_field()
    commune_name = Field(attribute="commune__name", column_name="commune_name", readonly=True)
    latitude = coordinate_field("latitude")
    longitude = coordinate_field("longitude")
    start = Field(attribute="start", column_name="start", widget=MomentWidget())
    end = Field(attribute="end", column_name="end", widget=MomentWidget())
    all_day = Field(attribute="all_day", column_name="all_day", widget=BooleanWidget())
    registration_url = Field(
        attribute="registration_url", column_name="registration_url", widget=URLWidget()
    )
    is_free = Field(attribute="is_free", column_name="is_free", widget=BooleanWidget())
    price = Field(attribute="price", column_name="price", widget=DecimalWidget())
    price_details = text_field("price_details")
    audiences = Field(
        attribute="audiences", column_name="audiences", widget=SlugListWidget(Audience, "public")
    )
    accessibility = text_field("accessibility")
    status = Field(
        attribute="status", column_name="status", widget=ChoiceWidget(Event.Status.choices)
    )
    publication = Field(
        attribute="publication",
        column_name="publication",
        widget=ChoiceWidget(Event.Publication.choices),
    )
    sources = text_field("sources")

    required_columns = ("slug",)
    keep_if_blank = frozenset({"status", "publication", "all_day", "is_free"})
    scope_column = "hub"
    history_label = "import d'événements"

    class Meta:
        name = gettext_lazy("Événements")
        model = Event
        fields = EVENT_COLUMNS
        import_order = EVENT_COLUMNS
        export_order = EVENT_COLUMNS
        import_id_fields = ["slug"]

    def after_init_instance(self, instance, new, row, **kwargs):
        self._original_publication = None if new else instance.publication
        super().after_init_instance(instance, new, row, **kwargs)

    def complete_instance(self, instance, row, errors, **kwargs):
        new = instance._state.adding
        self.complete_dates(instance, row, errors)
        if new and "kind" not in errors and not instance.kind:
            allowed = ", ".join(code for code, _label in Event.Kind.choices)
            errors["kind"] = [_("obligatoire (%(allowed)s)") % {"allowed": allowed}]
        self.complete_place(instance, errors)
        if new and self.default_publication and is_blank(row.get("publication")):
            instance.publication = self.default_publication
        self.check_publication(instance, self._original_publication, errors)

    def complete_dates(self, instance, row, errors):
        if {"start", "end"} & set(errors):
            return
        start, end = instance.start, instance.end
        if start is None:
            errors["start"] = [_("obligatoire : la date (et l'heure) de début")]
            return
        start_is_day = not isinstance(start, datetime.datetime)
        end_is_day = end is not None and not isinstance(end, datetime.datetime)
        if end is None:
            end = start
            end_is_day = start_is_day
        if start_is_day:
            instance.start = timezone.make_aware(datetime.datetime.combine(start, datetime.time(0)))
        if end_is_day:
            instance.end = timezone.make_aware(datetime.datetime.combine(end, END_OF_DAY))
        else:
            instance.end = end
        if start_is_day and end_is_day:
            instance.all_day = True

    def complete_place(self, instance, errors):
        if {"hub", "commune", "latitude", "longitude"} & set(errors):
            self.clean_exclude |= {"hub", "latitude", "longitude"}
            return
        lat, lng = instance.latitude, instance.longitude
        if (lat is None) != (lng is None):
            missing = "longitude" if lng is None else "latitude"
            errors[missing] = [_("donnez la latitude et la longitude, ou aucune des deux")]
            return
        if instance.commune_id:
            point, why = check_point(instance.commune, lat, lng)
            if why:
                errors["latitude"] = [why]
            else:
                instance.latitude, instance.longitude = point
        elif lat is not None:
            errors["commune"] = [_("donnez la commune (code INSEE) du lieu de l'événement")]
        elif not instance.hub_id:
            errors["hub"] = [
                _(
                    "donnez le lieu organisateur (slug) ou, pour un autre lieu, "
                    "sa commune (code INSEE)"
                )
            ]

    def dehydrate_start(self, event):
        if self._exported_as_days(event):
            return _local(event.start).date().isoformat()
        return format_moment(event.start)

    def dehydrate_end(self, event):
        if self._exported_as_days(event):
            return _local(event.end).date().isoformat()
        return format_moment(event.end)

    @staticmethod
    def _exported_as_days(event) -> bool:
        return (
            event.all_day
            and _local(event.start).time() == datetime.time(0)
            and _local(event.end).time() == END_OF_DAY
        )

    def filter_export(self, queryset, **kwargs):
        queryset = queryset.filter(self.scope.records_q(*self.scope_paths))
        return (
            queryset.select_related("hub", "commune").prefetch_related("audiences").order_by("slug")
        )
