"""Template tags of the back-office's layout (backoffice/admin_layout.py)."""

from django import template

from backoffice import admin_layout
from backoffice.imports.resources import row_errors

register = template.Library()


@register.inclusion_tag("components/error_summary.html")
def error_summary(adminform, inline_admin_formsets=()):
    """The list of a change form's errors, each a link to its field."""
    return {"error_items": admin_layout.error_summary(adminform, inline_admin_formsets)}


@register.filter
def import_errors(result) -> list[tuple[int, str, str]]:
    """Every error of an import, ``(row number, column, message)``, row 1 being
    the first line after the header (0: the file as a whole)."""
    return row_errors(result)
