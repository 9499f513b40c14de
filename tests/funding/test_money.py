from decimal import Decimal

import pytest

from funding.money import agrees, derived_amount, derived_share, format_euros, format_share


def test_derived_amount_is_exact_to_the_cent():
    assert derived_amount(Decimal("1000000"), Decimal("92")) == Decimal("920000.00")
    assert derived_amount(Decimal("1000"), Decimal("33.33")) == Decimal("333.30")
    assert derived_amount(Decimal("99.99"), Decimal("33.33")) == Decimal("33.33")
    assert derived_amount(None, Decimal("50")) is None
    assert derived_amount(Decimal("10"), None) is None


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
        (Decimal("880000.4"), "880\u202f000\u00a0€"),
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
