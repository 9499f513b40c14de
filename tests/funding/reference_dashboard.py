"""The funding dashboard as it was computed before issue 7's rework: one SQL
aggregate per table (eight passes over the lines). Kept as the oracle the new
three-pass computation (funding.summaries) is compared with, row for row.

Changes since: a total, funded amount or share that nothing is known of
(a NULL sum) is listed last on every database (NULLS LAST), where PostgreSQL
listed it first. Issue 19: such a total is None, never 0; only co-financing
(subsidies, repayable advances) is summed; each line's amount is the stored one,
rounded to the cent by the database (test_money_rule.py proves it equal to
funding.money.derived_amount on both databases), and no cost per job is computed.
"""

from django.db.models import Count, F, Q, Sum
from django.db.models.functions import Coalesce, ExtractYear

from funding.money import to_cent, to_percent
from funding.summaries import CATEGORY_LABELS, EU, LOCAL, REQUESTED, STATE, _level_below
from hubs.models import HubIndicator

# The year is computed here from each line and its operation, as before the stored
# column of migration 0005: the oracle checks it too. The amount is the stored one
# (see the module's docstring).
EFFECTIVE_AMOUNT = F("effective")
LINE_YEAR = Coalesce(ExtractYear("decision_date"), ExtractYear("operation__start_date"))
UNKNOWN = Q(computed__isnull=True)


def _with_effective_amount(lines):
    return lines.annotate(computed=EFFECTIVE_AMOUNT)


_euros = to_cent  # None stays None


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
        eu_lines=Count("pk", filter=EU),
        eu_unknown=Count("pk", filter=EU & UNKNOWN),
        local_lines=Count("pk", filter=LOCAL),
        local_unknown=Count("pk", filter=LOCAL & UNKNOWN),
        state_lines=Count("pk", filter=STATE),
        state_unknown=Count("pk", filter=STATE & UNKNOWN),
        lines=Count("pk"),
        unknown=Count("pk", filter=UNKNOWN),
        operations=Count("operation", distinct=True),
        hubs=Count("operation__hub", distinct=True),
        requested=Count("pk", filter=REQUESTED),
        requested_total=Sum("computed", filter=REQUESTED),
    )
    for key in ("total", "eu", "local", "state", "requested_total"):
        stats[key] = _euros(stats[key])
    eu, total, local = stats["eu"], stats["total"], stats["local"]
    # In whole percents, half up: the card and the sentence say the same.
    stats["eu_share"] = to_percent(eu * 100 / total) if eu is not None and total else None
    # EU leverage: EU euros for each euro of local public money (Région,
    # Département, intercommunalités, communes), on co-financing only.
    stats["eu_leverage"] = eu / local if eu is not None and local else None
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
    key, model, child_level = _level_below(level)
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
            lines=Count("pk"),
            unknown=Count("pk", filter=UNKNOWN),
        )
        .order_by(F("funded").desc(nulls_last=True), "operation__title")[:limit]
    )
    for row in rows:
        row["funded"] = _euros(row["funded"])
        row["eu"] = _euros(row["eu"])
        row["eu_rate"] = (
            row["eu"] * 100 / row["operation__total_cost"]
            if row["eu"] is not None and row["operation__total_cost"]
            else None
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
            eu_lines=Count("pk", filter=EU),
            eu_unknown=Count("pk", filter=EU & UNKNOWN),
            local_lines=Count("pk", filter=LOCAL),
            local_unknown=Count("pk", filter=LOCAL & UNKNOWN),
            state_lines=Count("pk", filter=STATE),
            state_unknown=Count("pk", filter=STATE & UNKNOWN),
            lines=Count("pk"),
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
        row["indicator"] = latest.get(row["operation__hub_id"])
    return rows


def dashboard(lines, level: str | None) -> dict:
    lines = lines.co_financing()
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
