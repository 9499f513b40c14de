"""A hub's own iCalendar feed, imported as draft events of that hub.

    manage.py import_hub_feeds [--hub SLUG] [--dry-run]

For each hub with an ``ical_feed_url``: ``fetch()`` reads the feed (http or https,
at most ``MAX_FEED_BYTES``, ``EVENTS_FEED_TIMEOUT`` seconds, whatever content type
the server announces as long as the body is a VCALENDAR); ``read_feed()`` turns its
VEVENTs into ``FeedEvent``\\ s; ``import_hub()`` writes them, in one transaction:

- each event is keyed by (hub, UID): a new UID is a new **draft** of the hub, a known
  one is updated when what the feed says of it changed (a history row naming the
  feed), never duplicated;
- what an event says is checked by the admin's own form (``EventAdminForm``: its
  fields, the model's ``clean()`` and constraints); an event it refuses is skipped
  with the form's reason, and the others go on;
- an event imported earlier that is no longer in the feed, and has not started, is
  **cancelled** here (never deleted: a calendar that subscribed to ours sees the
  cancellation);
- events written by hand (no ``source_uid``) are never touched, nor are past ones;
- staff's own choices on an imported event survive an update: its publication, its
  kind, its audiences, price, registration link…; the feed owns the title, the
  description, the dates, the place name and whether it is cancelled.

Times: a DTSTART/DTEND with a TZID or in UTC is kept as that instant; a floating
time (no zone) is read on the wall clock of Paris; DATE values are all-day events,
from 00:00 on their first day to 23:59 on their last (DTEND is exclusive, RFC 5545).
Without DTEND: DURATION, else one day (all-day) or no duration.

Repeated events (RRULE): each occurrence that ends after now and starts within the
next ``RECURRENCE_HORIZON_DAYS`` (365) becomes an event of its own, keyed by
``UID#<start of the occurrence>`` (its RECURRENCE-ID), at most ``MAX_OCCURRENCES``
an event; EXDATEs are left out, and a VEVENT with a RECURRENCE-ID replaces that
occurrence. RDATE is not read.

A feed that cannot be used (network, HTTP error, too big, not iCalendar) is
reported and its hub's events are left exactly as they were.
"""

import datetime
import logging
from dataclasses import dataclass, field

import icalendar
from dateutil.rrule import rrulestr
from django.conf import settings
from django.db import DatabaseError, transaction
from django.forms.models import model_to_dict
from django.utils import timezone

from hubs.models import Hub
from web import http

from .admin import EventAdminForm
from .ical import one_line
from .models import Event
from .services import _free_slug

logger = logging.getLogger(__name__)

MAX_FEED_BYTES = 2 * 1024 * 1024
RECURRENCE_HORIZON_DAYS = 365
MAX_OCCURRENCES = 100
MAX_EVENTS = 2000  # VEVENTs of one feed (occurrences included) beyond which it is refused
#: History rows' change reason is at most 100 characters (django-simple-history).
CHANGE_REASON_LENGTH = 100

#: What an import sets on an event; the rest is staff's.
FEED_FIELDS = ("title", "description", "start", "end", "all_day", "venue_name", "sources")


class FeedError(Exception):
    """The feed cannot be used: its hub's events stay as they were."""


@dataclass
class FeedEvent:
    key: str  # UID, or UID#RECURRENCE-ID for one occurrence
    values: dict  # FEED_FIELDS
    cancelled: bool = False


@dataclass
class HubReport:
    hub: Hub
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    cancelled: int = 0
    past: int = 0
    skipped: list = field(default_factory=list)  # (key or title, reason)
    notes: list = field(default_factory=list)
    error: str = ""

    def line(self) -> str:
        return (
            f"{self.hub.slug}: {self.created} created, {self.updated} updated, "
            f"{self.cancelled} cancelled, {len(self.skipped)} skipped, "
            f"{1 if self.error else 0} error(s) ({self.unchanged} unchanged, {self.past} past)"
        )


# ------------------------------------------------------------------ fetching


