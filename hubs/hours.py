"""Opening hours: OpenStreetMap's ``opening_hours`` syntax, read by a maintained
parser (``opening-hours-py``, a binding of the Rust ``opening-hours`` crate).

The national « lieux de médiation numérique » schema stores hours in this syntax
(``horaires``), and so do we: « Mo-Fr 09:00-12:00,14:00-18:00; Sa 10:00-13:00;
PH off ». Every evaluation happens in Europe/Paris time with the French public
holidays (``PH``), whatever the server's clock or the visitor's time zone.

This module is the one place that parses hours: the model's validator, the
admin's preview, the hub page's week and « open now » state, and the
``open_now`` / ``open_at`` filters all call it.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from functools import lru_cache
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from opening_hours import OpeningHours, ParserError, State

PARIS = ZoneInfo("Europe/Paris")
COUNTRY = "FR"
#: Beyond this, « ouvre le 5 janvier » rather than a weekday name.
WEEK = datetime.timedelta(days=7)

HELP_TEXT = gettext_lazy(
    "Au format OpenStreetMap, celui du schéma national des lieux de médiation "
    "numérique. Exemple : « Mo-Fr 09:00-12:00,14:00-18:00; Sa 10:00-13:00; PH off » "
    "(du lundi au vendredi de 9 h à 12 h et de 14 h à 18 h, le samedi de 10 h à 13 h, "
    "fermé les jours fériés). Jours : Mo Tu We Th Fr Sa Su ; PH = jours fériés."
)


@lru_cache(maxsize=4096)
def parse(text: str) -> OpeningHours:
    """The parsed expression (cached: many hubs share the same hours).

    Raises ``ParserError`` on a value that is not in the syntax.
    """
    return OpeningHours(text.strip(), timezone=PARIS, country=COUNTRY)


def validate_opening_hours(value: str) -> None:
    """The model field's validator: an unparsable value is a form error."""
    if not value or not value.strip():
        return
    try:
        parse(value)
    except ParserError as error:
        raise ValidationError(
            gettext_lazy(
                "Horaires illisibles : « %(value)s ». Utilisez le format OpenStreetMap, "
                "par exemple « Mo-Fr 09:00-18:00; Sa 10:00-12:00 » (%(detail)s)."
            ),
            code="opening_hours",
            params={"value": value.strip(), "detail": _parser_hint(error)},
        ) from error


def _parser_hint(error: ParserError) -> str:
    """Where the parser stopped, in plain words (its own message is a grammar dump)."""
    found = re.search(r"-->\s*\d+:(\d+)", str(error))
    if found:
        return _("erreur au caractère %(position)s") % {"position": found.group(1)}
    return _("syntaxe non reconnue")


def now() -> datetime.datetime:
    """The current time in Paris (``timezone.now`` so that tests can freeze it)."""
    return timezone.now().astimezone(PARIS)


def is_public_holiday(day: datetime.date) -> bool:
    return parse("PH").is_open(datetime.datetime.combine(day, datetime.time(12), PARIS))


def is_open(text: str, when: datetime.datetime) -> bool:
    """True when the place is open at ``when``; False when closed, unknown or unparsable."""
    if not text:
        return False
    try:
        return parse(text).is_open(when.astimezone(PARIS))
    except ParserError:
        return False


def open_ids(rows, when: datetime.datetime) -> list[int]:
    """The ids of ``(id, opening_hours)`` rows open at ``when``."""
    return [pk for pk, text in rows if is_open(text, when)]


# --- words ------------------------------------------------------------------


def clock(moment: datetime.datetime | datetime.time) -> str:
    """« 9 h », « 9 h 30 » in French; « 9:00 », « 9:30 » in English."""
    if moment.minute:
        return _("%(hour)s h %(minute)02d") % {"hour": moment.hour, "minute": moment.minute}
    return _("%(hour)s h") % {"hour": moment.hour}


def _day_name(day: datetime.date, today: datetime.date) -> str:
    if day == today:
        return _("aujourd'hui")
    if day == today + datetime.timedelta(days=1):
        return _("demain")
    if day - today < WEEK:
        return formats.date_format(day, "l")
    return formats.date_format(day, "l j F")


def _at(moment: datetime.datetime, today: datetime.date) -> str:
    """« à 18 h » today, « demain à 9 h », « lundi à 9 h », « lundi 5 janvier à 9 h »."""
    day = moment.date()
    if day == today:
        return _("à %(time)s") % {"time": clock(moment)}
    return _("%(day)s à %(time)s") % {"day": _day_name(day, today), "time": clock(moment)}


