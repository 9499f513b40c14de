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
from places.models import search_text
from territories.geo import KM_PER_DEGREE_LAT, haversine_km
from territories.placing import Placement
from territories.text import normalize

from ..models import RESERVED_SLUGS, Audience, Equipment, Hub, HubKind, Label, PossibleDuplicate
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
RELATIONS = ("kinds", "equipment", "audiences", "labels")
#: Not checked again by :func:`validate`: the commune (from the placing index) and the parent
#: (a query each; an import never sets it), and the optional fields, checked just before.
NOT_REVALIDATED = ("commune", "parent", *OPTIONAL)
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
        kinds = list(HubKind.objects.all())  # in their order, that of ``hub.kinds.all()``
        self.kinds = {k.slug: k for k in kinds}
        self.kinds_by_pk = {k.pk: k for k in kinds}
        self.kind_order = [k.pk for k in kinds]
        self.equipment = {e.slug: e for e in Equipment.objects.all()}
        self.audiences = {a.slug: a for a in Audience.objects.all()}
        self.labels = {label.slug: label for label in Label.objects.all()}


def unique_slug(name: str, taken: set[str] | None = None) -> str:
    """A free slug from ``name``; ``taken``: every slug in use, read once (then kept up to date)."""
    base = slugify(name)[:190] or "lieu"
    slug, number = base, 2
    while slug in RESERVED_SLUGS or (
        slug in taken if taken is not None else Hub.objects.filter(slug=slug).exists()
    ):
        slug, number = f"{base}-{number}", number + 1
    if taken is not None:
        taken.add(slug)
    return slug


def validate(hub: Hub) -> None:
    """``hub.full_clean()`` without a query a row: the commune comes from the placing
    index (it exists), the slug was reserved free and the source id is the key (so no
    uniqueness check), the optional fields were checked by :func:`drop_invalid_optional`
    (the opening-hours parser runs once). :class:`Refused` with the reasons."""
    try:
        hub.clean_fields(exclude=NOT_REVALIDATED)
        hub.clean()
    except ValidationError as e:
        reasons = "; ".join(f"{key} : {' '.join(msgs)}" for key, msgs in e.message_dict.items())
        raise Refused(_("données invalides (%(reasons)s)") % {"reasons": reasons}) from e


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


@dataclass
class Pending:
    """A record made into a hub, validated, not written yet (:meth:`HubWriter.prepare`)."""

    hub: Hub
    new: bool
    changed: bool  # a field changed: the hub is saved, with a history row
    missing: dict[str, list]  # relation → vocabulary objects to add (never removed)
    kind_names: list[str]  # the hub's kinds once ``missing`` is added (its search text)
    warnings: list[str] = field(default_factory=list)
    refreshed: bool = False  # bulk path: only its search text changed (a new kind)

    @property
    def status(self) -> str:
        if self.new:
            return "created"
        return "updated" if self.changed or any(self.missing.values()) else "unchanged"


def search_text_with_kinds(hub: Hub, kind_names: list[str]) -> str:
    """``hub.build_search_text()`` once the hub has these kinds, without a query.

    ``Hub.search_parts`` reads the kinds last, and from the database once the hub
    has a primary key: they are given here instead (the tests compare both paths).
    """
    pk, hub.pk = hub.pk, None
    try:
        parts = hub.search_parts()
    finally:
        hub.pk = pk
    return search_text([*parts, *kind_names])


class HubWriter:
    """Saves mapped, placed records one at a time (each in a savepoint): the per-row path.

    :meth:`prepare` does what both paths share (refusals, the match by source id,
    the fields, validation without a query, the vocabularies to add); :meth:`save`
    writes one record; ``hubs.imports.bulk.BulkHubWriter`` writes them by batches.
    """

    def __init__(self, *, scope, user=None, publish=False, history_reason="import", file_name=""):
        self.scope = scope
        self.user = user
        self.publish = publish
        self.history_reason = history_reason[:100]
        self.file_name = file_name
        self.vocabularies = Vocabularies()
        self.kind_rank = {pk: rank for rank, pk in enumerate(self.vocabularies.kind_order)}
        self.known: dict[str, Hub] | None = None  # by external_id, when prefetched
        self.related: dict[str, dict[int, set[int]]] = {}
        self.slugs: set[str] | None = None
        self.duplicates: DuplicateFinder | None = None
        self.seen: set[str] = set()  # the source ids already read in this file

    @property
    def change_reason(self) -> str:
        name = f" ({self.file_name})" if self.file_name else ""
        return f"{self.history_reason}{name}"[:100]

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
        for relation in RELATIONS:
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

    # -- what both paths share -------------------------------------------------
    def prepare(self, mapped: MappedHub, placement: Placement | None) -> Pending:
        """The hub this record makes (new or matched by its source id), its fields set
        and validated, or :class:`Refused` with the reason. Nothing is written."""
        if mapped.error:
            raise Refused(mapped.error)
        if not placement.placed:
            raise Refused(placement.error)
        if not self.scope.contains_commune(placement.commune):
            raise Refused(f"{OUT_OF_SCOPE} ({placement.commune.name})")
        if mapped.external_id and mapped.external_id in self.seen:
            raise Refused(
                _("identifiant « %(id)s » déjà lu plus haut dans le fichier")
                % {"id": mapped.external_id}
            )
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
        validate(hub)
        if mapped.external_id:
            self.seen.add(mapped.external_id)
        changed = new or any(getattr(hub, attr) != value for attr, value in before.items())
        if changed:
            hub._change_reason = self.change_reason
            if self.user is not None:
                hub._history_user = self.user
        missing, kinds = self._missing_vocabularies(hub, mapped, new)
        return Pending(hub, new, changed, missing, kinds, warnings)

    def _missing_vocabularies(self, hub: Hub, mapped: MappedHub, new: bool):
        """The vocabulary objects to add, by relation, and the hub's kinds' names after."""
        wanted = {
            "kinds": mapped.kinds,
            "equipment": mapped.equipment,
            "audiences": mapped.audiences,
            "labels": [*mapped.labels, *(mapped.labels_if_new if new else [])],
        }
        missing: dict[str, list] = {}
        kind_pks: set[int] = set()
        for relation in RELATIONS:
            by_slug = getattr(self.vocabularies, relation)
            objects = list(
                {by_slug[s].pk: by_slug[s] for s in wanted[relation] if s in by_slug}.values()
            )
            if new:
                present: set[int] = set()
            elif relation in self.related:
                present = self.related[relation].get(hub.pk, set())
            elif objects or relation == "kinds":
                present = set(getattr(hub, relation).values_list("pk", flat=True))
            else:
                present = set()
            missing[relation] = [obj for obj in objects if obj.pk not in present]
            if relation == "kinds":
                kind_pks = present | {obj.pk for obj in objects}
        by_pk = self.vocabularies.kinds_by_pk
        ordered = sorted(kind_pks, key=lambda pk: self.kind_rank.get(pk, len(self.kind_rank)))
        return missing, [by_pk[pk].name for pk in ordered if pk in by_pk]

    # -- the per-row path ------------------------------------------------------
    def save(self, mapped: MappedHub, placement: Placement | None) -> Outcome:
        with transaction.atomic():
            pending = self.prepare(mapped, placement)
            hub = pending.hub
            if pending.changed:
                hub.save()
            for relation, objects in pending.missing.items():
                if objects:
                    getattr(hub, relation).add(
                        *objects
                    )  # kinds: the signal refreshes the search text
            outcome = Outcome(pending.status, hub, pending.warnings)
            if pending.new:
                outcome.duplicates = self._flag_duplicates(hub)
            return outcome

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
