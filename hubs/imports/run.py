"""An import from start to end: read → map → place → save, in one transaction, with a report.

Each record is refused on its own (refusals are listed with their reason, the
others are imported); anything else that goes wrong (the database, a bug) rolls
the whole file back: never half an import. ``dry_run`` rolls back too. Records are
saved by batches of :data:`.bulk.BATCH_SIZE` (the bulk path), or one at a time
(``bulk=False``, the per-row path the tests compare it with).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import DatabaseError, transaction

from backoffice.imports.resources import scope_for
from territories.placing import CommuneIndex, Placement, place

from . import fablabs, national
from .bulk import BATCH_SIZE, BulkHubWriter
from .mapped import MappedHub, Refused
from .read import FABLABS, NATIONAL
from .save import HubWriter, Outcome, Pending

MAPPERS = {NATIONAL: national.map_record, FABLABS: fablabs.map_lab}
HISTORY_REASONS = {NATIONAL: "import schéma national", FABLABS: fablabs.HISTORY_REASON}


@dataclass
class Report:
    total: int = 0
    created: list = field(default_factory=list)  # (number, hub)
    updated: list = field(default_factory=list)
    unchanged: list = field(default_factory=list)
    refused: list = field(default_factory=list)  # (number, name, reason)
    warnings: list = field(default_factory=list)  # (number, name, message)
    duplicates: list = field(default_factory=list)  # PossibleDuplicate


def import_records(
    kind: str,
    records: list,
    *,
    user=None,
    publish: bool = False,
    dry_run: bool = False,
    file_name: str = "",
    on_progress: Callable[[int], None] | None = None,
    bulk: bool = True,
) -> Report:
    """Import ``records`` of ``kind``; ``on_progress(n)``: n more records are done.

    ``bulk`` (the default) saves by batches (:mod:`.bulk`, a database error fails the
    whole file); ``bulk=False`` saves one record at a time, each in a savepoint (a
    database error refuses that record only): same hubs, links, search text, history
    rows and report, ten times slower.
    """
    mapper = MAPPERS[kind]
    report = Report(total=len(records))
    with transaction.atomic():
        index = CommuneIndex()
        writer = (BulkHubWriter if bulk else HubWriter)(
            scope=scope_for(user),
            user=user,
            publish=publish,
            history_reason=HISTORY_REASONS[kind],
            file_name=file_name,
        )
        mapped_records = [mapper(record) for record in records]
        writer.prefetch(m.external_id for m in mapped_records)
        batch: list[tuple[int, MappedHub, Placement, Pending]] = []
        done = 0
        for number, mapped in enumerate(mapped_records, 1):
            name = mapped.name or "(sans nom)"
            try:
                placement = place(mapped.address, index) if not mapped.error else None
                if bulk:
                    batch.append((number, mapped, placement, writer.prepare(mapped, placement)))
                else:
                    _report(report, number, mapped, placement, writer.save(mapped, placement))
            except Refused as e:
                report.refused.append((number, name, str(e)))
            except DatabaseError as e:
                if bulk:
                    raise
                report.refused.append((number, name, f"refusé par la base de données ({e})"))
            if len(batch) >= BATCH_SIZE or number == len(mapped_records):
                outcomes = writer.write(p for *_, p in batch) if batch else []
                for (number_, mapped_, placement_, _pending), outcome in zip(
                    batch, outcomes, strict=True
                ):
                    _report(report, number_, mapped_, placement_, outcome)
                batch = []
            if on_progress is not None and (not bulk or not batch):
                on_progress(number - done)
                done = number
        if dry_run:
            transaction.set_rollback(True)
    return report


def _report(report: Report, number: int, mapped: MappedHub, placement, outcome: Outcome) -> None:
    name = mapped.name or "(sans nom)"
    getattr(report, outcome.status).append((number, outcome.hub))
    for message in [*mapped.warnings, *placement.warnings, *outcome.warnings]:
        report.warnings.append((number, name, message))
    report.duplicates.extend(outcome.duplicates)
