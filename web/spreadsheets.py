"""Text cells that a spreadsheet cannot take for a formula (CSV injection).

The one place every export goes through: the public CSVs (hubs, financing lines)
and the admin's CSV and XLSX files (hubs, operations, events). A text that
starts with one of the characters a spreadsheet reads as the start of a formula
(OWASP: = + - @ tab, carriage return) is written after a single quote:
``=HYPERLINK(…)`` becomes ``'=HYPERLINK(…)``. Only text is touched: numbers
(negative ones included) are written as numbers. The imports take the quote off
again (:func:`restore_cell`), so that an exported file imports unchanged.
"""

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value):
    """``value`` with a quote before it when it is text that starts like a formula."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def restore_cell(text: str) -> str:
    """The text :func:`safe_cell` was given (an imported cell of an export)."""
    if text.startswith("'") and text[1:].startswith(FORMULA_STARTS):
        return text[1:]
    return text
