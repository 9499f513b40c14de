"""Money and shares: Decimal euros, French formatting, derived amounts.

One rounding for money, everywhere (issue 19): to the cent, half up
(``to_cent``). The database's triggers derive a line's amount the same way
(funding migration 0006); the CSV, the dashboard's sums and the pages read that
value, and ``format_euros`` shows its cents whenever it has some.
"""

from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import get_language

CENT = Decimal("0.01")
HUNDRED = Decimal("100")
# An amount and a share given together must agree with the total within this
# tolerance: 1 euro, or 0.1 % of the total for large operations (press figures
# are rounded: "about 880 000 euros").
ABSOLUTE_TOLERANCE = Decimal("1.00")
RELATIVE_TOLERANCE = Decimal("0.001")


def to_cent(value) -> Decimal | None:
    """The one rounding of money: to the cent, half up (50.005 → 50.01). ``None`` stays
    ``None``: an unknown amount is never a zero."""
    if value is None:
        return None
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


def to_percent(value) -> Decimal | None:
    """A computed rate (an EU share of a total) in whole percents, half up."""
    if value is None:
        return None
    return Decimal(value).quantize(Decimal(1), rounding=ROUND_HALF_UP)


def derived_amount(total: Decimal | None, share: Decimal | None) -> Decimal | None:
    """The amount a share of a known total represents, to the cent (half up)."""
    if total is None or share is None:
        return None
    return to_cent(Decimal(total) * Decimal(share) / HUNDRED)


def derived_share(total: Decimal | None, amount: Decimal | None) -> Decimal | None:
    """The share (in %) an amount represents of a known, non-zero total."""
    if total in (None, 0) or amount is None:
        return None
    return (amount * HUNDRED / total).quantize(CENT, rounding=ROUND_HALF_UP)


def agrees(total: Decimal, share: Decimal, amount: Decimal) -> bool:
    tolerance = max(ABSOLUTE_TOLERANCE, total * RELATIVE_TOLERANCE)
    return abs(derived_amount(total, share) - amount) <= tolerance


def _english() -> bool:
    return (get_language() or "fr").startswith("en")


def format_euros(value, decimals: int | None = None) -> str:
    """French style: « 1 000 000 € », « 50,01 € » with narrow no-break spaces;
    "€1,000,000", "€50.01" in English.

    Cents are shown when the amount has some (``decimals=None``), so that one value
    reads the same on every page and in every export; ``decimals`` forces 0 or 2.
    """
    if value is None:
        return "—"
    value = to_cent(value)
    if decimals is None:
        decimals = 0 if value == value.to_integral_value() else 2
    if decimals == 0:
        value = value.quantize(Decimal(1), rounding=ROUND_HALF_UP)
    sign = "-" if value < 0 else ""
    integer, _, fraction = f"{abs(value):f}".partition(".")
    groups = []
    while integer:
        groups.insert(0, integer[-3:])
        integer = integer[:-3]
    english = _english()
    text = (",".join(groups) if english else "\u202f".join(groups)) or "0"
    if decimals and fraction:
        text += ("." if english else ",") + fraction[:decimals].ljust(decimals, "0")
    return f"{sign}€{text}" if english else f"{sign}{text}\u00a0€"


def format_share(value) -> str:
    """« 92 % », « 33,33 % »; "33.33%" in English."""
    if value is None:
        return "—"
    value = Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP).normalize()
    if _english():
        return f"{value:f}%"
    text = f"{value:f}".replace(".", ",")
    return f"{text}\u00a0%"


def format_millions(value) -> str:
    """For a sentence: « 3,58 M€ » from a million up (two decimals at most, half up),
    else ``format_euros``. Tables and exports keep the amount to the cent."""
    if value is None or abs(Decimal(value)) < 1_000_000:
        return format_euros(value)
    millions = (Decimal(value) / 1_000_000).quantize(CENT, rounding=ROUND_HALF_UP).normalize()
    text = f"{millions:f}"
    if _english():
        return f"€{text}M"
    return text.replace(".", ",") + "\u00a0M€"
