"""Exports people open (issue 19, item 7): an XLSX of the lines and of every table of
the dashboard, in French, read back with openpyxl; the CSV stays machine-readable
(codes, dot decimals) with each line's nature and year."""

import csv
import io
from decimal import Decimal

from openpyxl import load_workbook

from funding.exports import COLUMNS

VALENCIENNES = {"territory": "245901160"}
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _book(client, params):
    response = client.get("/api/v1/funding.xlsx", params)
    assert response.status_code == 200 and response["Content-Type"] == XLSX
    assert 'filename="financements.xlsx"' in response["Content-Disposition"]
    return load_workbook(io.BytesIO(response.content))


def _rows(sheet):
    rows = list(sheet.iter_rows(values_only=True))
    return [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]


def test_the_xlsx_holds_the_lines_and_the_tables_of_the_dashboard(client, demo_funding):
    dashboard = client.get("/funding/", VALENCIENNES).context
    book = _book(client, VALENCIENNES)
    assert book.sheetnames == [
        "À propos",
        "Lignes",
        "Par catégorie",
        "Par année",
        "Par financeur",
        "Par territoire",
        "Par type de lieu",
        "Plus grosses opérations",
        "Lieu par lieu",
        "Dépenses directes",
        "Engagements prévus",
        "Budgets sans financeur",
    ]
    about = dict(book["À propos"].iter_rows(min_row=2, values_only=True))
    assert about["Filtres"] == "Territoire : CA Valenciennes Métropole"
    assert about["Adresse"].endswith("/api/v1/funding.xlsx?territory=245901160")
    assert about["Résumé"].startswith("Depuis 2015, au moins 1,9")

    lines = _rows(book["Lignes"])
    assert len(lines) == dashboard["headline"]["lines"]
    fse = next(row for row in lines if row["Sigle"] == "FSE")
    assert fse["Montant retenu (€)"] == 920000 and fse["Part (%)"] == 92
    assert fse["Catégorie de financeur"] == "Fonds européen" and fse["Nature"] == "subvention"
    assert fse["Année"] == 2015
    feder = next(row for row in lines if row["Sigle"] == "FEDER")
    assert feder["Montant retenu (€)"] == "non connu"  # never 0

    funders = {row["Sigle"]: row for row in _rows(book["Par financeur"])}
    assert funders["CAVM"]["Montant connu (€)"] == 980000
    assert funders["CAVM"]["dont sans montant connu"] == 2
    assert funders["FEDER"]["Montant connu (€)"] == "non connu"
    years = {row["Année"]: row["Montant connu (€)"] for row in _rows(book["Par année"])}
    assert years == {2015: 1000000, 2016: 900000}
    [planned] = _rows(book["Engagements prévus"])
    assert planned["Année prévue"] == 2025 and planned["Montant (€)"] == 800000
    kinds = {row["Type de lieu"]: row for row in _rows(book["Par type de lieu"])}
    assert kinds["Fablab"]["Montant connu (€)"] == "non connu"
    # Money cells are numbers in euros with their cents, not text.
    cell = book["Par financeur"]["D2"]
    assert isinstance(cell.value, (int, float, Decimal)) and "€" in cell.number_format


def test_the_xlsx_refuses_bad_filters_like_the_csv(client, demo_funding):
    response = client.get("/api/v1/funding.xlsx", {"year_from": "abc"})
    assert response.status_code == 400 and "year_from" in response.json()["errors"]


def test_the_xlsx_cannot_carry_a_formula(client, demo_funding):
    from funding.models import FundedOperation

    FundedOperation.objects.filter(title__startswith="Pop School").update(
        title='=HYPERLINK("http://evil.example","clic")'
    )
    lines = _rows(_book(client, VALENCIENNES)["Lignes"])
    titles = {row["Opération"] for row in lines}
    assert '\'=HYPERLINK("http://evil.example","clic")' in titles


def test_the_csv_gives_each_lines_nature_and_year(client, demo_funding):
    response = client.get("/api/v1/funding.csv", VALENCIENNES)
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert list(rows[0]) == COLUMNS and {"nature", "annee"} <= set(COLUMNS)
    fse = next(row for row in rows if row["financeur"] == "Fonds social européen")
    assert (fse["nature"], fse["annee"], fse["montant_retenu"]) == ("subsidy", "2015", "920000.00")


def test_the_english_xlsx_speaks_english(client, demo_funding):
    response = client.get("/api/v1/funding.xlsx", VALENCIENNES, HTTP_ACCEPT_LANGUAGE="en")
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames[:5] == ["About", "Lines", "By category", "By year", "By funder"]
    assert _rows(book["Lines"])[0]["Funder"]


def test_control_characters_in_the_filters_never_break_the_xlsx(client, demo_funding):
    # Found by the URL fuzz test: « \x1f » reached a cell, which openpyxl refuses.
    for params in ({"territory": "\x1f"}, {"hub": "\x01pop-place"}, {"hub": "=1+1"}):
        book = _book(client, params)
        about = dict(book["À propos"].iter_rows(min_row=2, values_only=True))
        assert "\x01" not in about["Filtres"] and "\x1f" not in about["Filtres"]
        assert not about["Filtres"].startswith("=")
