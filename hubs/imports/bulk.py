"""The bulk path: records saved by batches, a few queries a batch instead of a few a row.

Each record is prepared as on the per-row path (:meth:`HubWriter.prepare`: refused
with its reason, or matched by its source id, its fields set and validated without a
query); then, a batch at a time:

- the new hubs in one ``bulk_create`` with their search text already computed (their
  kinds are known from the mapping: no refresh after), their slugs reserved in memory,
  and their history rows (``+``, the importing user, « import … (file) ») by
  django-simple-history's ``bulk_create_with_history``;
- the changed hubs in one ``bulk_update`` with their history rows (``~``) by
  ``bulk_update_with_history``; a hub whose only change is a new kind gets its
  search text and ``updated_at`` updated, without a history row (as on the
  per-row path, where the kinds' signal does it);
- the vocabularies added, one ``bulk_create`` of each relation's through rows;
- possible duplicates found in memory (``DuplicateFinder``), in one ``bulk_create``.

``Hub.save()`` and the ``m2m_changed`` signal are not called: what they would do is
done here, and the tests check that both paths leave the same hubs, links, search
text and history rows. Any database error is not a row's refusal but a failure of
the whole import (``hubs.imports.run`` rolls the file back).
"""

from __future__ import annotations

from collections.abc import Iterable

from django.utils import timezone
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from ..models import SIRET_FINDING_FIELDS, Hub, PossibleDuplicate
from .save import RELATIONS, TRACKED, HubWriter, Outcome, Pending, search_text_with_kinds

BATCH_SIZE = 500
#: What ``bulk_update`` writes of a changed hub (``Hub.save()`` would write every column;
#: these are all an import sets, with the search text and the timestamp).
#: A new SIRET forgets the company directory's finding (``Hub.forget_stale_siret_finding``).
UPDATED_FIELDS = [name.removesuffix("_id") for name in TRACKED] + [
    "search_text",
    "updated_at",
    *SIRET_FINDING_FIELDS,
]


class BulkHubWriter(HubWriter):
    """:class:`HubWriter` whose :meth:`write` saves prepared records by batches."""

    def write(self, batch: Iterable[Pending]) -> list[Outcome]:
        """Save these prepared records; their outcomes, in the same order."""
        batch = list(batch)
        now = timezone.now()
        created = [p.hub for p in batch if p.new]
        for pending in batch:
            if pending.new or pending.changed or pending.missing["kinds"]:
                text = search_text_with_kinds(pending.hub, pending.kind_names)
                if pending.new or pending.changed:
                    pending.hub.search_text = text
                elif text != pending.hub.search_text:  # a new kind only: no history row
                    pending.hub.search_text, pending.hub.updated_at = text, now
                    pending.refreshed = True
        if created:
            bulk_create_with_history(
                created,
                Hub,
                batch_size=BATCH_SIZE,
                default_user=self.user,
                default_change_reason=self.change_reason,
            )
        changed = [p.hub for p in batch if p.changed and not p.new]
        for hub in changed:
            hub.updated_at = now  # ``auto_now``: bulk_update does not set it
            hub.forget_stale_siret_finding()  # what save() would do
        if changed:
            bulk_update_with_history(
                changed,
                Hub,
                UPDATED_FIELDS,
                batch_size=BATCH_SIZE,
                default_user=self.user,
                default_change_reason=self.change_reason,
            )
        refreshed = [p.hub for p in batch if p.refreshed]
        if refreshed:
            Hub.objects.bulk_update(refreshed, ["search_text", "updated_at"], BATCH_SIZE)
        self._link(batch)
        outcomes = [Outcome(p.status, p.hub, p.warnings) for p in batch]
        self._flag(outcomes)
        return outcomes

    def _link(self, batch: list[Pending]) -> None:
        for relation in RELATIONS:
            field = getattr(Hub, relation).field
            through = field.remote_field.through
            column = f"{field.m2m_reverse_field_name()}_id"
            rows = [
                through(hub_id=p.hub.pk, **{column: obj.pk})
                for p in batch
                for obj in p.missing[relation]
            ]
            if rows:
                through.objects.bulk_create(rows, batch_size=BATCH_SIZE)

    def _flag(self, outcomes: list[Outcome]) -> None:
        """Possible duplicates of the new hubs, in file order (a hub is compared with the
        hubs before it in the file too), never merged."""
        found: list[tuple[Outcome, int, str]] = []
        for outcome in outcomes:
            if outcome.status != "created":
                continue
            hub = outcome.hub
            found += [(outcome, pk, reason) for pk, reason in self.duplicates.find(hub)]
            self.duplicates.add(hub.pk, hub.name, hub.siret, hub.latitude, hub.longitude)
        if not found:
            return
        others = Hub.objects.in_bulk({pk for _outcome, pk, _reason in found})
        rows = [
            PossibleDuplicate(
                hub=outcome.hub, other=others[pk], reason=reason, source=self.file_name[:200]
            )
            for outcome, pk, reason in found
        ]
        PossibleDuplicate.objects.bulk_create(rows, batch_size=BATCH_SIZE)
        for row, (outcome, _pk, _reason) in zip(rows, found, strict=True):
            outcome.duplicates.append(row)
