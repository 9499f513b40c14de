"""An import from start to end: read → map → place → save, in one transaction, with a report.

Each record is refused or saved on its own (refusals are listed with their reason,
the others are imported); anything else that goes wrong (the database, a bug)
rolls the whole file back: never half an import. ``dry_run`` rolls back too.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import DatabaseError, transaction

from backoffice.imports.resources import scope_for
from territories.placing import CommuneIndex, place

from . import fablabs, national
from .mapped import Refused
from .read import FABLABS, NATIONAL
from .save import HubWriter

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
    on_row: Callable[[], None] | None = None,
) -> Report:
    mapper = MAPPERS[kind]
    report = Report(total=len(records))
    with transaction.atomic():
        index = CommuneIndex()
        writer = HubWriter(
            scope=scope_for(user),
            user=user,
            publish=publish,
            history_reason=HISTORY_REASONS[kind],
            file_name=file_name,
        )
        mapped_records = [mapper(record) for record in records]
        writer.prefetch(m.external_id for m in mapped_records)
        for number, mapped in enumerate(mapped_records, 1):
            name = mapped.name or "(sans nom)"
            try:
                placement = place(mapped.address, index) if not mapped.error else None
                outcome = writer.save(mapped, placement)
            except Refused as e:
                report.refused.append((number, name, str(e)))
            except DatabaseError as e:
                report.refused.append((number, name, f"refusé par la base de données ({e})"))
            else:
                getattr(report, outcome.status).append((number, outcome.hub))
                for message in [*mapped.warnings, *placement.warnings, *outcome.warnings]:
                    report.warnings.append((number, name, message))
                report.duplicates.extend(outcome.duplicates)
            if on_row is not None:
                on_row()
        if dry_run:
            transaction.set_rollback(True)
    return report
