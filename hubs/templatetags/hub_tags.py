import json

from django import template
from django.utils.safestring import mark_safe

from hubs import hours

register = template.Library()

_SCRIPT_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


@register.filter
def jsonld(value) -> str:
    """A JSON-LD ``<script>`` element, escaped like ``json_script``."""
    text = json.dumps(value, ensure_ascii=False).translate(_SCRIPT_ESCAPES)
    # Safe: the three characters that could end the script element are escaped.
    return mark_safe(f'<script type="application/ld+json">{text}</script>')  # noqa: S308


@register.simple_tag(takes_context=True)
def query_with(context, **changes) -> str:
    """The current query string with some parameters replaced (pagination links)."""
    query = context["request"].GET.copy()
    for key, value in changes.items():
        if value is None:
            query.pop(key, None)
        else:
            query[key] = value
    return query.urlencode()


@register.filter
def km(value) -> str:
    """A distance in French: « 850 m », « 3,4 km », « 12 km »."""
    if value is None:
        return ""
    if value < 1:
        return f"{round(value * 1000, -1):.0f} m"
    if value < 10:
        return f"{value:.1f} km".replace(".", ",")
    return f"{value:.0f} km"


@register.filter
def open_state(opening_hours: str):
    """« Ouvert · ferme à 18 h » for a hub's hours now (``hubs.hours.status``), or None."""
    return hours.status(opening_hours)