def fetch(url: str, *, timeout: float | None = None) -> bytes:
    """The feed's body; ``FeedError`` when it cannot be had."""
    timeout = settings.EVENTS_FEED_TIMEOUT if timeout is None else timeout
    try:
        # Any http(s) address is fetched, private and loopback ones included: only
        # staff set a hub's feed URL (the hub admin), and the tests serve from 127.0.0.1.
        return http.fetch(
            url,
            timeout=timeout,
            max_bytes=MAX_FEED_BYTES,
            accept="text/calendar, */*;q=0.5",
            user_agent=f"lieux-numeriques/1.0 (agenda import; {settings.SITE_URL})",
        )
    except http.FetchError as error:  # "not an http(s) URL", "HTTP 404", "larger than 2 MB"…
        raise FeedError(str(error)) from error


# ------------------------------------------------------------------ reading


def read_feed(body: bytes, *, feed_url: str, now: datetime.datetime) -> tuple[list, list, set]:
    """(events, skipped, keys): the feed's events to write, those that cannot be read
    (key, reason), and every key the feed lists (past and unreadable ones included:
    they were not removed upstream)."""
    text = body.lstrip(b"\xef\xbb\xbf \t\r\n")
    if not text[:15].upper().startswith(b"BEGIN:VCALENDAR"):
        raise FeedError("not an iCalendar feed (no BEGIN:VCALENDAR)")
    try:
        calendar = icalendar.Calendar.from_ical(text)
        components = list(calendar.walk("VEVENT"))
    except Exception as error:  # noqa: BLE001 (icalendar raises ValueError, KeyError…)
        raise FeedError(f"not a readable iCalendar feed ({error})") from error

    events, skipped, keys = [], [], set()
    overrides: dict[str, dict[str, icalendar.Event]] = {}
    masters = []
    for component in components:
        uid = one_line(component.get("uid", ""))
        if not uid:
            skipped.append((one_line(component.get("summary", "")) or "?", "no UID"))
            continue
        if component.get("recurrence-id") is not None:
            try:
                stamp = _stamp(component.decoded("recurrence-id"))
            except Exception as error:  # noqa: BLE001
                skipped.append((uid, f"unreadable RECURRENCE-ID ({error})"))
                continue
            overrides.setdefault(uid, {})[stamp] = component
        else:
            masters.append((uid, component))

    seen_uids = set()
    for uid, component in masters:
        if uid in seen_uids:
            skipped.append((uid, "the UID appears twice in the feed"))
            continue
        seen_uids.add(uid)
        try:
            if component.get("rrule") is None:
                keys.add(uid)
                found = [_feed_event(uid, component, feed_url)]
            else:
                found = _occurrences(uid, component, overrides.pop(uid, {}), feed_url, now, keys)
        except (FeedEventError, ValueError, KeyError, TypeError) as error:
            keys.add(uid)  # listed upstream: not to be cancelled for being unreadable
            skipped.append((uid, str(error)))
            continue
        events.extend(found)
    # Overrides of an event the feed does not repeat: read them as they are.
    for uid, by_stamp in overrides.items():
        for stamp, component in by_stamp.items():
            key = f"{uid}#{stamp}"
            keys.add(key)
            try:
                events.append(_feed_event(key, component, feed_url))
            except (FeedEventError, ValueError, KeyError, TypeError) as error:
                skipped.append((key, str(error)))
    if len(events) > MAX_EVENTS:
        raise FeedError(f"more than {MAX_EVENTS} events")
    return events, skipped, keys


class FeedEventError(ValueError):
    pass


