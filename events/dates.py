"""Dates said the French way: « mardi 21 juillet 2026 », « 1er septembre », « 10 h 30 »."""

import datetime

from django.utils import dateformat, timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _


def _is_french() -> bool:
    return (get_language() or "fr").startswith("fr")


def day_label(day: datetime.date, with_year: bool = True) -> str:
    """« mardi 21 juillet 2026 »; the first of the month is « 1er »."""
    text = dateformat.format(day, "l j F Y" if with_year else "l j F")
    if _is_french() and day.day == 1:
        weekday, _day, rest = text.split(" ", 2)
        text = f"{weekday} 1er {rest}"
    return text


def short_day(day: datetime.date, with_year: bool = True) -> str:
    """« 21 juillet 2026 », « 1er septembre »."""
    text = dateformat.format(day, "j F Y" if with_year else "j F")
    if _is_french() and day.day == 1:
        text = "1er" + text[1:]
    return text


def time_label(moment: datetime.datetime) -> str:
    """« 10 h », « 10 h 30 » (French typography, non-breaking spaces)."""
    local = timezone.localtime(moment)
    if not _is_french():
        return dateformat.format(local, "g:i A")
    if local.minute:
        return f"{local.hour}\u00a0h\u00a0{local.minute:02d}"
    return f"{local.hour}\u00a0h"


def when_label(start: datetime.datetime, end: datetime.datetime, all_day: bool) -> str:
    """The whole span in one phrase, year always given.

    « mardi 21 juillet 2026, 18 h – 20 h », « du 1er septembre au 15 décembre 2017 »,
    « samedi 3 octobre 2026 » (all day).
    """
    first, last = timezone.localdate(start), timezone.localdate(end)
    if first == last:
        if all_day:
            return day_label(first)
        if start == end:
            return _("%(day)s, %(time)s") % {"day": day_label(first), "time": time_label(start)}
        return _("%(day)s, %(start)s – %(end)s") % {
            "day": day_label(first),
            "start": time_label(start),
            "end": time_label(end),
        }
    same_year = first.year == last.year
    if all_day:
        return _("du %(first)s au %(last)s") % {
            "first": short_day(first, with_year=not same_year),
            "last": short_day(last),
        }
    return _("du %(first)s, %(start)s, au %(last)s, %(end)s") % {
        "first": short_day(first, with_year=not same_year),
        "start": time_label(start),
        "last": short_day(last),
        "end": time_label(end),
    }


def hours_label(start: datetime.datetime, end: datetime.datetime, all_day: bool) -> str:
    """For a card under a day heading: « 18 h – 20 h », « toute la journée », « jusqu'au 15 déc. »."""
    first, last = timezone.localdate(start), timezone.localdate(end)
    if first != last:
        return _("jusqu’au %(day)s") % {"day": short_day(last)}
    if all_day:
        return _("toute la journée")
    if start == end:
        return time_label(start)
    return f"{time_label(start)} – {time_label(end)}"


def price_label(price) -> str:
    """« 12 € », « 7,50 € » (non-breaking space before the euro sign)."""
    text = f"{price:.2f}".removesuffix(".00").replace(".", ",")
    return f"{text}\u00a0€"
