"""The funding dashboard as it was computed before issue 7's rework: one SQL
aggregate per table (eight passes over the lines). Kept as the oracle the new
three-pass computation (funding.summaries) is compared with, row for row.

One change since: a total, funded amount or share that nothing is known of
(a NULL sum) is listed last on every database (NULLS LAST), where PostgreSQL
listed it first.
"""

from decimal import Decimal

from django.db.models import Case, Count, DecimalField, ExpressionWrapper, F, Q, Sum, Value, When
from django.db.models.functions import Coalesce, ExtractYear

from funding.money import CENT
from funding.summaries import _LEVELS, CATEGORY_LABELS, EU, LOCAL, REQUESTED, STATE
from hubs.models import HubIndicator

# Computed here from each line and its operation, as before the stored columns
# (``effective``, ``year``) of migration 0005: the oracle checks them too.
MONEY = DecimalField(max_digits=18, decimal_places=4)
EFFECTIVE_AMOUNT = Case(
    When(amount__isnull=False, then=F("amount")),
    When(
        share__isnull=False,
        operation__total_cost__isnull=False,
        then=ExpressionWrapper(
            F("operation__total_cost") * F("share") / Value(Decimal(100)), output_field=MONEY
        ),
    ),
    default=Value(None, output_field=MONEY),
    output_field=MONEY,
)
LINE_YEAR = Coalesce(ExtractYear("decision_date"), ExtractYear("operation__start_date"))
UNKNOWN = Q(computed__isnull=True)


def _with_effective_amount(lines):
    return lines.annotate(computed=EFFECTIVE_AMOUNT)


def _euros(value) -> Decimal:
    return (value or Decimal(0)).quantize(CENT) if value is not None else Decimal(0)


def _money_columns():
    return {
        "total": Sum("computed"),
        "lines": Count("pk"),
        "unknown": Count("pk", filter=UNKNOWN),
    }


def _rows(queryset, *keys, order=None, limit=None):
    order = order or F("total").desc(nulls_last=True)
    rows = list(
        _with_effective_amount(queryset).values(*keys).annotate(**_money_columns()).order_by(order)
    )
    for row in rows:
        row["total"] = _euros(row["total"])
    return rows[:limit] if limit else rows


def headline(lines) -> dict:
    stats = _with_effective_amount(lines).aggregate(
        total=Sum("computed"),
        eu=Sum("computed", filter=EU),
        local=Sum("computed", filter=LOCAL),
        state=Sum("computed", filter=STATE),
        lines=Count("pk"),
        unknown=Count("pk", filter=UNKNOWN),
        operations=Count("operation", distinct=True),
        hubs=Count("operation__hub", distinct=True),
        requested=Count("pk", filter=REQUESTED),
        requested_total=Sum("computed", filter=REQUESTED),
    )
    for key in ("total", "eu", "local", "state", "requested_total"):
        stats[key] = _euros(stats[key])
    stats["eu_share"] = (stats["eu"] * 100 / stats["total"]) if stats["total"] else None
    # EU leverage: EU euros for each euro of local public money (Région,
    # Département, intercommunalités, communes).
    stats["eu_leverage"] = (stats["eu"] / stats["local"]) if stats["local"] else None
    return stats


def by_category(lines) -> list[dict]:
    rows = _rows(lines, "funder__category")
    for row in rows:
        row["label"] = CATEGORY_LABELS.get(row["funder__category"], row["funder__category"])
    return rows


def by_funder(lines, limit=20) -> list[dict]:
    return _rows(
        lines, "funder__slug", "funder__name", "funder__short_name", "funder__category", limit=limit
    )


def by_year(lines) -> list[dict]:
    rows = _rows(lines.annotate(line_year=LINE_YEAR), "line_year", order="line_year")
    rows = [{("year" if k == "line_year" else k): v for k, v in row.items()} for row in rows]
    return [row for row in rows if row["year"] is not None] + [
        dict(row, year=None) for row in rows if row["year"] is None
    ]


def by_kind(lines) -> list[dict]:
    """Per hub kind. A hub with two kinds counts in both: the rows overlap."""
    return _rows(lines, "operation__hub__kinds__slug", "operation__hub__kinds__name")


# Drill-down: the level below the selected territory.
def by_territory(lines, level: str | None) -> list[dict]:
    """Totals per sub-territory of the selected one (région → département → EPCI → commune)."""
    key, model, child_level = _LEVELS[level]
    rows = _rows(lines, key)
    names = model.objects.in_bulk([row[key] for row in rows if row[key]])
    for row in rows:
        territory = names.get(row[key])
        row["name"] = str(territory) if territory else "—"
        row["code"] = territory.filter_code if territory else ""
        row["level"] = child_level
    return rows


def largest_operations(lines, limit=10) -> list[dict]:
    rows = list(
        _with_effective_amount(lines)
        .values(
            "operation_id",
            "operation__title",
            "operation__total_cost",
            "operation__hub__name",
            "operation__hub__slug",
            "operation__hub__commune__name",
        )
        .annotate(
            funded=Sum("computed"),
            eu=Sum("computed", filter=EU),
            unknown=Count("pk", filter=UNKNOWN),
        )
        .order_by(F("funded").desc(nulls_last=True), "operation__title")[:limit]
    )
    for row in rows:
        row["funded"] = _euros(row["funded"])
        row["eu"] = _euros(row["eu"])
        row["eu_rate"] = (
            row["eu"] * 100 / row["operation__total_cost"] if row["operation__total_cost"] else None
        )
    return rows


def per_hub(lines, limit=50) -> list[dict]:
    """Money per hub beside its latest outcomes (jobs, companies, people trained)."""
    rows = list(
        _with_effective_amount(lines)
        .values("operation__hub_id", "operation__hub__name", "operation__hub__slug")
        .annotate(
            total=Sum("computed"),
            eu=Sum("computed", filter=EU),
            local=Sum("computed", filter=LOCAL),
            state=Sum("computed", filter=STATE),
            unknown=Count("pk", filter=UNKNOWN),
        )
        .order_by(F("total").desc(nulls_last=True), "operation__hub__name")[:limit]
    )
    latest: dict[int, HubIndicator] = {}
    hub_ids = [row["operation__hub_id"] for row in rows]
    for indicator in HubIndicator.objects.filter(hub_id__in=hub_ids).order_by("hub_id", "year"):
        latest[indicator.hub_id] = indicator  # ordered by year: the last one wins
    for row in rows:
        for key in ("total", "eu", "local", "state"):
            row[key] = _euros(row[key])
        indicator = latest.get(row["operation__hub_id"])
        row["indicator"] = indicator
        row["euros_per_job"] = (
            (row["total"] / indicator.jobs).quantize(Decimal(1))
            if indicator and indicator.jobs and row["total"]
            else None
        )
    return rows


def dashboard(lines, level: str | None) -> dict:
    return {
        "headline": headline(lines),
        "categories": by_category(lines),
        "funders": by_funder(lines),
        "years": by_year(lines),
        "kinds": by_kind(lines),
        "territories": by_territory(lines, level),
        "operations": largest_operations(lines),
        "hubs": per_hub(lines),
    }
