"""No export writes a spreadsheet formula (CSV injection, OWASP), whatever staff typed.

Every text cell of every export (the admin's CSV and XLSX of hubs, operations with
their lines and events; the public CSVs of hubs and financing lines) that starts
with = + - @ tab or carriage return is written after a single quote; numbers stay
numbers, and an exported file imports again unchanged.
"""

import csv
import datetime
import io
from decimal import Decimal

import openpyxl
import pytest
from django.utils import timezone

from backoffice.imports.formats import CSVFormat, XLSXFormat
from backoffice.imports.resources import row_errors
from events.models import Event
from events.resources import EventResource
from funding.models import FinancingLine, FundedOperation, Funder
from funding.resources import OperationLineResource
from hubs.models import Hub
from hubs.resources import HubResource
from tests import factories

pytestmark = pytest.mark.django_db

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
PAYLOADS = [
    '=HYPERLINK("http://evil","x")',
    "=cmd|' /C calc'!A0",
    "+1",
    "@SUM(1)",
    "-1+2",
    "\t=1+1",
    "\r=1+1",
]
EVIL_EMAIL = "=1+2@evil.example"  # Django's EmailValidator accepts it


def cycle(index: int) -> str:
    return PAYLOADS[index % len(PAYLOADS)]


@pytest.fixture
def poisoned(db):
    """A hub, an operation with a line and an event whose every free text is a formula.

    The hub is in Guadeloupe, so that its longitude is a negative number.
    """
    factories.region("01", "Guadeloupe")
    factories.departement("971", "Guadeloupe", region_code="01")
    basse_terre = factories.commune(
        insee="97105",
        name="Basse-Terre",
        dep="971",
        epci_siren=None,
        postcodes=("97100",),
        lat=15.99854,
        lng=-61.72548,
    )
    hub = factories.hub(
        slug="lieu-piege",
        commune_obj=basse_terre,
        name=cycle(0),
        summary=cycle(1),
        description=cycle(2),
        street_address=cycle(3),
        operator=cycle(4),
        opening_hours_note=cycle(5),  # (the hours themselves must parse: no formula there)
        sources=cycle(6),
        phone="+1",
        email=EVIL_EMAIL,
    )
    funder = Funder.objects.create(name=cycle(2), slug="piege", category="other")
    operation = FundedOperation.objects.create(
        hub=hub,
        title=cycle(0),
        purpose="running",
        total_cost=Decimal("1000"),
        programme=cycle(1),
        notes=cycle(2),
        source=cycle(4),
    )
    FinancingLine.objects.create(
        operation=operation,
        funder=funder,
        amount=Decimal("400"),
        status="granted",
        decision_date=datetime.date(2017, 3, 1),
        source=cycle(5),
    )
    start = timezone.make_aware(datetime.datetime(2026, 10, 3, 10))
    Event.objects.create(
        slug="evenement-piege",
        title=cycle(0),
        kind=Event.Kind.WORKSHOP,
        summary=cycle(1),
        description=cycle(2),
        hub=hub,
        organizer=cycle(3),
        venue_name=cycle(4),
        street_address=cycle(5),
        price_details=cycle(6),
        accessibility=cycle(0),
        sources=cycle(1),
        start=start,
        end=start + datetime.timedelta(hours=2),
        publication=Event.Publication.PUBLISHED,
    )
    return hub


@pytest.fixture
def superuser_client(client, poisoned):
    client.force_login(factories.superuser())
    return client


ADMIN_EXPORTS = [
    ("/admin/hubs/hub/export/", HubResource),
    ("/admin/funding/fundedoperation/export/", OperationLineResource),
    ("/admin/events/event/export/", EventResource),
]


def is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def assert_no_formula_text(cells):
    for cell in cells:
        if isinstance(cell, str) and cell.startswith(FORMULA_STARTS):
            assert is_number(cell), f"formula-looking text cell: {cell!r}"


@pytest.mark.parametrize(("url", "resource_class"), ADMIN_EXPORTS)
def test_admin_csv_export_neutralises_formulas(superuser_client, url, resource_class):
    response = superuser_client.post(url, {"format": "0", "resource": "0"})
    assert response.status_code == 200
    content = response.content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(content)))
    assert len(rows) == 2
    cells = [cell for row in rows for cell in row]
    assert_no_formula_text(cells)
    assert "'" + PAYLOADS[0] in cells and "'" + PAYLOADS[1] in cells
    # ... and the file imports again unchanged (the quote is taken off).
    result = resource_class().import_data(
        CSVFormat().create_dataset(response.content), dry_run=True
    )
    assert not row_errors(result)
    assert result.totals["new"] == result.totals["update"] == 0


@pytest.mark.parametrize(("url", "resource_class"), ADMIN_EXPORTS)
def test_admin_xlsx_export_neutralises_formulas(superuser_client, url, resource_class):
    response = superuser_client.post(url, {"format": "1", "resource": "0"})
    assert response.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    cells = [cell for row in book.active.iter_rows() for cell in row]
    assert len(book.active["A"]) == 2
    for cell in cells:
        assert cell.data_type != "f", (cell.coordinate, cell.value)
    values = [cell.value for cell in cells]
    assert_no_formula_text(values)
    assert "'" + PAYLOADS[0] in values
    # XML reads a carriage return back as a line feed (openpyxl, whatever the
    # quote): the round trip is checked without the texts that start with one.
    Hub.objects.update(sources="\t=1+1")
    Event.objects.update(price_details="\t=1+1")
    response = superuser_client.post(url, {"format": "1", "resource": "0"})
    result = resource_class().import_data(
        XLSXFormat().create_dataset(response.content), dry_run=True
    )
    assert not row_errors(result)
    assert result.totals["new"] == result.totals["update"] == 0


def test_admin_xlsx_export_keeps_numbers_as_numbers(superuser_client):
    response = superuser_client.post("/admin/hubs/hub/export/", {"format": "1", "resource": "0"})
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    header = [cell.value for cell in sheet[1]]
    longitude = sheet.cell(row=2, column=header.index("longitude") + 1)
    assert longitude.data_type == "n" and longitude.value == pytest.approx(-61.72548)
    response = superuser_client.post(
        "/admin/funding/fundedoperation/export/", {"format": "1", "resource": "0"}
    )
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    header = [cell.value for cell in sheet[1]]
    amount = sheet.cell(row=2, column=header.index("amount") + 1)
    assert amount.data_type == "n" and amount.value == 400


def test_public_hubs_csv_neutralises_every_text_column(client, poisoned):
    text = client.get("/api/v1/hubs.csv").content.decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert len(rows) == 1
    row = rows[0]
    assert row["courriel"] == "'" + EVIL_EMAIL
    assert row["telephone"] == "'+1"
    assert row["nom"] == "'" + PAYLOADS[0]
    assert row["longitude"] == "-61.725480"  # a number, not text
    assert_no_formula_text(row.values())


def test_public_funding_csv_neutralises_every_text_column(client, poisoned):
    text = client.get("/api/v1/funding.csv").content.decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert len(rows) == 1
    row = rows[0]
    assert row["operation"] == "'" + PAYLOADS[0]
    assert row["financeur"] == "'+1"
    assert row["programme"] == "'" + PAYLOADS[1]
    assert row["source"] == "'" + PAYLOADS[5]
    assert_no_formula_text(row.values())
