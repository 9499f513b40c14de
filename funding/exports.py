"""Financing lines as CSV: one row per line, the effective amount beside the given one."""

import csv
import io

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from web.spreadsheets import safe_cell

from .money import to_cent

#: The columns written as numbers; every other one is text (through ``safe_cell``).
NUMBER_COLUMNS = frozenset({0, 1, 14, 15, 16, 17, 22})

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
    "annee",
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
        "year",
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


# ---------------------------------------------------------------- XLSX
#: Euros with their cents, French grouping (the spreadsheet shows its own locale's).
EUROS_FORMAT = '#,##0.00\\ "€"'
PERCENT_FORMAT = '0.00\\ "%"'
UNKNOWN = _("non connu")

#: The lines sheet: (French header, field read, kind of cell).
LINE_COLUMNS = [
    (_("Identifiant de la ligne"), "pk", "int"),
    (_("Opération"), "operation__title", "text"),
    (_("Objet de l'opération"), "operation__purpose", "purpose"),
    (_("Lieu"), "operation__hub__name", "text"),
    (_("Commune"), "operation__hub__commune__name", "text"),
    (_("Code INSEE"), "operation__hub__commune_id", "text"),
    (_("Financeur"), "funder__name", "text"),
    (_("Sigle"), "funder__short_name", "text"),
    (_("Catégorie de financeur"), "funder__category", "category"),
    (_("Nature"), "nature", "nature"),
    (pgettext_lazy("status", "État"), "status", "status"),
    (_("Année"), "year", "int"),
    (_("Date de décision"), "decision_date", "date"),
    (_("Montant donné (€)"), "amount", "euros"),
    (_("Part (%)"), "share", "percent"),
    (_("Montant retenu (€)"), "effective", "euros_or_unknown"),
    (_("Coût total de l'opération (€)"), "operation__total_cost", "euros"),
    (_("Programme"), "operation__programme", "text"),
    (_("Source"), "source", "text"),
]


def _labels():
    from .models import FinancingLine, FundedOperation, Funder

    return {
        "purpose": dict(FundedOperation.Purpose.choices),
        "category": dict(Funder.Category.choices),
        "nature": dict(FinancingLine.Nature.choices),
        "status": dict(FinancingLine.Status.choices),
    }


def _xlsx_text(value):
    """A text cell: never a formula (``safe_cell``), and without the control
    characters XML cannot carry (openpyxl refuses them: a 500 otherwise)."""
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    if isinstance(value, str):
        value = ILLEGAL_CHARACTERS_RE.sub("", value)
    return safe_cell(value)


class _Sheet:
    """A write-only sheet: a bold header row, then typed cells."""

    def __init__(self, book, title, headers):
        from openpyxl.cell import WriteOnlyCell
        from openpyxl.styles import Font

        self.sheet = book.create_sheet(str(title))
        self._cell = WriteOnlyCell
        bold = Font(bold=True)
        row = []
        for header in headers:
            cell = WriteOnlyCell(self.sheet, value=str(header))
            cell.font = bold
            row.append(cell)
        self.sheet.append(row)
        self.sheet.freeze_panes = "A2"

    def cell(self, value, kind="text", labels=None):
        if value is None and kind in ("euros", "percent", "int", "date", "text"):
            return None
        if kind == "euros_or_unknown":
            if value is None:
                return str(UNKNOWN)
            kind = "euros"
        if kind == "euros":
            cell = self._cell(self.sheet, value=to_cent(value))
            cell.number_format = EUROS_FORMAT
            return cell
        if kind == "percent":
            cell = self._cell(self.sheet, value=to_cent(value))
            cell.number_format = PERCENT_FORMAT
            return cell
        if kind == "date":
            cell = self._cell(self.sheet, value=value)
            cell.number_format = "DD/MM/YYYY"
            return cell
        if kind == "int":
            return value
        if labels is not None:
            value = str(labels.get(value, value))
        return _xlsx_text(value)

    def append(self, cells):
        self.sheet.append(cells)


def _money_row(sheet, row, total_key="total"):
    """Known amount (or « non connu »), lines, lines without a known amount."""
    total = row[total_key]
    lines, unknown = row.get("lines", 0), row.get("unknown", 0)
    return [
        sheet.cell(total, "euros") if total is not None else (str(UNKNOWN) if lines else None),
        lines,
        unknown,
    ]


MONEY_HEADERS = [_("Montant connu (€)"), _("Lignes de financement"), _("dont sans montant connu")]


