"""Financing lines as CSV: one row per line, the effective amount beside the given one."""

import csv
import io

from web.spreadsheets import safe_cell

from .money import to_cent

#: The columns written as numbers; every other one is text (through ``safe_cell``).
NUMBER_COLUMNS = frozenset({0, 1, 14, 15, 16, 17})

COLUMNS = [
    "ligne_id",
    "operation_id",
    "operation",
    "objet",
    "lieu",
    "lieu_slug",
    "commune",
    "code_insee",
    "epci_siren",
    "departement",
    "region",
    "financeur",
    "categorie_financeur",
    "etat",
    "montant",
    "part_pourcent",
    "montant_retenu",
    "cout_total_operation",
    "date_decision",
    "programme",
    "source",
    "nature",
]


def _number(value) -> str:
    """Dot decimals, to the cent by the one money rule; empty when unknown."""
    return "" if value is None else f"{to_cent(value):f}"


def lines_csv(lines) -> str:
    rows = lines.order_by("operation__hub__name", "operation_id", "pk").values_list(
        "pk",
        "operation_id",
        "operation__title",
        "operation__purpose",
        "operation__hub__name",
        "operation__hub__slug",
        "operation__hub__commune__name",
        "operation__hub__commune_id",
        "operation__hub__commune__epci_id",
        "operation__hub__commune__departement_id",
        "operation__hub__commune__departement__region_id",
        "funder__name",
        "funder__category",
        "status",
        "amount",
        "share",
        "effective",
        "operation__total_cost",
        "decision_date",
        "operation__programme",
        "source",
        "nature",
    )
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for row in rows:
        row = list(row)
        for index in (14, 15, 16, 17):
            row[index] = _number(row[index])
        row[18] = row[18].isoformat() if row[18] else ""
        writer.writerow(
            [
                "" if value is None else value if index in NUMBER_COLUMNS else safe_cell(value)
                for index, value in enumerate(row)
            ]
        )
    return buffer.getvalue()
