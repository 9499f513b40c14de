from decimal import Decimal

import pytest

from funding.money import (
    agrees,
    derived_amount,
    derived_share,
    format_euros,
    format_millions,
    format_share,
    to_cent,
)


def test_derived_amount_is_exact_to_the_cent():
    assert derived_amount(Decimal("1000000"), Decimal("92")) == Decimal("920000.00")
    assert derived_amount(Decimal("1000"), Decimal("33.33")) == Decimal("333.30")
    assert derived_amount(Decimal("99.99"), Decimal("33.33")) == Decimal("33.33")
    assert derived_amount(None, Decimal("50")) is None
    assert derived_amount(Decimal("10"), None) is None


def test_one_rounding_half_up_to_the_cent():
    # The case of issue 19: 50 % of 100.01 € is 50.005 €, always 50.01 €.
    assert derived_amount(Decimal("100.01"), Decimal("50")) == Decimal("50.01")
    assert to_cent(Decimal("50.005")) == Decimal("50.01")  # half up, not half even
    assert to_cent(Decimal("50.015")) == Decimal("50.02")
    assert to_cent(Decimal("50.0049")) == Decimal("50.00")
    assert to_cent(None) is None  # unknown is never 0


def test_derived_share():
    assert derived_share(Decimal("1100000"), Decimal("880000")) == Decimal("80.00")
    assert derived_share(Decimal("0"), Decimal("1")) is None
    assert derived_share(None, Decimal("1")) is None


def test_agreement_has_a_rounding_tolerance():
    assert agrees(Decimal("1100000"), Decimal("80"), Decimal("880000"))
    assert agrees(Decimal("1100000"), Decimal("80"), Decimal("880500"))  # 0.1 % of the total
    assert not agrees(Decimal("1100000"), Decimal("80"), Decimal("890000"))
    assert agrees(Decimal("300"), Decimal("33.33"), Decimal("100"))  # within 1 €
    assert not agrees(Decimal("300"), Decimal("33.33"), Decimal("102"))


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (Decimal("1000000"), "1\u202f000\u202f000\u00a0€"),
        # Cents are shown when there are some: one value reads the same everywhere.
        (Decimal("880000.4"), "880\u202f000,40\u00a0€"),
        (Decimal("50.005"), "50,01\u00a0€"),
        (Decimal("100.00"), "100\u00a0€"),
        (Decimal("999"), "999\u00a0€"),
        (0, "0\u00a0€"),
        (None, "—"),
    ],
)
def test_euros_the_french_way(value, expected):
    assert format_euros(value) == expected


def test_share_the_french_way():
    assert format_share(Decimal("92.00")) == "92\u00a0%"
    assert format_share(Decimal("33.33")) == "33,33\u00a0%"
    assert format_share(Decimal("100")) == "100\u00a0%"


def test_millions_for_a_sentence():
    assert format_millions(Decimal("3579999.99")) == "3,58\u00a0M€"
    assert format_millions(Decimal("1000000")) == "1\u00a0M€"
    assert format_millions(Decimal("1900000")) == "1,9\u00a0M€"
    assert format_millions(Decimal("880000")) == "880\u202f000\u00a0€"
    assert format_millions(None) == "—"