def lines_xlsx(lines, figures: dict, about: list[tuple[str, str]]) -> bytes:
    """The financing lines and each table of the dashboard (``figures``, as the
    dashboard computed them), in French, one sheet each; ``about``: what the file
    is (title, date, address, filters), on a first sheet."""
    from openpyxl import Workbook

    labels = _labels()
    book = Workbook(write_only=True)

    sheet = _Sheet(book, _("À propos"), ["", ""])
    for name, value in about:
        sheet.append([name, _xlsx_text(value)])

    sheet = _Sheet(book, _("Lignes"), [header for header, _field, _kind in LINE_COLUMNS])
    fields = [field for _header, field, _kind in LINE_COLUMNS]
    for values in lines.order_by("operation__hub__name", "operation_id", "pk").values_list(*fields):
        sheet.append(
            [
                sheet.cell(value, kind, labels.get(kind))
                for value, (_header, _field, kind) in zip(values, LINE_COLUMNS, strict=True)
            ]
        )

    sheet = _Sheet(book, _("Par catégorie"), [_("Catégorie de financeur"), *MONEY_HEADERS])
    for row in figures.get("categories", []):
        sheet.append([sheet.cell(str(row["label"]).capitalize()), *_money_row(sheet, row)])

    sheet = _Sheet(book, _("Par année"), [_("Année"), *MONEY_HEADERS])
    for row in figures.get("years", []):
        sheet.append(
            [
                row["year"] if row["year"] is not None else str(_("non datée")),
                *_money_row(sheet, row),
            ]
        )

    sheet = _Sheet(
        book, _("Par financeur"), [_("Financeur"), _("Sigle"), _("Catégorie"), *MONEY_HEADERS]
    )
    for row in figures.get("funders", []):
        sheet.append(
            [
                sheet.cell(row["funder__name"]),
                sheet.cell(row["funder__short_name"]),
                sheet.cell(row["funder__category"], "category", labels["category"]),
                *_money_row(sheet, row),
            ]
        )

    sheet = _Sheet(book, _("Par territoire"), [_("Territoire"), _("Code"), *MONEY_HEADERS])
    for row in figures.get("territories", []):
        sheet.append([sheet.cell(row["name"]), sheet.cell(row["code"]), *_money_row(sheet, row)])

    sheet = _Sheet(book, _("Par type de lieu"), [_("Type de lieu"), *MONEY_HEADERS])
    for row in figures.get("kinds", []):
        sheet.append(
            [
                sheet.cell(
                    str(_(row["operation__hub__kinds__name"]))
                    if row["operation__hub__kinds__name"]
                    else "—"
                ),
                *_money_row(sheet, row),
            ]
        )

    sheet = _Sheet(
        book,
        _("Plus grosses opérations"),
        [_("Opération"), _("Lieu"), _("Commune"), _("Coût total (€)"), _("Financé, connu (€)"),
         _("Lignes de financement"), _("dont sans montant connu"), _("Taux européen (%)")],
    )  # fmt: skip
    for row in figures.get("operations", []):
        sheet.append(
            [
                sheet.cell(row["operation__title"]),
                sheet.cell(row["operation__hub__name"]),
                sheet.cell(row["operation__hub__commune__name"]),
                sheet.cell(row["operation__total_cost"], "euros"),
                *_money_row(sheet, row, "funded"),
                sheet.cell(row["eu_rate"], "percent"),
            ]
        )

    sheet = _Sheet(
        book,
        _("Lieu par lieu"),
        [_("Lieu"), _("Total connu (€)"), _("Europe (€)"), _("État (€)"), _("Collectivités (€)"),
         _("Lignes de financement"), _("dont sans montant connu"), _("Emplois"), _("Entreprises"), _("Formés")],
    )  # fmt: skip
    for row in figures.get("hubs", []):
        indicator = row.get("indicator")

        def part(name, row=row, sheet=sheet):
            if row[name] is not None:
                return sheet.cell(row[name], "euros")
            return str(UNKNOWN) if row.get(f"{name}_lines") else None

        sheet.append(
            [
                sheet.cell(row["operation__hub__name"]),
                part("total") if row.get("lines") else None,
                part("eu"),
                part("state"),
                part("local"),
                row.get("lines"),
                row.get("unknown"),
                indicator.jobs if indicator else None,
                indicator.companies_hosted if indicator else None,
                indicator.people_trained if indicator else None,
            ]
        )

    sheet = _Sheet(book, _("Dépenses directes"), [_("Financeur"), _("Nature"), *MONEY_HEADERS])
    for row in figures.get("direct", []):
        sheet.append(
            [
                sheet.cell(row["funder"].name),
                sheet.cell(row["nature"], "nature", labels["nature"]),
                *_money_row(sheet, row),
            ]
        )

    sheet = _Sheet(
        book,
        _("Engagements prévus"),
        [_("Opération"), _("Lieu"), _("Financeur"), _("Année prévue"), _("Montant (€)")],
    )
    for row in figures.get("planned", []):
        sheet.append(
            [
                sheet.cell(row["operation__title"]),
                sheet.cell(row["operation__hub__name"]),
                sheet.cell(row["funder__name"]),
                row["year"],
                sheet.cell(row["effective"], "euros_or_unknown"),
            ]
        )

    sheet = _Sheet(
        book,
        _("Budgets sans financeur"),
        [_("Opération"), _("Lieu"), _("Début"), _("Coût total (€)"), _("Financeurs")],
    )
    for row in figures.get("unfunded", []):
        sheet.append(
            [
                sheet.cell(row["title"]),
                sheet.cell(row["hub__name"]),
                row["start_date"].year if row["start_date"] else None,
                sheet.cell(row["total_cost"], "euros"),
                str(_("non publiés")),
            ]
        )

    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
