"""Is a hub's SIRET still an open establishment? Ask the public company directory.

The « API Recherche d'entreprises » (``recherche-entreprises.api.gouv.fr/search``,
no key, about 7 requests a second) answers a search for a SIRET with the company
that owns it: ``results[]``, each with its ``siege`` and the establishments the
search matched (``matching_etablissements[]``), each with its ``siret``, its
``etat_administratif`` (« A » active, « F » fermé) and its ``date_fermeture``.

``lookup()`` asks about one SIRET and reads the answer into a ``Finding``; an
answer it cannot use (no network, a timeout, 429, 5xx, a garbled body) raises
``SireneUnavailable``, so the hub keeps what it had. ``check()`` runs through hubs,
one request per SIRET, politely spaced, and records each finding on its hub
(``siret_status``, ``siret_checked_at``, ``siret_closed_on``) without touching
anything else: no publication change, no ``updated_at``, no history row. Staff read
the result in the admin; a closed establishment is never unpublished here.

``settings.SIRENE_API_URL`` empty turns the check off: the test run sets it so.
"""

import logging
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from urllib.parse import urlencode, urlsplit

from django.conf import settings
from django.db.models import F, Q

from web.http import FetchError, NotJSON, ResponseTooLarge, fetch_json

from .models import Hub

logger = logging.getLogger(__name__)

MAX_BODY_BYTES = 2 * 1024 * 1024  # one company with its matching establishments
MAX_RETRY_AFTER = 60  # seconds: a longer Retry-After is not waited for in full

Status = Hub.SiretStatus


class SireneUnavailable(Exception):
    """No usable answer about this SIRET; ``retry_after`` (seconds) when the API said so."""

    def __init__(self, message: str, retry_after: float | None = None):
        super().__init__(message)
        self.retry_after = retry_after


@dataclass(frozen=True)
class Finding:
    status: str  # a Hub.SiretStatus value
    closed_on: date | None = None


def is_enabled() -> bool:
    return bool(settings.SIRENE_API_URL)


def user_agent() -> str:
    """Who asks: the site, so the API's operators know whom to write to."""
    return f"lieux-numeriques/1.0 (SIRET check; {settings.SITE_URL})"


# ------------------------------------------------------------------ one request


def lookup(siret: str, *, base_url: str, timeout: float) -> Finding:
    """What the directory says of ``siret``; ``SireneUnavailable`` if it says nothing usable."""
    if urlsplit(base_url).scheme not in {"http", "https"}:
        raise SireneUnavailable(f"SIRENE_API_URL is not an http(s) URL: {base_url!r}")
    params = urlencode({"q": siret, "page": "1", "per_page": "1"})
    url = f"{base_url}{'&' if '?' in base_url else '?'}{params}"
    try:
        data = fetch_json(url, timeout=timeout, max_bytes=MAX_BODY_BYTES, user_agent=user_agent())
    except ResponseTooLarge as error:
        raise SireneUnavailable("answer too large") from error
    except NotJSON as error:
        raise SireneUnavailable(f"answer is not JSON ({error.__cause__})") from error
    except FetchError as error:  # "HTTP 429", "unreachable (…)"
        retry_after = _retry_after(error.headers.get("Retry-After"))
        raise SireneUnavailable(str(error), retry_after=retry_after) from error
    return read_answer(data, siret)


def _retry_after(value: str | None) -> float | None:
    """Retry-After in seconds (the HTTP-date form is not worth the trouble here)."""
    try:
        seconds = float(value or "")
    except ValueError:
        return None
    return min(max(seconds, 0.0), MAX_RETRY_AFTER) if seconds == seconds else None  # NaN


def read_answer(data, siret: str) -> Finding:
    """The establishment ``siret`` in a search answer.

    Tolerant: a field missing or unexpected gives « unknown », never an error; only
    an answer without its ``results`` list is unusable. No result at all is « not
    found »; the company found without that establishment listed says something only
    when the company itself has ceased (« C »).
    """
    if not isinstance(data, dict) or not isinstance(data.get("results"), list):
        raise SireneUnavailable("unexpected answer: no results list")
    companies = [company for company in data["results"] if isinstance(company, dict)]
    for company in companies:
        for establishment in _establishments(company):
            if str(establishment.get("siret") or "").strip() == siret:
                return _finding(
                    establishment.get("etat_administratif"), establishment.get("date_fermeture")
                )
    for company in companies:
        if str(company.get("siren") or "").strip() == siret[:9]:
            if company.get("etat_administratif") == "C":
                return Finding(Status.CLOSED, _date(company.get("date_fermeture")))
            return Finding(Status.UNKNOWN)
    return Finding(Status.NOT_FOUND)


