"""Agenda, month view, event page and the iCalendar / GeoJSON feeds."""

import calendar
import datetime
from itertools import groupby

from django.conf import settings
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from backoffice.scoping import can_preview
from hubs.models import Hub
from places.filters import DEFAULT_RADIUS_KM, RADIUS_CHOICES
from web.api import bad_request, conditional_response
from web.maps import map_settings
from web.querystrings import without_blanks

from . import exports, ical, selectors
from .conf import EVENTS_PER_PAGE, FEED_CACHE_SECONDS, FEED_MAX_EVENTS, MONTH_MAX_EVENTS
from .dates import day_label
from .filters import MAX_YEAR, MIN_YEAR, EventFilterSet, local_midnight
from .jsonld import event_jsonld
from .models import Event


def _filterset(request, queryset=None, **kwargs):
    filterset = EventFilterSet(
        without_blanks(request.GET),
        queryset=queryset if queryset is not None else selectors.public_events(),
        **kwargs,
    )
    return filterset, filterset.qs if filterset.is_valid() else None


def _base_url(request) -> str:
    return request.build_absolute_uri("/").rstrip("/")


def _query_without(request, *names) -> str:
    query = request.GET.copy()
    for name in names:
        query.pop(name, None)
    return query.urlencode()


def _filter_context(request, filterset):
    return {
        "filter": filterset,
        "form": filterset.form,
        "kinds": Event.Kind.choices,
        "radius_choices": RADIUS_CHOICES,
        "default_radius": DEFAULT_RADIUS_KM,
        "center": filterset.center,
        "place_ref": filterset.place_ref or _territory(filterset),
        "when": filterset.window,
        "feed_query": _query_without(request, "page", "when", "view"),
        **_hub_choices(filterset),
        "autocomplete_config": {"autocompleteUrl": reverse("api:territories-autocomplete")},
    }


def _territory(filterset):
    """The territory asked for by code (``?territory=dep:62``), to name it in the heading."""
    return filterset.form.cleaned_data.get("territory") if filterset.is_valid() else None


#: Beyond this many organising hubs a select is no help: the page asks for a place first.
HUB_CHOICES_MAX = 80


def _hub_choices(filterset) -> dict:
    """The "Lieu organisateur" choices: published hubs with events in the current selection.

    At most ``HUB_CHOICES_MAX`` (one query): with the whole country selected
    (thousands of hubs) the template asks to choose a territory first.
    """
    # The selection without its own hub filter: a visitor can switch to another hub.
    data = filterset.data.copy()
    data.pop("hub", None)
    others = EventFilterSet(data, queryset=filterset.queryset)
    events = others.qs if others.is_valid() else selectors.public_events()
    with_events = events.filter(hub__isnull=False).order_by().values("hub_id")
    choices = list(
        Hub.objects.published()
        .filter(pk__in=with_events)
        .order_by("name")
        .values_list("slug", "name")[: HUB_CHOICES_MAX + 1]
    )
    selected = filterset.form["hub"].value()
    if len(choices) > HUB_CHOICES_MAX:
        return {"hub_choices": None, "hub_selected": selected}
    return {"hub_choices": choices, "hub_selected": selected}


def group_by_day(events, today=None, clamp=False):
    """``[(date, label, [events])]`` in the order given.

    With ``clamp`` (upcoming events) an event that started before today is shown
    under today: it is still going on.
    """
    today = today or timezone.localdate()

    def key(event):
        day = timezone.localdate(event.start)
        return max(day, today) if clamp else day

    groups = []
    for day, items in groupby(events, key=key):
        groups.append((day, day_label(day), list(items)))
    return groups


@require_safe
def agenda(request):
    filterset, queryset = _filterset(request)
    context = _filter_context(request, filterset)
    status = 200
    page = None
    if queryset is None:
        status = 400
    else:
        page = selectors.page_of_cards(queryset, request.GET.get("page"), EVENTS_PER_PAGE)
    today = timezone.localdate()
    context.update(
        page_obj=page,
        days=group_by_day(page.object_list, today, clamp=filterset.window == "upcoming")
        if page
        else [],
        today=today,
        query_string=_query_without(request, "page"),
        month_url=reverse("events:month", kwargs={"year": today.year, "month": today.month}),
    )
    return render(request, "events/agenda.html", context, status=status)


#: The month view opens on the next month with events, up to this many months ahead.
MONTH_LOOKAHEAD = 12


@require_safe
def month_redirect(request):
    """« Par mois »: this month if an event of the selection is still to come in it,
    else the next month that has one (within ``MONTH_LOOKAHEAD`` months), never an
    empty grid when the agenda has something to show."""
    today = timezone.localdate()
    queryset = _filterset(request, default_when="all")[1]
    first = today.replace(day=1)
    if queryset is not None:
        first = selectors.first_month_with_events(queryset, today, MONTH_LOOKAHEAD)
    url = reverse("events:month", kwargs={"year": first.year, "month": first.month})
    query = request.GET.urlencode()
    return redirect(f"{url}?{query}" if query else url)


def _month_weeks(year: int, month: int, events, today: datetime.date):
    """Weeks of the month (Monday first), each day with the events that start on it.

    An event that began before the month is shown on the 1st. ``today`` is the date
    in Europe/Paris (``timezone.localdate()``), not the server's or UTC's: from
    midnight to 2 a.m. in summer they are still on the day before.
    """
    first = datetime.date(year, month, 1)
    by_day: dict[datetime.date, list] = {}
    for event in events:
        day = max(timezone.localdate(event.start), first)
        by_day.setdefault(day, []).append(event)
    weeks = []
    for week in calendar.Calendar(firstweekday=0).monthdatescalendar(year, month):
        weeks.append(
            [
                {
                    "date": day,
                    "label": day_label(day),
                    "in_month": day.month == month,
                    "is_today": day == today and day.month == month,
                    "events": by_day.get(day, []) if day.month == month else [],
                }
                for day in week
            ]
        )
    return weeks


