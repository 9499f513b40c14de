from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models.deletion import ProtectedError

from funding.models import FinancingLine, FundedOperation, Funder
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def operation():
    return factories.operation(
        title="Pop School", purpose="training", total_cost=Decimal("1000000")
    )


@pytest.fixture
def funders():
    return {
        slug: factories.funder(slug, name, category)
        for slug, name, category in [
            ("fse", "FSE", "eu_fund"),
            ("agglo", "Agglo", "epci"),
            ("region", "Région", "region"),
        ]
    }


def _integrity(callable_):
    with pytest.raises(IntegrityError), transaction.atomic():
        callable_()


def test_shares_over_100_refused_by_full_clean_and_database(operation, funders):
    FinancingLine.objects.create(operation=operation, funder=funders["fse"], share=Decimal("92"))
    line = FinancingLine(operation=operation, funder=funders["agglo"], share=Decimal("9"))
    with pytest.raises(ValidationError) as error:
        line.full_clean()
    assert error.value.error_dict["share"][0].code == "shares_over_100"
    _integrity(
        lambda: FinancingLine.objects.create(
            operation=operation, funder=funders["agglo"], share=Decimal("9")
        )
    )
    FinancingLine.objects.create(operation=operation, funder=funders["agglo"], share=Decimal("8"))
    # An update that would push it over is refused by the database too.
    _integrity(
        lambda: FinancingLine.objects.filter(funder=funders["agglo"]).update(share=Decimal("9"))
    )
    assert FinancingLine.objects.count() == 2


def test_amounts_over_the_total_refused(operation, funders):
    FinancingLine.objects.create(
        operation=operation, funder=funders["fse"], amount=Decimal("900000")
    )
    line = FinancingLine(operation=operation, funder=funders["agglo"], amount=Decimal("100000.01"))
    with pytest.raises(ValidationError) as error:
        line.full_clean()
    assert error.value.error_dict["amount"][0].code == "amounts_over_total"
    _integrity(
        lambda: FinancingLine.objects.create(
            operation=operation, funder=funders["agglo"], amount=Decimal("100001")
        )
    )


def test_amount_and_share_must_agree_with_the_total(operation, funders):
    line = FinancingLine(
        operation=operation, funder=funders["fse"], share=Decimal("92"), amount=Decimal("900000")
    )
    with pytest.raises(ValidationError) as error:
        line.full_clean()
    assert error.value.error_dict["share"][0].code == "share_amount_mismatch"
    FinancingLine(
        operation=operation, funder=funders["fse"], share=Decimal("92"), amount=Decimal("920000")
    ).full_clean()


def test_single_row_constraints(operation, funders):
    _integrity(
        lambda: FinancingLine.objects.create(
            operation=operation, funder=funders["fse"], amount=Decimal("-1")
        )
    )
    _integrity(
        lambda: FinancingLine.objects.create(
            operation=operation, funder=funders["fse"], share=Decimal("101")
        )
    )
    _integrity(lambda: FinancingLine.objects.create(operation=operation, funder=funders["fse"]))
    with pytest.raises(ValidationError):
        FinancingLine(operation=operation, funder=funders["fse"]).full_clean()
    _integrity(
        lambda: FundedOperation.objects.filter(pk=operation.pk).update(total_cost=Decimal("-5"))
    )


def test_derived_amounts(operation, funders):
    line = FinancingLine.objects.create(
        operation=operation, funder=funders["fse"], share=Decimal("92")
    )
    assert line.effective_amount == Decimal("920000.00")
    given = FinancingLine.objects.create(
        operation=operation, funder=funders["agglo"], amount=Decimal("80000")
    )
    assert given.effective_share == Decimal("8.00")
    unknown_total = FundedOperation.objects.create(
        hub=operation.hub, title="Animation", purpose="animation"
    )
    share_only = FinancingLine.objects.create(
        operation=unknown_total, funder=funders["region"], share=Decimal("60")
    )
    assert share_only.effective_amount is None and share_only.effective_share == Decimal("60")


def test_operation_dates_and_total_below_lines(operation, funders):
    operation.start_date, operation.end_date = "2018-01-01", "2017-01-01"
    with pytest.raises(ValidationError):
        operation.full_clean()
    operation.start_date = operation.end_date = None
    FinancingLine.objects.create(
        operation=operation, funder=funders["fse"], amount=Decimal("500000")
    )
    operation.total_cost = Decimal("100000")
    with pytest.raises(ValidationError) as error:
        operation.full_clean()
    assert "total_cost" in error.value.error_dict


def test_a_hub_with_financing_history_cannot_be_deleted(operation, funders):
    FinancingLine.objects.create(operation=operation, funder=funders["fse"], share=Decimal("50"))
    with pytest.raises(ProtectedError):
        operation.hub.delete()


def test_funder_territory_code_is_checked():
    funder = Funder(name="X", slug="x", category="epci", territory_code="nowhere:1")
    with pytest.raises(ValidationError):
        funder.full_clean()
