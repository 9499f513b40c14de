import json

from django import template
from django.utils.formats import number_format
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

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
    """A distance in the page's language: « moins de 100 m », « 850 m », « 3,4 km »
    (« 3.4 km » in English), « 12 km »; a no-break space before the unit."""
    if value is None:
        return ""
    if value < 0.1:  # a hub on the searched point: « à moins de 100 m », not « à 0 m »
        return _("moins de 100 m")
    if value < 1:
        return f"{number_format(round(value * 1000, -1), 0)}\u00a0m"
    if value < 10:
        return f"{number_format(value, 1)}\u00a0km"
    return f"{number_format(value, 0)}\u00a0km"


@register.filter
def open_state(opening_hours: str, moment=None):
    """« Ouvert · ferme à 18 h » for a hub's hours at ``moment`` (now when not given),
    from ``hubs.hours.status``; None without hours."""
    return hours.status(opening_hours, moment or None)