@require_safe
def month(request, year, month):
    if not (MIN_YEAR <= year <= MAX_YEAR and 1 <= month <= 12):
        raise Http404
    first = datetime.date(year, month, 1)
    following = (first + datetime.timedelta(days=32)).replace(day=1)
    previous = (first - datetime.timedelta(days=1)).replace(day=1)
    filterset, queryset = _filterset(request, default_when="all")
    context = _filter_context(request, filterset)
    status = 200
    events = []
    truncated = False
    if queryset is None:
        status = 400
    else:
        selection = selectors.for_cards(
            queryset.between(local_midnight(first), local_midnight(following))
        ).order_by("start", "pk")
        events = list(selection[: MONTH_MAX_EVENTS + 1])
        truncated = len(events) > MONTH_MAX_EVENTS
        events = events[:MONTH_MAX_EVENTS]
    query = _query_without(request, "page")
    today = timezone.localdate()
    context.update(
        month_date=first,
        weeks=_month_weeks(year, month, events, today),
        event_count=len(events),
        truncated=truncated,
        today=today,
        weekdays=[
            _("lundi"),
            _("mardi"),
            _("mercredi"),
            _("jeudi"),
            _("vendredi"),
            _("samedi"),
            _("dimanche"),
        ],
        previous_url=reverse(
            "events:month", kwargs={"year": previous.year, "month": previous.month}
        )
        if previous.year >= MIN_YEAR
        else None,
        next_url=reverse("events:month", kwargs={"year": following.year, "month": following.month})
        if following.year <= MAX_YEAR
        else None,
        query_string=query,
        is_valid=queryset is not None,
    )
    return render(request, "events/month.html", context, status=status)


def _visible_event(request, slug):
    queryset = selectors.for_display(Event.objects.all()).prefetch_related("audiences")
    event = get_object_or_404(queryset, slug=slug)
    if not event.is_published and not can_preview(request.user, Event, event.staff_commune):
        raise Http404
    return event


@require_safe
def event_detail(request, slug):
    event = _visible_event(request, slug)
    point = event.place_point
    is_past = event.is_past()
    context = {
        "event": event,
        # Full or over: the next session of the same event, to register for instead.
        "next_session": selectors.next_session(event)
        if event.status == Event.Status.FULL or is_past
        else None,
        "audiences": list(event.audiences.all()),
        "is_past": is_past,
        "commune": event.place_commune,
        "point": point,
        "jsonld": event_jsonld(event, request),
        "map_config": _small_map(event, point),
    }
    return render(request, "events/detail.html", context)


def _small_map(event, point):
    if not point:
        return None
    return map_settings(center=list(point), zoom=15, label=event.title)


def _ics_response(body: bytes, filename: str, attachment: bool) -> HttpResponse:
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    disposition = "attachment" if attachment else "inline"
    response["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    return response


@require_safe
def event_ics(request, slug):
    """« Ajouter à mon agenda »: the one event, as a file a calendar opens."""
    event = _visible_event(request, slug)
    body = ical.calendar_bytes([event], name=event.title, base_url=_base_url(request))
    return _ics_response(body, f"{event.slug}.ics", attachment=True)


@require_safe  # HEAD too: caches and feed readers revalidate with it
def events_ics(request):
    filterset, queryset = _filterset(request, default_when="recent")
    if queryset is None:
        return bad_request(filterset)

    def render_feed():
        body = ical.calendar_bytes(
            selectors.for_display(queryset)[:FEED_MAX_EVENTS],
            name=_("Agenda — %(site)s") % {"site": _site_name()},
            description=_("Événements des lieux numériques du territoire."),
            base_url=_base_url(request),
        )
        return _ics_response(body, "agenda.ics", attachment=False)

    return conditional_response(
        request, selectors.freshness(queryset), "ics", render_feed, FEED_CACHE_SECONDS
    )


@require_safe
def hub_events_ics(request, slug):
    hub = get_object_or_404(Hub.objects.published(), slug=slug)
    filterset, queryset = _filterset(
        request, queryset=selectors.public_events().filter(hub=hub), default_when="recent"
    )
    if queryset is None:
        return bad_request(filterset)

    def render_feed():
        body = ical.calendar_bytes(
            selectors.for_display(queryset)[:FEED_MAX_EVENTS],
            name=_("Agenda — %(hub)s") % {"hub": hub.name},
            description=_("Événements de %(hub)s.") % {"hub": hub.name},
            base_url=_base_url(request),
        )
        return _ics_response(body, f"{hub.slug}.ics", attachment=False)

    return conditional_response(
        request, selectors.freshness(queryset), f"hub-ics-{hub.pk}", render_feed, FEED_CACHE_SECONDS
    )


@require_safe
def events_geojson(request):
    filterset, queryset = _filterset(request)
    if queryset is None:
        return bad_request(filterset)

    def render_geojson():
        return HttpResponse(
            exports.geojson_bytes(queryset), content_type="application/geo+json; charset=utf-8"
        )

    return conditional_response(request, selectors.freshness(queryset), "geojson", render_geojson)


def _site_name() -> str:
    return settings.SITE_NAME
