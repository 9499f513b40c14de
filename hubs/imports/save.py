"""Save a mapped, placed hub: created, updated or unchanged; possible duplicates flagged.

A hub is matched by its source id (``external_id``) only. Another hub with the same
SIRET, or the same name within 100 m, is never merged with it: the pair becomes a
``PossibleDuplicate`` for staff. An optional value that does not pass the model's
validation (an e-mail, a URL, opening hours) is dropped with a warning; the record
is refused only when the hub itself would be invalid.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from backoffice.imports.resources import OUT_OF_SCOPE
from territories.geo import KM_PER_DEGREE_LAT, haversine_km
from territories.placing import Placement
from territories.text import normalize

from ..models import Audience, Equipment, Hub, HubKind, Label, PossibleDuplicate
from .mapped import MappedHub, Refused

DUPLICATE_RADIUS_KM = 0.1
#: Fields whose bad value is dropped (with a warning) rather than refusing the record.
OPTIONAL = (
    "email",
    "website",
    "phone",
    "opening_hours",
    "siret",
    "acceslibre_url",
    "booking_url",
    "access_modes",
)
TRACKED = (
    "name",
    "summary",
    "description",
    "street_address",
    "postcode",
    "commune_id",
    "latitude",
    "longitude",
    "website",
    "email",
    "phone",
    "opening_hours",
    "status",
    "publication",
    "sources",
    "siret",
    "operator",
    "operator_kind",
    "itinerance",
    "fees",
    "services",
    "specific_support",
    "national_programmes",
    "access_modes",
    "support_modes",
    "acceslibre_url",
    "booking_url",
)


@dataclass
class Outcome:
    status: str  # "created", "updated" or "unchanged"
    hub: Hub
    warnings: list[str] = field(default_factory=list)
    duplicates: list[PossibleDuplicate] = field(default_factory=list)


class Vocabularies:
    """Kinds, equipment, audiences and labels by slug, read once an import."""

    def __init__(self):
        self.kinds = {k.slug: k for k in HubKind.objects.all()}
        self.equipment = {e.slug: e for e in Equipment.objects.all()}
        self.audiences = {a.slug: a for a in Audience.objects.all()}
        self.labels = {label.slug: label for label in Label.objects.all()}


def unique_slug(name: str, taken: set[str] | None = None) -> str:
    """A free slug from ``name``; ``taken``: every slug in use, read once (then kept up to date)."""
    base = slugify(name)[:190] or "lieu"
    slug, number = base, 2
    while slug in taken if taken is not None else Hub.objects.filter(slug=slug).exists():
        slug, number = f"{base}-{number}", number + 1
    if taken is not None:
        taken.add(slug)
    return slug


def drop_invalid_optional(hub: Hub, warnings: list[str]) -> None:
    for name in OPTIONAL:
        value = getattr(hub, name)
        if not value:
            continue
        model_field = Hub._meta.get_field(name)
        try:
            model_field.clean(value, hub)
        except ValidationError as e:
            label = model_field.verbose_name
            warnings.append(
                _("%(field)s « %(value)s » invalide, ignoré (%(why)s)")
                % {"field": label, "value": value, "why": " ".join(e.messages)}
            )
            setattr(hub, name, model_field.get_default())
    if Hub.AccessMode.ONLINE in hub.access_modes and not hub.booking_url:
        hub.access_modes = [m for m in hub.access_modes if m != Hub.AccessMode.ONLINE]


class DuplicateFinder:
    """Every hub's SIRET, name and point in memory (one query an import), for
    :func:`find_duplicates` without two queries a new hub."""

    CELL = 0.01  # degrees: about 1.1 km north-south

    def __init__(self):
        self.by_siret: dict[str, list[int]] = {}
        self.grid: dict[tuple[int, int], list[tuple[int, str, float, float]]] = {}
        for pk, name, siret, lat, lng in Hub.objects.values_list(
            "pk", "name", "siret", "latitude", "longitude"
        ):
            self.add(pk, name, siret, lat, lng)

    def _cell(self, lat, lng):
        return int(lat // self.CELL), int(lng // self.CELL)

    def add(self, pk, name, siret, lat, lng):
        if siret:
            self.by_siret.setdefault(siret, []).append(pk)
        self.grid.setdefault(self._cell(lat, lng), []).append((pk, normalize(name), lat, lng))

    def find(self, hub: Hub) -> list[tuple[int, str]]:
        found: dict[int, str] = {}
        for pk in self.by_siret.get(hub.siret, []) if hub.siret else []:
            if pk != hub.pk:
                found[pk] = PossibleDuplicate.Reason.SIRET
        name = normalize(hub.name)
        row, col = self._cell(hub.latitude, hub.longitude)
        for cell in [(row + dr, col + dc) for dr in (-1, 0, 1) for dc in (-1, 0, 1)]:
            for pk, other_name, lat, lng in self.grid.get(cell, ()):
                if (
                    pk != hub.pk
                    and pk not in found
                    and other_name == name
                    and haversine_km(hub.latitude, hub.longitude, lat, lng) <= DUPLICATE_RADIUS_KM
                ):
                    found[pk] = PossibleDuplicate.Reason.NAME_NEARBY
        return list(found.items())


def find_duplicates(hub: Hub) -> list[tuple[Hub, str]]:
    """Other hubs with the same SIRET, or the same name within 100 m."""
    found: dict[int, tuple[Hub, str]] = {}
    if hub.siret:
        for other in Hub.objects.filter(siret=hub.siret).exclude(pk=hub.pk):
            found[other.pk] = (other, PossibleDuplicate.Reason.SIRET)
    delta = DUPLICATE_RADIUS_KM / KM_PER_DEGREE_LAT * 2
    nearby = Hub.objects.filter(
        latitude__range=(hub.latitude - delta, hub.latitude + delta),
        longitude__range=(hub.longitude - 2 * delta, hub.longitude + 2 * delta),
    ).exclude(pk=hub.pk)
    name = normalize(hub.name)
    for other in nearby:
        if (
            other.pk not in found
            and normalize(other.name) == name
            and haversine_km(hub.latitude, hub.longitude, other.latitude, other.longitude)
            <= DUPLICATE_RADIUS_KM
        ):
            found[other.pk] = (other, PossibleDuplicate.Reason.NAME_NEARBY)
    return list(found.values())


class HubWriter:
    """Saves mapped, placed records one at a time (each in a savepoint)."""

    def __init__(self, *, scope, user=None, publish=False, history_reason="import", file_name=""):
        self.scope = scope
        self.user = user
        self.publish = publish
        self.history_reason = history_reason[:100]
        self.file_name = file_name
        self.vocabularies = Vocabularies()
        self.known: dict[str, Hub] | None = None  # by external_id, when prefetched
        self.related: dict[str, dict[int, set[int]]] = {}
        self.slugs: set[str] | None = None
        self.duplicates: DuplicateFinder | None = None

    def prefetch(self, external_ids) -> None:
        """Read at once what saving many records would read one at a time: the hubs of
        these source ids, their vocabularies, and the slugs in use (the bulk path)."""
        ids = [i for i in dict.fromkeys(external_ids) if i]
        self.known = {}
        for start in range(0, len(ids), 500):
            for hub in Hub.objects.select_related("commune__departement").filter(
                external_id__in=ids[start : start + 500]
            ):
                self.known[hub.external_id] = hub
        pks = [hub.pk for hub in self.known.values()]
        for relation in ("kinds", "equipment", "audiences", "labels"):
            through = getattr(Hub, relation).through
            column = f"{getattr(Hub, relation).field.m2m_reverse_field_name()}_id"
            by_hub: dict[int, set[int]] = {}
            for start in range(0, len(pks), 500):
                for hub_id, other_id in through.objects.filter(
                    hub_id__in=pks[start : start + 500]
                ).values_list("hub_id", column):
                    by_hub.setdefault(hub_id, set()).add(other_id)
            self.related[relation] = by_hub
        self.slugs = set(Hub.objects.values_list("slug", flat=True))
        self.duplicates = DuplicateFinder()

    def save(self, mapped: MappedHub, placement: Placement) -> Outcome:
        if mapped.error:
            raise Refused(mapped.error)
        if not placement.placed:
            raise Refused(placement.error)
        if not self.scope.contains_commune(placement.commune):
            raise Refused(f"{OUT_OF_SCOPE} ({placement.commune.name})")
        with transaction.atomic():
            return self._save(mapped, placement)

    def _save(self, mapped: MappedHub, placement: Placement) -> Outcome:
        warnings: list[str] = []
        if self.known is not None:
            hub = self.known.get(mapped.external_id)
        else:
            hub = (
                Hub.objects.select_related("commune__departement")
                .filter(external_id=mapped.external_id)
                .first()
            )
        new = hub is None
        if new:
            hub = Hub(
                slug=unique_slug(mapped.name, self.slugs),
                external_id=mapped.external_id,
                publication=Hub.Publication.DRAFT,
                status=Hub.Status.OPEN,
            )
        elif not self.scope.contains_commune(hub.commune):
            raise Refused(f"{OUT_OF_SCOPE} : ce lieu existant appartient à un autre territoire")
        before = {attr: getattr(hub, attr) for attr in TRACKED}
        for name, value in mapped.fields.items():
            if name in mapped.keep_if_blank and not new and value in ("", None):
                continue
            setattr(hub, name, value)
        hub.commune = placement.commune
        hub.latitude, hub.longitude = placement.latitude, placement.longitude
        hub.postcode = placement.postcode
        if self.publish:
            hub.publication = Hub.Publication.PUBLISHED
        if mapped.source_line and mapped.source_line not in hub.sources.splitlines():
            hub.sources = "\n".join(p for p in (hub.sources, mapped.source_line) if p)
        drop_invalid_optional(hub, warnings)
        try:
            # Unique fields: the slug is made free above, the external id is the key.
            hub.full_clean(validate_unique=False, validate_constraints=False)
        except ValidationError as e:
            reasons = "; ".join(f"{key} : {' '.join(msgs)}" for key, msgs in e.message_dict.items())
            raise Refused(_("données invalides (%(reasons)s)") % {"reasons": reasons}) from e
        changed = new or any(getattr(hub, attr) != value for attr, value in before.items())
        if changed:
            name = f" ({self.file_name})" if self.file_name else ""
            hub._change_reason = f"{self.history_reason}{name}"[:100]
            if self.user is not None:
                hub._history_user = self.user
            hub.save()
        m2m_changed = self._add_vocabularies(hub, mapped, new)
        outcome = Outcome(
            "created" if new else ("updated" if changed or m2m_changed else "unchanged"),
            hub,
            warnings,
        )
        if new:
            outcome.duplicates = self._flag_duplicates(hub)
        return outcome

    def _add_vocabularies(self, hub: Hub, mapped: MappedHub, new: bool) -> bool:
        wanted = {
            "kinds": [
                self.vocabularies.kinds[s] for s in mapped.kinds if s in self.vocabularies.kinds
            ],
            "equipment": [
                self.vocabularies.equipment[s]
                for s in mapped.equipment
                if s in self.vocabularies.equipment
            ],
            "audiences": [
                self.vocabularies.audiences[s]
                for s in mapped.audiences
                if s in self.vocabularies.audiences
            ],
            "labels": [
                self.vocabularies.labels[s]
                for s in [*mapped.labels, *(mapped.labels_if_new if new else [])]
                if s in self.vocabularies.labels
            ],
        }
        changed = False
        for relation, objects in wanted.items():
            if not objects:
                continue
            manager = getattr(hub, relation)
            if new:
                present = set()
            elif relation in self.related:
                present = self.related[relation].get(hub.pk, set())
            else:
                present = set(manager.values_list("pk", flat=True))
            missing = [obj for obj in objects if obj.pk not in present]
            if missing:
                manager.add(*missing)  # kinds: the signal refreshes the search text
                changed = True
        return changed

    def _flag_duplicates(self, hub: Hub) -> list[PossibleDuplicate]:
        if self.duplicates is not None:
            found = self.duplicates.find(hub)
            others = Hub.objects.in_bulk([pk for pk, _reason in found]) if found else {}
            pairs = [(others[pk], reason) for pk, reason in found]
            self.duplicates.add(hub.pk, hub.name, hub.siret, hub.latitude, hub.longitude)
        else:
            pairs = find_duplicates(hub)
        flagged = []
        for other, reason in pairs:
            if PossibleDuplicate.objects.filter(hub=other, other=hub).exists():
                continue
            duplicate, _created = PossibleDuplicate.objects.get_or_create(
                hub=hub, other=other, defaults={"reason": reason, "source": self.file_name[:200]}
            )
            flagged.append(duplicate)
        return flagged
