"""Listings that stay alive: who answers for a hub, the « toujours exact » link, and
how fresh each territory's listings are.

A listing is as fresh as the later of its last update (``updated_at``: any save,
a staff member's in the admin included) and its last confirmation
(``confirmed_at``: someone responsible clicked « toujours exact » in a reminder).
``remind_stale_hubs`` (hubs/reminders.py) asks about the stale ones.

The link carries, signed (``TimestampSigner``, valid ``LINK_VALIDITY``), the hub,
the person it was sent to and the hub's confirmation date when it was sent: once
the hub is confirmed, that date has changed and every link sent before says
« déjà confirmée » instead of confirming twice. Confirming sets ``confirmed_at``
with a queryset update (``updated_at`` keeps meaning « its content changed », so
the public ETags do not change when nothing the API shows did) and writes one row
of the hub's history, by that person, with :data:`CHANGE_REASON`.
"""

from __future__ import annotations

import calendar
import datetime
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.core import signing
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone

from backoffice.scoping import Scope, staff_for_commune

from .models import Hub

SALT = "hubs.freshness.confirm"
LINK_VALIDITY = datetime.timedelta(days=60)
# Stored in the history (data, not interface: not translated).
CHANGE_REASON = "confirmé exact par e-mail"
# Who may edit a hub in the back-office, and so hears about it.
EDIT_PERMISSION = "hubs.change_hub"

_EPOCH = datetime.datetime(1970, 1, 1, tzinfo=datetime.UTC)


# Who answers for a hub ----------------------------------------------------------


#: Set by the app that records hub managers (managers/apps.py), which sits above
#: this one: ``(managers_of(hub) -> accounts, edit_path(hub, user) -> path or None)``.
_managers_hooks = None


def register_managers(managers_of, edit_path) -> None:
    """Tell the freshness loop who manages a hub and where they edit it."""
    global _managers_hooks
    _managers_hooks = (managers_of, edit_path)


def hub_managers(hub) -> list:
    """The people who run ``hub`` and may edit its listing: its active managers with
    an e-mail address (issue 18, item 1), none when no app records managers."""
    if _managers_hooks is None:
        return []
    return list(_managers_hooks[0](hub))


def manager_edit_path(hub, user) -> str | None:
    """Where ``user``, a manager of ``hub``, edits it outside the back-office; None
    for anyone else."""
    if _managers_hooks is None:
        return None
    return _managers_hooks[1](hub, user)


def recipients_for(hub, cache: dict | None = None) -> list:
    """Who is asked to check ``hub``: its managers, else the staff of its territory
    (those given its EPCI, département or région; the regional administrators when
    nobody is: ``backoffice.scoping.staff_for_commune``).

    ``cache`` (a dict kept across calls) spares the staff query for the next hubs of
    the same EPCI and département.
    """
    managers = hub_managers(hub)
    if managers:
        return list(managers)
    commune = hub.commune
    key = (commune.epci_id, commune.departement_id)
    if cache is not None and key in cache:
        return cache[key]
    staff = list(staff_for_commune(commune, EDIT_PERMISSION))
    if cache is not None:
        cache[key] = staff
    return staff


def may_confirm(user, hub) -> bool:
    """Whether ``user`` still answers for ``hub``: one of its managers, or active staff
    who may edit it in its territory. A link outlives neither the account nor the role."""
    if not (user.is_active and user.email):
        return False
    if any(manager.pk == user.pk for manager in hub_managers(hub)):
        return True
    return (
        user.is_staff
        and user.has_perm(EDIT_PERMISSION)
        and Scope.for_user(user).contains_commune(hub.commune)
    )


# The « toujours exact » link -----------------------------------------------------


def _stamp(moment) -> int | None:
    """A date as whole microseconds (exact, unlike a float), for the token."""
    return None if moment is None else (moment - _EPOCH) // datetime.timedelta(microseconds=1)


def make_token(hub, user) -> str:
    """The signed token of ``user``'s link confirming ``hub``."""
    payload = {"hub": hub.pk, "user": user.pk, "was": _stamp(hub.confirmed_at)}
    return signing.TimestampSigner(salt=SALT).sign_object(payload)


class LinkError(Exception):
    """A link that confirms nothing. ``reason``: ``invalid`` (tampered, cut),
    ``expired``, ``used`` (the hub was confirmed since it was sent: ``hub`` says
    when) or ``revoked`` (the hub is no longer published, or the person no longer
    answers for it)."""

    def __init__(self, reason: str, hub=None):
        super().__init__(reason)
        self.reason = reason
        self.hub = hub


