"""A line's effective amount (in euros and, 0008, in cents), year and hub are kept by
the database (migration 0005)
from the line and its operation, whatever writes them: Django's save, a queryset
update, a bulk insert or an operation's change."""

import datetime
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from funding.models import FinancingLine, FundedOperation
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def funder():
    return factories.funder("feder", "FEDER", "eu_fund")


@pytest.fixture
def operation():
    return factories.operation(
        title="Aménagement du tiers-lieu",
        total_cost=Decimal("123456.78"),
        start_date=datetime.date(2016, 3, 1),
    )


def _stored(line):
    """The line's stored amount, year and hub; its amount in whole cents (migration
    0008, the dashboard's sums) always says the same as its amount in euros."""
    effective, cents, year, hub_id = FinancingLine.objects.values_list(
        "effective", "effective_cents", "year", "hub_id"
    ).get(pk=line.pk)
    assert cents == (None if effective is None else int(effective * 100)), (effective, cents)
    assert cents is None or isinstance(cents, int)
    return effective, year, hub_id


def test_a_new_line_gets_its_amount_year_and_hub(operation, funder):
    given = FinancingLine.objects.create(
        operation=operation,
        funder=funder,
        amount=Decimal("50000"),
        decision_date=datetime.date(2015, 12, 10),
    )
    # A share of a known total: rounded to the cent, half up (123,456.78 × 33.33 % is
    # 41,148.144774), by the database as by funding.money (issue 19).
    derived = FinancingLine.objects.create(
        operation=operation, funder=funder, share=Decimal("33.33")
    )
    assert _stored(given) == (Decimal("50000"), 2015, operation.hub_id)
    assert _stored(derived) == (Decimal("41148.14"), 2016, operation.hub_id)


def test_a_share_of_an_unknown_total_stays_unknown(funder):
    operation = FundedOperation.objects.create(
        hub=factories.hub(), title="Pop School", purpose="training"
    )
    line = FinancingLine.objects.create(operation=operation, funder=funder, share=Decimal("60"))
    assert _stored(line) == (None, None, operation.hub_id)


def test_what_django_holds_in_memory_is_never_written(operation, funder):
    line = FinancingLine(operation=operation, funder=funder, amount=Decimal("10"))
    line.effective, line.year = Decimal("999"), 1999  # not editable, overwritten anyway
    line.save()
    assert _stored(line) == (Decimal("10"), 2016, operation.hub_id)
    line.amount = Decimal("20")
    line.save()
    assert _stored(line)[0] == Decimal("20")


def test_queryset_updates_and_bulk_inserts_are_kept_too(operation, funder):
    [line] = FinancingLine.objects.bulk_create(
        [FinancingLine(operation=operation, funder=funder, share=Decimal("50"))]
    )
    line = FinancingLine.objects.get(operation=operation)
    assert _stored(line)[0] == Decimal("61728.39")
    FinancingLine.objects.filter(pk=line.pk).update(
        amount=Decimal("1000"), decision_date=datetime.date(2019, 1, 2)
    )
    assert _stored(line)[:2] == (Decimal("1000"), 2019)
    FinancingLine.objects.filter(pk=line.pk).update(amount=None, decision_date=None)
    assert _stored(line)[:2] == (Decimal("61728.39"), 2016)


def test_an_operations_change_reaches_its_lines(operation, funder):
    line = FinancingLine.objects.create(operation=operation, funder=funder, share=Decimal("10"))
    other = FinancingLine.objects.create(
        operation=FundedOperation.objects.create(
            hub=operation.hub, title="Autre", purpose="running", total_cost=Decimal("100")
        ),
        funder=funder,
        share=Decimal("10"),
    )
    operation.total_cost = Decimal("200000")
    operation.start_date = datetime.date(2018, 1, 1)
    operation.hub = factories.hub(name="Un autre lieu")
    operation.save()
    assert _stored(line) == (Decimal("20000"), 2018, operation.hub_id)
    # A total forgotten: the share's amount is unknown again. Other operations untouched.
    FundedOperation.objects.filter(pk=operation.pk).update(total_cost=None, start_date=None)
    assert _stored(line) == (None, None, operation.hub_id)
    assert _stored(other) == (Decimal("10"), None, other.operation.hub_id)


def test_a_line_moved_to_another_operation_follows_it(operation, funder):
    line = FinancingLine.objects.create(operation=operation, funder=funder, share=Decimal("10"))
    target = FundedOperation.objects.create(
        hub=factories.hub(name="Destination"),
        title="B",
        purpose="running",
        total_cost=Decimal("50"),
    )
    line.operation = target
    line.save()
    assert _stored(line) == (Decimal("5"), None, target.hub_id)


def test_an_operation_cannot_shrink_below_its_lines_amounts(operation, funder):
    """Its lines are rewritten with the new total: the database's rules see it."""
    FinancingLine.objects.create(operation=operation, funder=funder, amount=Decimal("100000"))
    with pytest.raises(IntegrityError), transaction.atomic():
        FundedOperation.objects.filter(pk=operation.pk).update(total_cost=Decimal("1000"))
    operation.refresh_from_db()
    assert operation.total_cost == Decimal("123456.78")
