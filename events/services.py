"""Writes on events that go beyond one form: duplicating a session."""

import calendar
import datetime
import re

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from .models import Event

# The admin offers these intervals: (days, months).
INTERVALS = {
    "1w": (7, 0),
    "2w": (14, 0),
    "1m": (0, 1),
    "3m": (0, 3),
    "6m": (0, 6),
    "1y": (0, 12),
}
DEFAULT_INTERVAL = "1w"
_DATE_SUFFIX = re.compile(r"-\d{4}-\d{2}-\d{2}$")


def add_months(moment: datetime.datetime, months: int) -> datetime.datetime:
    """Same day ``months`` later, or the month's last day (31 January + 1 month = 28/29 February)."""
    index = moment.month - 1 + months
    year, month = moment.year + index // 12, index % 12 + 1
    day = min(moment.day, calendar.monthrange(year, month)[1])
    return moment.replace(year=year, month=month, day=day)


def shift_local(moment: datetime.datetime, interval: str) -> datetime.datetime:
    """Shift on the wall clock of Europe/Paris: 10:00 stays 10:00 across a DST change."""
    days, months = INTERVALS[interval]
    local = timezone.localtime(moment).replace(tzinfo=None)
    local = add_months(local + datetime.timedelta(days=days), months)
    return timezone.make_aware(local)


def _free_slug(base: str) -> str:
    base = slugify(base)[:180] or "evenement"
    slug, number = base, 2
    while Event.objects.filter(slug=slug).exists():
        slug = f"{base}-{number}"
        number += 1
    return slug


@transaction.atomic
def event_duplicate_as_next_session(*, event: Event, interval: str = DEFAULT_INTERVAL) -> Event:
    """A draft copy of ``event`` shifted by ``interval``, with its own slug and UID."""
    start = shift_local(event.start, interval)
    end = shift_local(event.end, interval)
    audiences = list(event.audiences.all())
    copy = Event.objects.get(pk=event.pk)
    copy.pk = None
    copy._state.adding = True
    copy.start, copy.end = start, end
    base = _DATE_SUFFIX.sub("", event.slug)
    copy.slug = _free_slug(f"{base}-{timezone.localdate(start):%Y-%m-%d}")
    copy.publication = Event.Publication.DRAFT
    copy.status = Event.Status.SCHEDULED
    copy.sequence = 0
    copy.full_clean()
    copy.save()
    copy.audiences.set(audiences)
    return copy