def _establishments(company: dict) -> list[dict]:
    matching = company.get("matching_etablissements")
    listed = matching if isinstance(matching, list) else []
    return [item for item in [*listed, company.get("siege")] if isinstance(item, dict)]


def _finding(state, closed_on) -> Finding:
    if state == "A":
        return Finding(Status.ACTIVE)
    if state in {"F", "C"}:  # fermé (an establishment), cessée (a company)
        return Finding(Status.CLOSED, _date(closed_on))
    return Finding(Status.UNKNOWN)


def _date(value) -> date | None:
    try:
        return date.fromisoformat(str(value)[:10]) if value else None
    except ValueError:
        return None


# ------------------------------------------------------------------ the check


def hubs_to_check(*, now: datetime, stale_days: int | None = None, limit: int | None = None):
    """Published hubs with a SIRET, never checked first, then the longest unchecked."""
    hubs = Hub.objects.published().exclude(siret="")
    if stale_days is not None:
        hubs = hubs.filter(
            Q(siret_checked_at__isnull=True)
            | Q(siret_checked_at__lt=now - timedelta(days=stale_days))
        )
    hubs = hubs.order_by(F("siret_checked_at").asc(nulls_first=True), "pk").only(
        "pk", "name", "slug", "siret", "siret_status", "siret_checked_at", "siret_closed_on"
    )
    return hubs[:limit] if limit else hubs


@dataclass
class CheckSummary:
    checked: int = 0  # hubs asked about, errors included
    counts: dict = field(default_factory=lambda: dict.fromkeys(Status.values, 0))
    errors: list = field(default_factory=list)  # (hub, message)
    closed: list = field(default_factory=list)  # (hub, Finding)
    not_found: list = field(default_factory=list)  # hubs

    @property
    def all_failed(self) -> bool:
        return self.checked > 0 and len(self.errors) == self.checked


def check(
    hubs: Iterable[Hub],
    *,
    now: datetime,
    dry_run: bool = False,
    ask: Callable[[str], Finding] | None = None,
    delay: float | None = None,
    sleep: Callable[[float], None] = time.sleep,
) -> CheckSummary:
    """Ask about each hub's SIRET and record the finding (unless ``dry_run``).

    Hubs sharing a SIRET share one request. Between two requests, ``delay``
    seconds (``SIRENE_DELAY``), or what a 429's Retry-After asked for. A failed
    request leaves its hubs as they were and the run goes on.
    """
    if ask is None:
        base_url, timeout = settings.SIRENE_API_URL, settings.SIRENE_TIMEOUT

        def ask(siret: str) -> Finding:
            return lookup(siret, base_url=base_url, timeout=timeout)

    delay = settings.SIRENE_DELAY if delay is None else delay
    summary = CheckSummary()
    answers: dict[str, Finding | SireneUnavailable] = {}
    wait = 0.0
    for hub in hubs:
        summary.checked += 1
        if hub.siret not in answers:
            if wait:
                sleep(wait)
            try:
                answers[hub.siret] = ask(hub.siret)
                wait = delay
            except SireneUnavailable as error:
                logger.warning("SIRET check of %s failed: %s", hub.siret, error)
                answers[hub.siret] = error
                wait = max(delay, error.retry_after or 0.0)
        answer = answers[hub.siret]
        if isinstance(answer, SireneUnavailable):
            summary.errors.append((hub, str(answer)))
            continue
        summary.counts[answer.status] += 1
        if answer.status == Status.CLOSED:
            summary.closed.append((hub, answer))
        elif answer.status == Status.NOT_FOUND:
            summary.not_found.append(hub)
        if not dry_run:
            # An update, not save(): the listing was not edited (updated_at, history
            # and publication stay as they are). Only if its SIRET is still the one
            # looked up: a number changed meanwhile is not given the old one's finding.
            Hub.objects.filter(pk=hub.pk, siret=hub.siret).update(
                siret_status=answer.status,
                siret_checked_at=now,
                siret_closed_on=answer.closed_on if answer.status == Status.CLOSED else None,
            )
    return summary
