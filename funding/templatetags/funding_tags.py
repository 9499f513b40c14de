from django import template
from django.db.models import Prefetch
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from funding import money
from funding.models import FinancingLine, FundedOperation
from web.languages import source_lang_attribute

register = template.Library()


@register.filter
def euros(value) -> str:
    """« 1 000 000 € »."""
    return money.format_euros(value)


@register.simple_tag
def amount(total, lines=0, unknown=0):
    """A sum of lines as an official must read it (issue 19): « 1 000 € »; « au moins
    1 000 € » when some lines have no known amount; « montant non connu (2 lignes) »
    when none has, never « 0 € »; « — » when there is no line at all."""
    lines, unknown = lines or 0, unknown or 0
    if not lines and total is None:
        return "—"
    if total is None:
        return format_html(
            '<span class="amount-unknown">{}</span>',
            ngettext(
                "montant non connu (%(count)d ligne)", "montant non connu (%(count)d lignes)", lines
            )
            % {"count": lines},
        )
    if unknown:
        return format_html(
            '<span class="amount-partial"><span class="amount-partial__prefix">{}</span> {}</span>',
            _("au moins"),
            money.format_euros(total),
        )
    return money.format_euros(total)


@register.simple_tag
def funder_name(name, short_name=""):
    """The short name officials use (FEDER, FSE, CAVM), the full name in ``<abbr>``;
    marked French on a page in another language (names are typed in French)."""
    lang = source_lang_attribute()
    if short_name and short_name != name:
        return format_html('<abbr{} title="{}">{}</abbr>', lang, name, short_name)
    if lang:
        return format_html("<span{}>{}</span>", lang, name)
    return name


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
    # What the visitor may see, and the planned commitments, marked as such.
    lines = (
        FinancingLine.objects.visible_to(request.user) | FinancingLine.objects.planned()
    ).select_related("funder")
    operations = list(
        FundedOperation.objects.filter(hub=hub)
        .prefetch_related(Prefetch("lines", queryset=lines.order_by("-amount", "-share")))
        .order_by("start_date", "title")
    )
    operations = [op for op in operations if op.lines.all() or op.total_cost is not None]
    return {"operations": operations, "hub": hub, "request": request}
