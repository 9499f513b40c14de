"""Funding figures for officials, aggregated in SQL (a bounded number of queries).

Every function takes a queryset of financing lines already filtered (territory,
years, funders, hub kinds, visibility) and returns plain dicts for templates,
charts and tests. Amounts are the lines' effective amounts: given, or derived
from a share of a known total; lines whose amount cannot be known are counted
in ``unknown`` and never summed as zero.
"""

from collections import defaultdict
from decimal import Decimal

from django.db.models import Count, Q, Sum

from hubs.models import HubIndicator
from territories.models import EPCI, Commune, Departement, Region

from .models import Funder
from .money import CENT
from .querysets import LINE_YEAR

UNKNOWN = Q(effective__isnull=True)
EU = Q(funder__category=Funder.Category.EU_FUND)
LOCAL = Q(funder__category__in=Funder.LOCAL_PUBLIC)
STATE = Q(funder__category=Funder.Category.STATE)
REQUESTED = Q(status="requested")
CATEGORY_LABELS = dict(Funder.Category.choices)


def _euros(value) -> Decimal:
    return (value or Decimal(0)).quantize(CENT) if value is not None else Decimal(0)


def _money_columns():
    return {
        "total": Sum("effective"),
        "lines": Count("pk"),
        "unknown": Count("pk", filter=UNKNOWN),
    }


def _rows(queryset, *keys, order="-total", limit=None):
    rows = list(
        queryset.with_effective_amount().values(*keys).annotate(**_money_columns()).order_by(order)
    )
    for row in rows:
        row["total"] = _euros(row["total"])
    return rows[:limit] if limit else rows


def headline(lines) -> dict:
    stats = lines.with_effective_amount().aggregate(
        total=Sum("effective"),
        eu=Sum("effective", filter=EU),
        local=Sum("effective", filter=LOCAL),
        state=Sum("effective", filter=STATE),
        lines=Count("pk"),
        unknown=Count("pk", filter=UNKNOWN),
        operations=Count("operation", distinct=True),
        hubs=Count("operation__hub", distinct=True),
        requested=Count("pk", filter=REQUESTED),
        requested_total=Sum("effective", filter=REQUESTED),
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
    rows = _rows(lines.annotate(year=LINE_YEAR), "year", order="year")
    return [row for row in rows if row["year"] is not None] + [
        dict(row, year=None) for row in rows if row["year"] is None
    ]


def by_kind(lines) -> list[dict]:
    """Per hub kind. A hub with two kinds counts in both: the rows overlap."""
    return _rows(lines, "operation__hub__kinds__slug", "operation__hub__kinds__name")


# Drill-down: the level below the selected territory.
_LEVELS = {
    None: ("operation__hub__commune__departement__region_id", Region, "region"),
    "region": ("operation__hub__commune__departement_id", Departement, "dep"),
    "dep": ("operation__hub__commune__epci_id", EPCI, "epci"),
    "epci": ("operation__hub__commune_id", Commune, "commune"),
    "commune": ("operation__hub__commune_id", Commune, "commune"),
}


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
        lines.with_effective_amount()
        .values(
            "operation_id",
            "operation__title",
            "operation__total_cost",
            "operation__hub__name",
            "operation__hub__slug",
            "operation__hub__commune__name",
        )
        .annotate(
            funded=Sum("effective"),
            eu=Sum("effective", filter=EU),
            unknown=Count("pk", filter=UNKNOWN),
        )
        .order_by("-funded", "operation__title")[:limit]
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
        lines.with_effective_amount()
        .values("operation__hub_id", "operation__hub__name", "operation__hub__slug")
        .annotate(
            total=Sum("effective"),
            eu=Sum("effective", filter=EU),
            local=Sum("effective", filter=LOCAL),
            state=Sum("effective", filter=STATE),
            unknown=Count("pk", filter=UNKNOWN),
        )
        .order_by("-total", "operation__hub__name")[:limit]
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


def chart_data(categories, years) -> dict:
    """The figures the charts draw (the tables beside them hold the same)."""
    series = defaultdict(list)
    for row in categories:
        series["categoryLabels"].append(str(row["label"]))
        series["categoryTotals"].append(float(row["total"]))
    for row in years:
        if row["year"] is not None:
            series["yearLabels"].append(str(row["year"]))
            series["yearTotals"].append(float(row["total"]))
    return dict(series)


def dashboard(lines, level: str | None) -> dict:
    categories = by_category(lines)
    years = by_year(lines)
    return {
        "headline": headline(lines),
        "categories": categories,
        "funders": by_funder(lines),
        "years": years,
        "kinds": by_kind(lines),
        "territories": by_territory(lines, level),
        "operations": largest_operations(lines),
        "hubs": per_hub(lines),
        "charts": chart_data(categories, years),
    }


# ---------------------------------------------------------------- caching
#: A computed dashboard is kept this long at most, even when nothing seems to change
#: (a change the version below cannot see, e.g. a hub's kinds, shows within this delay).
DASHBOARD_CACHE_SECONDS = 600


def data_version() -> str:
    """What the dashboard's figures depend on, in one cheap query (indexed MAX, COUNT).

    A saved, added or deleted line, operation, funder or hub changes it, in
    every process (it is read from the database, not kept in memory).
    """
    from django.db import connection

    from hubs.models import Hub

    from .models import FinancingLine, FundedOperation

    quote = connection.ops.quote_name
    columns = ", ".join(
        f"(SELECT COUNT(*) FROM {quote(table)}), (SELECT MAX(updated_at) FROM {quote(table)})"  # noqa: S608
        for table in (m._meta.db_table for m in (FinancingLine, FundedOperation, Funder, Hub))
    )
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {columns}")  # noqa: S608 (our own table names)
        return "|".join(str(value) for value in cursor.fetchone())


def cached_dashboard(lines, level: str | None, key_parts: list[str]) -> dict:
    """``dashboard(lines, level)``, computed once per data version, visibility and filters."""
    import hashlib

    from django.core.cache import cache

    key = (
        "funding-dashboard:"
        + hashlib.sha256("|".join([data_version(), *key_parts]).encode()).hexdigest()
    )
    result = cache.get(key)
    if result is None:
        result = dashboard(lines, level)
        cache.set(key, result, DASHBOARD_CACHE_SECONDS)
    return result