def _stamp(value) -> str:
    """A RECURRENCE-ID's text: 20270105 (a date) or 20270105T080000Z (an instant, in UTC)."""
    if isinstance(value, datetime.datetime):
        return _aware(value).astimezone(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")
    return value.strftime("%Y%m%d")


def _aware(moment: datetime.datetime) -> datetime.datetime:
    """A floating time is on the wall clock of Paris (the site's time zone)."""
    return timezone.make_aware(moment) if timezone.is_naive(moment) else moment


def _times(component) -> tuple[datetime.datetime, datetime.datetime, bool]:
    """(start, end, all_day) as the site stores them."""
    if component.get("dtstart") is None:
        raise FeedEventError("no DTSTART")
    start = component.decoded("dtstart")
    end = component.decoded("dtend") if component.get("dtend") is not None else None
    if end is None and component.get("duration") is not None:
        end = start + component.decoded("duration")
    all_day = not isinstance(start, datetime.datetime)
    if all_day:
        if end is None:
            end = start + datetime.timedelta(days=1)
        if isinstance(end, datetime.datetime):
            end = timezone.localdate(_aware(end)) if timezone.is_aware(end) else end.date()
        last = end - datetime.timedelta(days=1)  # DTEND is exclusive
        # A zero-length all-day event still lasts its day; an end before the start is
        # left as it is, for the admin's form to refuse.
        last = start if last == start - datetime.timedelta(days=1) else last
        return (
            timezone.make_aware(datetime.datetime.combine(start, datetime.time(0, 0))),
            timezone.make_aware(datetime.datetime.combine(last, datetime.time(23, 59))),
            True,
        )
    start = _aware(start)
    if end is None:
        end = start
    elif not isinstance(end, datetime.datetime):  # a DATE end to a timed start
        end = timezone.make_aware(datetime.datetime.combine(end, datetime.time(0, 0)))
    return start, _aware(end), False


def _values(component, feed_url, start, end, all_day) -> dict:
    sources = [one_line(component.get("url", "")), feed_url]
    return {
        "title": one_line(component.get("summary", ""))[:200],
        "description": "\n".join(
            line.rstrip() for line in str(component.get("description", "")).splitlines()
        ).strip(),
        "start": start.replace(microsecond=0),
        "end": end.replace(microsecond=0),
        "all_day": all_day,
        "venue_name": one_line(component.get("location", ""))[:200],
        "sources": "\n".join(source for source in sources if source),
    }


def _is_cancelled(component) -> bool:
    return str(component.get("status", "")).upper() == "CANCELLED"


def _feed_event(key: str, component, feed_url: str) -> FeedEvent:
    start, end, all_day = _times(component)
    return FeedEvent(
        key, _values(component, feed_url, start, end, all_day), _is_cancelled(component)
    )


def _occurrences(uid, component, overrides, feed_url, now, keys) -> list[FeedEvent]:
    """The occurrences of a repeated event that end after ``now`` and start within
    the horizon, each keyed by ``UID#<its RECURRENCE-ID>``."""
    first = component.decoded("dtstart")
    start, end, all_day = _times(component)
    duration = end - start
    naive_day = datetime.datetime.combine(first, datetime.time(0, 0)) if all_day else None
    dtstart = naive_day or _aware(first)
    rule = component["rrule"]
    rule = rule[0] if isinstance(rule, list) else rule
    recurrence = rrulestr(rule.to_ical().decode(), dtstart=dtstart, forceset=True)
    for exdates in _as_list(component.get("exdate")):
        for value in exdates.dts:
            moment = value.dt
            if isinstance(moment, datetime.datetime):
                moment = _aware(moment) if not all_day else moment.replace(tzinfo=None)
            else:
                moment = datetime.datetime.combine(moment, datetime.time(0, 0))
                if not all_day:
                    moment = _aware(moment)
            recurrence.exdate(moment)
    horizon = now + datetime.timedelta(days=RECURRENCE_HORIZON_DAYS)
    found = []
    for occurrence in recurrence:
        begins = timezone.make_aware(occurrence) if all_day else occurrence
        if begins > horizon or len(found) >= MAX_OCCURRENCES:
            break
        stamp = _stamp(occurrence.date() if all_day else occurrence)
        key = f"{uid}#{stamp}"
        override = overrides.pop(stamp, None)
        if override is not None:
            keys.add(key)
            found.append(_feed_event(key, override, feed_url))
            continue
        if begins + duration < now:
            keys.add(key)
            continue
        keys.add(key)
        found.append(
            FeedEvent(
                key,
                _values(component, feed_url, begins, begins + duration, all_day),
                _is_cancelled(component),
            )
        )
    keys.update(f"{uid}#{stamp}" for stamp in overrides)  # outside the horizon or the rule
    return found


def _as_list(value) -> list:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


# ------------------------------------------------------------------ writing


def change_reason(feed_url: str) -> str:
    return f"agenda iCalendar {feed_url}"[:CHANGE_REASON_LENGTH]


def import_hub(hub: Hub, *, now=None, dry_run=False, body: bytes | None = None) -> HubReport:
    """Fetch and import ``hub``'s feed (``body`` instead of fetching, in tests)."""
    now = now or timezone.now()
    report = HubReport(hub)
    url = hub.ical_feed_url
    try:
        if body is None:
            body = fetch(url)
        feed_events, skipped, keys = read_feed(body, feed_url=url, now=now)
    except FeedError as error:
        report.error = str(error)
        logger.warning("iCalendar feed of %s (%s): %s", hub.slug, url, error)
        return report
    report.skipped.extend(skipped)
    try:
        with transaction.atomic():
            _write(hub, feed_events, keys, report, now=now)
            if dry_run:
                transaction.set_rollback(True)
    except DatabaseError as error:
        report.error = f"database error, nothing saved ({error})"
        report.created = report.updated = report.cancelled = 0
    return report


def _write(hub, feed_events, keys, report, *, now):
    reason = change_reason(hub.ical_feed_url)
    existing = {
        event.source_uid: event
        for event in Event.objects.filter(hub=hub).exclude(source_uid="").select_for_update()
    }
    for item in feed_events:
        event = existing.get(item.key)
        if item.values["end"] < now and event is None:
            report.past += 1
            continue
        if event is not None and event.end < now and item.values["end"] < now:
            report.past += 1  # the past is not rewritten
            continue
        values = dict(item.values)
        if event is None:
            event = Event(hub=hub, source_uid=item.key)
            values.update(
                slug=_free_slug(
                    f"{values['title']} {timezone.localdate(values['start']):%Y-%m-%d}"
                ),
                kind=Event.Kind.OTHER,
                publication=Event.Publication.DRAFT,
                status=Event.Status.CANCELLED if item.cancelled else Event.Status.SCHEDULED,
            )
        else:
            status = event.status
            if item.cancelled:
                status = Event.Status.CANCELLED
            elif status == Event.Status.CANCELLED:
                status = Event.Status.SCHEDULED  # back in the feed, no longer cancelled
            values["status"] = status
            if all(getattr(event, name) == value for name, value in values.items()):
                report.unchanged += 1
                continue
        if _save(event, values, hub, reason, report, label=item.key):
            if event.pk and item.key in existing:
                report.updated += 1
            else:
                report.created += 1
                existing[item.key] = event
    gone = (
        Event.objects.filter(hub=hub, start__gt=now)
        .exclude(source_uid="")
        .exclude(source_uid__in=keys)
        .exclude(status=Event.Status.CANCELLED)
    )
    for event in gone:
        event.status = Event.Status.CANCELLED
        event._change_reason = reason
        event.save()
        report.cancelled += 1


def _save(event, values, hub, reason, report, *, label) -> bool:
    """Validate ``values`` on ``event`` with the admin's form; save if valid."""
    data = model_to_dict(event, fields=list(EventAdminForm.base_fields))
    data = {
        name: [item.pk for item in value] if isinstance(value, list) else value
        for name, value in data.items()
        if value is not None
    }
    data.update(values, hub=hub.pk)
    form = EventAdminForm(data=data, instance=event)
    if not form.is_valid():
        reasons = "; ".join(
            f"{name}: {' '.join(messages)}" if name != "__all__" else " ".join(messages)
            for name, messages in form.errors.items()
        )
        report.skipped.append((f"{label} ({values['title'] or '?'})", reasons))
        return False
    saved = form.save(commit=False)
    saved.source_feed = hub.ical_feed_url
    saved._change_reason = reason
    saved.save()
    form.save_m2m()
    return True
