"""Tags of the search forms' « Filtres (n) » fold (the map, the list, the agenda)."""

from django import template

register = template.Library()

# The query parameters that are not among the folded filters: the place (« Où ? »
# stays visible), the page of results and the map's bounding box.
NOT_FOLDED = frozenset({"place", "territory", "near", "page", "bbox"})


@register.simple_tag(takes_context=True)
def active_filter_count(context, *also_not_folded: str) -> int:
    """How many criteria the « Filtres (n) » fold holds: one per non-blank value
    (two kinds ticked count two), as static/js/folds.js counts them in the
    form. ``also_not_folded``: a page's own parameters outside the fold (the
    agenda's tab, ``when``)."""
    request = context.get("request")
    if request is None:
        return 0
    return sum(
        1
        for name, values in request.GET.lists()
        if name not in NOT_FOLDED and name not in also_not_folded
        for value in values
        if value.strip()
    )
