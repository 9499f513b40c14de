"""Money and shares: Decimal euros, French formatting, derived amounts."""

from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import get_language

CENT = Decimal("0.01")
HUNDRED = Decimal("100")
# An amount and a share given together must agree with the total within this
# tolerance: 1 euro, or 0.1 % of the total for large operations (press figures
# are rounded: "about 880 000 euros").
ABSOLUTE_TOLERANCE = Decimal("1.00")
RELATIVE_TOLERANCE = Decimal("0.001")


def derived_amount(total: Decimal | None, share: Decimal | None) -> Decimal | None:
    """The amount a share of a known total represents, to the cent."""
    if total is None or share is None:
        return None
    return (total * share / HUNDRED).quantize(CENT, rounding=ROUND_HALF_UP)


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


def format_euros(value, decimals: int = 0) -> str:
    """French style: « 1 000 000 € » with narrow no-break spaces; "€1,000,000" in English."""
    if value is None:
        return "—"
    value = Decimal(value).quantize(Decimal(1) if decimals == 0 else CENT, rounding=ROUND_HALF_UP)
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