@dataclass(frozen=True)
class Link:
    hub: Hub
    user: object
    was: int | None  # the hub's confirmation when the link was sent


def read_token(token: str, *, for_update: bool = False) -> Link:
    """The hub and person of a valid link, or :class:`LinkError`."""
    try:
        payload = signing.TimestampSigner(salt=SALT).unsign_object(token, max_age=LINK_VALIDITY)
    except signing.SignatureExpired:
        raise LinkError("expired") from None
    except (signing.BadSignature, ValueError):
        raise LinkError("invalid") from None
    if not (
        isinstance(payload, dict)
        and isinstance(payload.get("hub"), int)
        and isinstance(payload.get("user"), int)
    ):
        raise LinkError("invalid")
    hubs = Hub.objects.select_related("commune__departement", "commune__epci")
    if for_update:
        hubs = hubs.select_for_update(of=("self",))
    hub = hubs.filter(pk=payload["hub"]).first()
    user = get_user_model().objects.filter(pk=payload["user"]).first()
    if hub is None or user is None:
        raise LinkError("revoked")
    if _stamp(hub.confirmed_at) != payload.get("was"):
        raise LinkError("used", hub)
    if not hub.is_published or not may_confirm(user, hub):
        raise LinkError("revoked", hub)
    return Link(hub=hub, user=user, was=payload.get("was"))


def confirm(token: str) -> Hub:
    """Confirm the hub of a valid link: ``confirmed_at`` now, one history row by its
    recipient. Raises :class:`LinkError` and changes nothing otherwise (a second
    click included: the row is locked, then read again)."""
    with transaction.atomic():
        link = read_token(token, for_update=True)
        hub, now = link.hub, timezone.now()
        Hub.objects.filter(pk=hub.pk).update(confirmed_at=now)
        hub.confirmed_at = now
        Hub.history.bulk_history_create(
            [hub],
            update=True,
            default_user=link.user,
            default_change_reason=CHANGE_REASON,
            default_date=now,
        )
    return hub


# How fresh the listings are ------------------------------------------------------


def months_before(moment: datetime.datetime, months: int) -> datetime.datetime:
    """``moment`` ``months`` calendar months earlier (31 March → 28 or 29 February)."""
    year, month0 = divmod(moment.year * 12 + moment.month - 1 - months, 12)
    day = min(moment.day, calendar.monthrange(year, month0 + 1)[1])
    return moment.replace(year=year, month=month0 + 1, day=day)


@dataclass(frozen=True)
class TerritoryFreshness:
    name: str
    published: int
    checked: int  # updated or confirmed since the limit

    @property
    def share(self) -> int:
        """The share checked, in whole percent (rounded down: 99.6 % is not 100 %)."""
        return 100 * self.checked // self.published if self.published else 0


def freshness_by_territory(scope: Scope, since) -> list[TerritoryFreshness]:
    """For each territory of ``scope`` (EPCI given to an editor; the départements of
    the départements and régions given, or of the whole directory for a regional
    administrator), its published hubs and how many were updated or confirmed
    exact since ``since``. Territories without a published hub are left out.

    One query per level (two at most), whatever the number of territories.
    """
    published = Hub.objects.published().order_by()
    counts = {"published": Count("pk"), "checked": Count("pk", filter=published.checked_q(since))}
    rows: list[TerritoryFreshness] = []
    if scope.epcis and not scope.unrestricted:
        epcis = (
            published.filter(commune__epci_id__in=sorted(scope.epcis))
            .values("commune__epci__name")
            .annotate(**counts)
            .order_by("commune__epci__name")
        )
        rows += [
            TerritoryFreshness(row["commune__epci__name"], row["published"], row["checked"])
            for row in epcis
        ]
    if scope.unrestricted or scope.departements or scope.regions:
        within = Q()
        if not scope.unrestricted:
            within = Q(commune__departement_id__in=sorted(scope.departements)) | Q(
                commune__departement__region_id__in=sorted(scope.regions)
            )
        departements = (
            published.filter(within)
            .values("commune__departement_id", "commune__departement__name")
            .annotate(**counts)
            .order_by("commune__departement_id")
        )
        rows += [
            TerritoryFreshness(
                f"{row['commune__departement__name']} ({row['commune__departement_id']})",
                row["published"],
                row["checked"],
            )
            for row in departements
        ]
    return rows
