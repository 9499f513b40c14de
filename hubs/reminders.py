"""The monthly reminder about stale listings (``manage.py remind_stale_hubs``).

Each person responsible for published hubs neither updated nor confirmed exact for
``HUBS_STALE_MONTHS`` months gets one e-mail listing them all, each with its
« toujours exact » link (hubs/freshness.py) and the link to edit it. Nobody is
asked about the same hub again within :data:`REMINDER_INTERVAL` (``HubReminder``),
so a monthly run, or a second run the same day, never repeats itself. An account
whose preferences (« Mon compte ») turn reminders off gets none; the others are
written to in the language they chose, French otherwise.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist
from django.db import transaction
from django.urls import NoReverseMatch, reverse

from web.mail import absolute_url, send_templated

from . import freshness
from .models import Hub, HubReminder

# A monthly run (cron, systemd timer) may start a few days early or late.
REMINDER_INTERVAL = datetime.timedelta(days=25)
TEMPLATE = "hubs/stale_reminder"


@dataclass
class Reminder:
    """One message: a person and the hubs they are asked about."""

    recipient: object
    hubs: list = field(default_factory=list)


@dataclass
class Summary:
    sent: list[Reminder] = field(default_factory=list)
    failed: list[tuple[Reminder, Exception]] = field(default_factory=list)
    stale_hubs: int = 0  # published and stale, asked about or not
    unreached_hubs: list = field(default_factory=list)  # nobody to ask (or all opted out)

    @property
    def hubs(self) -> int:
        """Hubs asked about in at least one message."""
        return len({hub.pk for reminder in self.sent for hub in reminder.hubs})


def _preferences(user):
    """The account's e-mail preferences (``backoffice.StaffPreferences``), or None:
    none saved, or no such model on this version."""
    try:
        return user.staff_preferences
    except (AttributeError, ObjectDoesNotExist):
        return None


def wants_reminders(user) -> bool:
    preferences = _preferences(user)
    return getattr(preferences, "notify_reminders", True)


def language_of(user) -> str:
    preferences = _preferences(user)
    return getattr(preferences, "email_language", "") or settings.LANGUAGE_CODE


def edit_url(hub, user) -> str:
    """Where ``user`` edits ``hub``: a hub manager's own form (/gestion/), the
    admin's change page for staff."""
    path = freshness.manager_edit_path(hub, user)
    return absolute_url(path or reverse("admin:hubs_hub_change", args=[hub.pk]))


def _account_url(user) -> str | None:
    """« Mon compte », where reminders are turned off, when the site has the page: the
    back-office's for staff, the managers' area's (/gestion/compte/) for hub managers."""
    try:
        return absolute_url(reverse("admin:account" if user.is_staff else "managers:account"))
    except NoReverseMatch:
        return None


def due(*, now, months: int) -> tuple[list[Reminder], Summary]:
    """The messages a run at ``now`` sends: one per person, their stale hubs by name."""
    before = freshness.months_before(now, months)
    stale = list(
        Hub.objects.published()
        .stale(before)
        .select_related("commune__departement", "commune__epci")
        .order_by("name", "pk")
    )
    summary = Summary(stale_hubs=len(stale))
    recent = set(
        HubReminder.objects.filter(
            hub__in=[hub.pk for hub in stale], sent_at__gt=now - REMINDER_INTERVAL
        ).values_list("hub_id", "recipient_id")
    )
    reminders: dict[int, Reminder] = {}
    cache: dict = {}
    for hub in stale:
        recipients = [user for user in freshness.recipients_for(hub, cache) if user.email]
        wanting = [user for user in recipients if wants_reminders(user)]
        if not wanting:
            summary.unreached_hubs.append(hub)
        for user in wanting:
            if (hub.pk, user.pk) in recent:
                continue
            reminders.setdefault(user.pk, Reminder(user)).hubs.append(hub)
    return [reminders[pk] for pk in sorted(reminders)], summary


def _context(reminder: Reminder, months: int) -> dict:
    user = reminder.recipient
    return {
        "recipient": user,
        "months": months,
        "hubs": [
            {
                "name": hub.name,
                "commune": hub.commune.name,
                "checked_at": hub.checked_at,
                "page_url": absolute_url(hub.get_absolute_url()),
                "confirm_url": absolute_url(
                    reverse("hubs:confirm", args=[freshness.make_token(hub, user)])
                ),
                "edit_url": edit_url(hub, user),
            }
            for hub in reminder.hubs
        ],
        "account_url": _account_url(user),
        "link_days": freshness.LINK_VALIDITY.days,
    }


def send(reminder: Reminder, *, now, months: int) -> None:
    """Send one message and remember it (not before: a failed one is tried again)."""
    user = reminder.recipient
    send_templated(user.email, TEMPLATE, _context(reminder, months), language_of(user))
    with transaction.atomic():
        for hub in reminder.hubs:
            HubReminder.objects.update_or_create(hub=hub, recipient=user, defaults={"sent_at": now})


def run(*, now, months: int, dry_run: bool = False) -> Summary:
    """Send the due messages (none with ``dry_run``); a failed send does not stop
    the others: it is in ``Summary.failed``."""
    reminders, summary = due(now=now, months=months)
    for reminder in reminders:
        if dry_run:
            summary.sent.append(reminder)
            continue
        try:
            send(reminder, now=now, months=months)
        except Exception as error:  # noqa: BLE001 (an SMTP error, reported by the command)
            summary.failed.append((reminder, error))
        else:
            summary.sent.append(reminder)
    return summary
