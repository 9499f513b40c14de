"""iCalendar (RFC 5545) feeds built with the ``icalendar`` library.

Times are written in UTC (``DTSTART:20261026T090000Z``): every client reads
them, there is no VTIMEZONE to keep right (the one icalendar generates for
Europe/Paris stops in 2038) and a daylight-saving change cannot shift an
event. All-day events use DATE values (DTEND exclusive, RFC 5545 §3.6.1).

Every text property goes through ``_add_text``: TEXT carries no control character
(RFC 5545 §3.3.11), and icalendar writes a name it does not know (X-WR-CALNAME)
as it is, a line end included, which broke the whole calendar (a 500).
"""

import datetime
import re

import icalendar
from django.utils import timezone
from django.utils.translation import gettext as _

from .conf import uid_domain
from .dates import price_label
from .models import Event

PRODID = "-//Lieux numériques des territoires//Agenda//FR"
ICAL_STATUS = {
    Event.Status.SCHEDULED: "CONFIRMED",
    Event.Status.FULL: "CONFIRMED",
    Event.Status.POSTPONED: "TENTATIVE",
    Event.Status.CANCELLED: "CANCELLED",
}


#: A run of control characters (CR, LF, tab, C0, DEL, C1, Unicode line and paragraph
#: separators) and the spaces around it: one space in a calendar's text.
_CONTROLS = re.compile(r"\s*[\x00-\x1f\x7f-\x9f\u2028\u2029]+\s*")


def one_line(value) -> str:
    """``value`` on one line: each run of control characters is one space."""
    return _CONTROLS.sub(" ", str(value)).strip()


def _lines(value) -> str:
    """``value`` with its line ends as LF (written ``\\n``), each line as ``one_line``."""
    return "\n".join(one_line(line) for line in str(value).splitlines())


def _add_text(component, name: str, value, multiline: bool = False) -> None:
    """Add a TEXT property, escaped (``,`` ``;`` ``\\`` and line ends) whatever its name."""
    component.add(name, icalendar.vText(_lines(value) if multiline else one_line(value)))


def event_uid(event) -> str:
    return f"event-{event.pk}@{uid_domain()}"


def _utc(moment: datetime.datetime) -> datetime.datetime:
    return moment.astimezone(datetime.UTC).replace(microsecond=0)


def _description(event, url: str) -> str:
    parts = []
    if event.status != Event.Status.SCHEDULED:
        parts.append(_("État : %(status)s.") % {"status": event.get_status_display()})
    if event.summary:
        parts.append(one_line(event.summary))  # one sentence, on one line
    if event.description:
        parts.append(event.description)
    if event.is_free:
        parts.append(_("Gratuit."))
    elif event.price is not None:
        parts.append(_("Prix : %(price)s.") % {"price": price_label(event.price)})
    if event.registration_url:
        parts.append(_("Inscription : %(url)s") % {"url": event.registration_url})
    parts.append(url)
    return "\n\n".join(parts)


def vevent(event, base_url: str) -> icalendar.Event:
    url = base_url + event.get_absolute_url()
    component = icalendar.Event()
    component.add("uid", event_uid(event))
    # Without a METHOD, DTSTAMP is the last revision of the event (RFC 5545
    # §3.8.7.2): a feed that did not change gives the same bytes (and ETag).
    component.add("dtstamp", _utc(event.updated_at))
    component.add("last-modified", _utc(event.updated_at))
    component.add("created", _utc(event.created_at))
    component.add("sequence", event.sequence)
    summary = event.title
    if event.status == Event.Status.CANCELLED:
        summary = _("Annulé : %(title)s") % {"title": event.title}
    elif event.status == Event.Status.POSTPONED:
        summary = _("Reporté : %(title)s") % {"title": event.title}
    _add_text(component, "summary", summary)
    if event.all_day:
        first = timezone.localdate(event.start)
        last = timezone.localdate(event.end)
        component.add("dtstart", first)
        component.add("dtend", last + datetime.timedelta(days=1))
    else:
        component.add("dtstart", _utc(event.start))
        component.add("dtend", _utc(event.end))
    _add_text(component, "description", _description(event, url), multiline=True)
    location = event.location_text()
    if location:
        _add_text(component, "location", location)
    point = event.place_point
    if point:
        component.add("geo", (round(point[0], 6), round(point[1], 6)))
    component.add("url", url)
    component.add("status", ICAL_STATUS[event.status])
    component.add("categories", [one_line(event.get_kind_display())])
    component.add("class", "PUBLIC")
    component.add("transp", "TRANSPARENT" if shows_as_free(event) else "OPAQUE")
    return component


#: A timed event longer than this is not busy time from start to end (TRANSP).
BUSY_AT_MOST = datetime.timedelta(hours=24)


def shows_as_free(event) -> bool:
    """Whether a calendar should leave the event's time free (TRANSP:TRANSPARENT).

    An evening workshop or a day-long forum is busy time (OPAQUE). An all-day event,
    and any event longer than ``BUSY_AT_MOST`` (a 48-hour game jam, a six-month
    course whose sessions the agenda does not know) is not: its span covers nights
    and weeks its attendees are free, and an opaque one would fill their
    availability (free/busy, meeting planners) with months of busy time. It still
    shows in their calendar, as a banner.
    """
    return event.all_day or event.end - event.start > BUSY_AT_MOST


def calendar_bytes(events, *, name: str, base_url: str, description: str = "") -> bytes:
    """A VCALENDAR of ``events`` (an iterable, already select_related)."""
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    _add_text(calendar, "x-wr-calname", name)
    if description:
        _add_text(calendar, "x-wr-caldesc", description)
    # Ask subscribed clients to refresh every six hours.
    calendar.add("refresh-interval", datetime.timedelta(hours=6), parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", "PT6H")
    for event in events:
        calendar.add_component(vevent(event, base_url))
    return calendar.to_ical()
