"""Tags of the map page's filters (issue 16)."""

from django import template

register = template.Library()

# The query parameters that are not among the folded filters: the place (« Où ? »
# stays visible), the page of results and the map's bounding box.
NOT_FOLDED = frozenset({"place", "territory", "near", "page", "bbox"})


@register.simple_tag(takes_context=True)
def active_filter_count(context) -> int:
    """How many criteria the « Filtres (n) » fold holds: one per non-blank value
    (two kinds ticked count two), as static/js/map.js counts them in the form."""
    request = context.get("request")
    if request is None:
        return 0
    return sum(
        1
        for name, values in request.GET.lists()
        if name not in NOT_FOLDED
        for value in values
        if value.strip()
    )