def moment_in_words(moment: datetime.datetime) -> str:
    """« mardi 1 décembre à 10 h » (« Tuesday 1 December at 10:00 »)."""
    moment = moment.astimezone(PARIS)
    return _("%(day)s à %(time)s") % {
        "day": formats.date_format(moment, "l j F"),
        "time": clock(moment),
    }


@dataclass(frozen=True)
class Status:
    """The state of a place at one moment, in words."""

    state: str  # "open", "closed" or "unknown"
    label: str  # « Ouvert », « Fermé », « Horaires à confirmer »
    detail: str  # « ferme à 18 h », « ouvre lundi à 9 h », or ""
    comment: str  # the expression's own comment (« sur rendez-vous »), or ""
    holiday: bool  # ``when`` falls on a French public holiday

    @property
    def sentence(self) -> str:
        return " · ".join(part for part in (self.label, self.detail) if part)


def status(text: str, when: datetime.datetime | None = None) -> Status | None:
    """« Ouvert · ferme à 18 h » / « Fermé · ouvre lundi à 9 h », or None without hours."""
    if not text:
        return None
    try:
        hours = parse(text)
    except ParserError:
        return None
    when = (when or now()).astimezone(PARIS)
    today = when.date()
    state, comment = hours.state(when)
    change = hours.next_change(when)
    holiday = is_public_holiday(today)
    if state == State.OPEN:
        detail = (
            _("ferme %(at)s") % {"at": _at(change, today)} if change else _("ouvert en continu")
        )
        return Status("open", _("Ouvert"), detail, comment, holiday)
    if state == State.CLOSED:
        opening = _next_opening(hours, when)
        detail = _("ouvre %(at)s") % {"at": _at(opening, today)} if opening else ""
        label = _("Fermé (jour férié)") if holiday else _("Fermé")
        return Status("closed", label, detail, comment, holiday)
    return Status("unknown", _("Horaires à confirmer"), "", comment, holiday)


def _next_opening(hours: OpeningHours, when: datetime.datetime) -> datetime.datetime | None:
    """The next moment the place opens, within a year (a closed place may never)."""
    horizon = when + datetime.timedelta(days=366)
    for start, _end, state, _comment in hours.intervals(when, horizon):
        if state == State.OPEN:
            return start
    return None


@dataclass(frozen=True)
class Day:
    date: datetime.date
    name: str  # « aujourd'hui », « lundi »…
    spans: tuple[str, ...]  # (« 9 h – 12 h », « 14 h – 18 h »), empty when closed
    is_open: bool
    holiday: bool
    is_today: bool

    @property
    def hours(self) -> str:
        """« 9 h – 12 h, 14 h – 18 h » or « fermé »."""
        return ", ".join(self.spans) if self.spans else _("fermé")


def week(text: str, when: datetime.datetime | None = None) -> list[Day]:
    """The next seven days from ``when``'s day, each in words."""
    if not text:
        return []
    try:
        hours = parse(text)
    except ParserError:
        return []
    when = (when or now()).astimezone(PARIS)
    today = when.date()
    days = []
    for offset in range(7):
        day = today + datetime.timedelta(days=offset)
        start = datetime.datetime.combine(day, datetime.time(0), PARIS)
        end = start + datetime.timedelta(days=1)
        spans = []
        for span_start, span_end, state, comment in hours.intervals(start, end):
            if state == State.CLOSED:
                continue
            if span_end >= end and span_start <= start:
                words = _("toute la journée")
            elif span_end >= end:
                words = _("à partir de %(time)s") % {"time": clock(span_start)}
            else:
                words = _("%(start)s – %(end)s") % {
                    "start": clock(span_start),
                    "end": clock(span_end),
                }
            if state == State.UNKNOWN:
                words = _("%(hours)s (à confirmer)") % {"hours": words}
            if comment:
                words = f"{words} ({comment})"
            spans.append(words)
        holiday = is_public_holiday(day)
        days.append(
            Day(
                date=day,
                name=formats.date_format(day, "l"),
                spans=tuple(spans),
                is_open=bool(spans),
                holiday=holiday,
                is_today=offset == 0,
            )
        )
    return days


def preview(text: str, when: datetime.datetime | None = None) -> list[str]:
    """The admin's plain-French reading of a value: one line per day of the coming week."""
    return [
        f"{day.name.capitalize()}{' (' + _('férié') + ')' if day.holiday else ''} : {day.hours}"
        for day in week(text, when)
    ]
