"""One money rule (issue 19): a line's amount derived from a share of a known total
is rounded once, to the cent, half up (``funding.money.derived_amount``), and reads
the same on its hub page, in the CSV, in the XLSX and in the dashboard's sums — on SQLite
(integer cents in the trigger) and on PostgreSQL (``ROUND(numeric, 2)``) alike.

The XLSX keeps numbers as floating point: the amount read back is compared to the
cent (what a spreadsheet shows with the file's « € » format).
"""

import csv
import io
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.urls import reverse
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from funding import summaries
from funding.models import FinancingLine, FundedOperation, Funder
from funding.money import derived_amount, format_euros
from tests import factories

pytestmark = pytest.mark.django_db

TOTALS = st.decimals(
    min_value=Decimal("0.01"), max_value=Decimal("9999999999.99"), places=2, allow_nan=False
)
SHARES = st.decimals(min_value=Decimal("0.01"), max_value=Decimal("100"), places=2, allow_nan=False)


@pytest.fixture
def place(db):
    return factories.hub(name="Atelier des calculs"), Funder.objects.create(
        name="Fonds européen de développement régional",
        short_name="FEDER",
        slug="feder",
        category=Funder.Category.EU_FUND,
    )


def _xlsx_amounts(client, hub):
    response = client.get("/api/v1/funding.xlsx", {"hub": hub.slug})
    assert response.status_code == 200
    rows = list(load_workbook(io.BytesIO(response.content))["Lignes"].iter_rows(values_only=True))
    column = rows[0].index("Montant retenu (€)")
    return [Decimal(str(row[column])).quantize(Decimal("0.01")) for row in rows[1:]]


def _csv_amounts(client, hub):
    response = client.get("/api/v1/funding.csv", {"hub": hub.slug})
    assert response.status_code == 200
    rows = csv.DictReader(io.StringIO(response.content.decode("utf-8-sig")))
    return [row["montant_retenu"] for row in rows]


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(total=TOTALS, share=SHARES)
@example(total=Decimal("100.01"), share=Decimal("50"))  # 50.005: the case of the issue
@example(total=Decimal("0.01"), share=Decimal("50"))  # 0.005
@example(total=Decimal("0.03"), share=Decimal("50"))  # 0.015
@example(total=Decimal("1.45"), share=Decimal("50"))  # 0.725
@example(total=Decimal("9999999999.99"), share=Decimal("33.33"))  # the largest
def test_a_lines_amount_is_the_same_on_its_page_in_the_csv_the_xlsx_and_the_sums(
    client, place, total, share
):
    hub, funder = place
    cache.clear()
    operation = FundedOperation.objects.create(
        hub=hub, title="Opération", purpose="equipment", total_cost=total
    )
    line = FinancingLine.objects.create(operation=operation, funder=funder, share=share)
    try:
        expected = derived_amount(total, share)
        stored = FinancingLine.objects.values_list("effective", flat=True).get(pk=line.pk)
        assert stored == expected, (total, share)

        page = client.get(reverse("hubs:detail", args=[hub.slug])).content.decode()
        assert f"{format_euros(expected)} <small>(calculé)</small>" in page

        assert _csv_amounts(client, hub) == [f"{expected:f}"]
        assert _xlsx_amounts(client, hub) == [expected]

        headline = summaries.dashboard(FinancingLine.objects.visible_to(None), None)["headline"]
        assert headline["total"] == expected and headline["eu"] == expected
    finally:
        operation.delete()


def test_a_changed_total_rounds_its_lines_again(place):
    hub, funder = place
    operation = FundedOperation.objects.create(
        hub=hub, title="Opération", purpose="equipment", total_cost=Decimal("100")
    )
    line = FinancingLine.objects.create(operation=operation, funder=funder, share=Decimal("50"))
    operation.total_cost = Decimal("100.01")
    operation.save()
    line.refresh_from_db()
    assert line.effective == Decimal("50.01") == line.effective_amount
