from django import template
from django.db.models import Prefetch

from funding import money
from funding.models import FinancingLine, FundedOperation

register = template.Library()


@register.filter
def euros(value) -> str:
    """« 1 000 000 € »."""
    return money.format_euros(value)


@register.filter
def percent(value) -> str:
    """« 92 % »."""
    return money.format_share(value)


@register.filter
def ratio(value, digits=2) -> str:
    """A ratio the French way: « 11,50 » ("11.50" in English)."""
    if value is None:
        return "—"
    text = f"{value:.{int(digits)}f}"
    return text if money._english() else text.replace(".", ",")


@register.inclusion_tag("funding/_hub_funding.html", takes_context=True)
def hub_funding(context, hub):
    """The "Financements" section of a hub page (2 queries, whatever the lines)."""
    request = context["request"]
    lines = FinancingLine.objects.visible_to(request.user).select_related("funder")
    operations = list(
        FundedOperation.objects.filter(hub=hub)
        .prefetch_related(Prefetch("lines", queryset=lines.order_by("-amount", "-share")))
        .order_by("start_date", "title")
    )
    operations = [op for op in operations if op.lines.all() or op.total_cost is not None]
    return {"operations": operations, "hub": hub, "request": request}
