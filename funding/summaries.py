"""Funding figures for officials, aggregated in SQL (a bounded number of queries).

``dashboard`` takes a queryset of financing lines already filtered (territory,
years, funders, hub kinds, visibility) and returns plain dicts for templates,
charts and tests. Amounts are the lines' effective amounts: given, or derived
from a share of a known total; lines whose amount cannot be known are counted
in ``unknown`` and never summed as zero: a total nothing is known of is ``None``
(« montant non connu »), never 0 (issue 19). Every amount is rounded by the one
money rule (``money.to_cent``).

Only co-financing is summed in the tables (subsidies and repayable advances): a
public body's own spending (direct investment, acquisition) is a separate table,
``direct``, and planned commitments (status « prévu ») are never summed.

The lines are read three times, whatever their number: grouped per funder, year
and nature (a few hundred rows; the direct spending's table comes from them too),
per hub (one row per funded hub) and per operation
(only the ten largest come back). The headline and the tables per category,
funder, year, hub kind and sub-territory are added up from the first two in
Python, like SQL's SUM (NULL ignored, NULL when nothing is known) with exact
Decimals, and ordered like ``ORDER BY total DESC NULLS LAST``. Each table
used to be its own pass over every line (issue 7: eight passes, a second at
national scale). A fourth read lists the planned commitments (status « prévu »,
indexed), which the others never see.
"""

from collections import defaultdict
from decimal import Decimal, localcontext
from operator import itemgetter

from django.db import connections, transaction
from django.db.models import Count, Exists, F, OuterRef, Q, Sum, Window
from django.utils.text import capfirst

from hubs.models import Hub, HubIndicator, HubTarget
from hubs.targets import progress
from territories.levels import below, commune_path

from .coverage import DEFAULT_KM, cached_coverage
from .models import FinancingLine, FundedOperation, Funder
from .money import to_cent, to_percent

UNKNOWN = Q(effective_cents__isnull=True)
EU = Q(funder__category=Funder.Category.EU_FUND)
LOCAL = Q(funder__category__in=Funder.LOCAL_PUBLIC)
STATE = Q(funder__category=Funder.Category.STATE)
REQUESTED = Q(status="requested")
CATEGORY_LABELS = dict(Funder.Category.choices)
#: Up to this many funded hubs, their names and kinds are read by id; beyond, every hub's.
BY_ID = 500
#: The hubs listed by name, with their money and outcomes (the others are in the totals).
HUBS_SHOWN = 50


def _euros(cents: int | None) -> Decimal | None:
    """A sum of the lines' ``effective_cents`` in euros, exactly (None stays None:
    nothing known is not zero). The passes add whole cents (a bigint is added
    natively, a numeric one digit group at a time); each line's amount is already
    rounded by the one money rule (``money.to_cent``, the database's triggers)."""
    return None if cents is None else Decimal(cents).scaleb(-2)


def _add(total, value):
    """SQL's SUM, one value at a time: NULL ignored, NULL as long as nothing is known."""
    if value is None:
        return total
    return value if total is None else total + value


def _roll_up(pairs) -> dict:
    """``(key, row)`` pairs added up per key: ``total`` like SQL's SUM (NULL ignored,
    NULL as long as nothing is known), ``lines`` and ``unknown`` counted."""
    groups: dict = {}
    with localcontext() as context:
        context.prec = 60  # exact sums: the only rounding is to the cent, at the end
        for key, row in pairs:
            total, group = row["total"], groups.get(key)
            if group is None:
                groups[key] = {"total": total, "lines": row["lines"], "unknown": row["unknown"]}
                continue
            if total is not None:
                group["total"] = total if group["total"] is None else group["total"] + total
            group["lines"] += row["lines"]
            group["unknown"] += row["unknown"]
    return groups


def _by_total(rows: list[dict], column: str = "total") -> list[dict]:
    """``rows`` largest total first, as ``ORDER BY total DESC NULLS LAST``: a total
    nothing is known of comes last on every database; ties keep their order."""
    known = sorted((r for r in rows if r[column] is not None), key=itemgetter(column), reverse=True)
    return known + [r for r in rows if r[column] is None]


def _table(groups: dict, names: tuple[str, ...]) -> list[dict]:
    """Roll-up groups as table rows (key columns named ``names``), largest total first."""
    rows = []
    for key, figures in groups.items():
        row = dict(zip(names, key if len(names) > 1 else (key,), strict=True))
        row.update(figures)
        rows.append(row)
    rows = _by_total(rows)
    for row in rows:
        row["total"] = _euros(row["total"])
    return rows


# ---------------------------------------------------------------- the three passes
def _per_funder_and_year(lines) -> list[dict]:
    """Pass 1: one row per (funder, year, nature) with its sums and counts: the
    co-financing rows make the tables, the others the direct spending's."""
    return list(
        lines.values("funder_id", "year", "nature")
        .annotate(
            total=Sum("effective_cents"),
            lines=Count("pk"),
            unknown=Count("pk", filter=UNKNOWN),
            requested=Count("pk", filter=REQUESTED),
            requested_total=Sum("effective_cents", filter=REQUESTED),
        )
        .order_by()
    )


# Drill-down: the level below the selected territory, and where a line finds it.
def _level_below(level: str | None) -> tuple[str, type, str]:
    """(the line's lookup to its sub-territory's key, that level's model, its name)."""
    child, model = below(level)
    return commune_path(child, "operation__hub__commune"), model, child


def _per_hub(lines) -> list[dict]:
    """Pass 2: one row per funded hub, grouped on the hub's id alone (a hash aggregate)."""
    return list(
        lines.values("hub_id")
        .annotate(
            total=Sum("effective_cents"), lines=Count("pk"), unknown=Count("pk", filter=UNKNOWN)
        )
        .order_by()
    )


def _describe_hubs(hubs: list[dict], level: str | None, using: str) -> list[dict]:
    """The funded hubs with their sub-territory and kinds (``kinds``: the (slug, name)
    pairs, or one (None, None) for a hub without a kind), largest total first.

    Only the first ``HUBS_SHOWN`` are listed by name: they alone get their name and
    slug, and are ordered like ``ORDER BY total DESC NULLS LAST, name`` (the
    database's collation orders the names of equal totals, those tied with the last
    one shown included). The others follow by total: the tables per kind and per
    territory add them up whatever their order.
    """
    key = _level_below(level)[0]
    by_id = {row["hub_id"]: row for row in hubs}
    details = Hub.objects.using(using).order_by()
    if len(by_id) <= BY_ID:  # a territory's few hubs; else all of them, without a long IN
        details = details.filter(pk__in=list(by_id))
    for row in hubs:
        row["operation__hub_id"], row["kinds"] = row["hub_id"], []
    territory_field = key.removeprefix("operation__hub__")
    for pk, territory, kind, kind_name in details.values_list(
        "pk", territory_field, "kinds__slug", "kinds__name"
    ):  # one row per hub and kind
        row = by_id.get(pk)
        if row is not None:
            row[key] = territory
            row["kinds"].append((kind, kind_name))
    ordered = _by_total(hubs)
    end = min(HUBS_SHOWN, len(ordered))
    while 0 < end < len(ordered) and ordered[end]["total"] == ordered[end - 1]["total"]:
        end += 1  # a tie across the cut: the names choose who is shown
    named = Hub.objects.using(using).order_by("name", "pk").values_list("pk", "name", "slug")
    if end <= BY_ID:
        named = named.filter(pk__in=[row["hub_id"] for row in ordered[:end]])
    rank = {}
    for pk, name, slug in named:
        row = by_id.get(pk)
        if row is not None:
            row["operation__hub__name"], row["operation__hub__slug"] = name, slug
            rank[pk] = len(rank)
    head = sorted(ordered[:end], key=lambda row: rank[row["hub_id"]])
    return _by_total(head) + ordered[end:]  # stable: equal totals stay in name order


def largest_operations(lines, funders, limit=10) -> list[dict]:
    """Pass 3: the ``limit`` operations with the most money, then their hub and commune.

    Each row also says how many operations there are in all (``operations``).
    Ordered like ``ORDER BY funded DESC NULLS LAST, title``. The pass over the lines
    groups them on the operation's id alone and sums only what orders them: the
    titles, the EU money and the lines without a known amount are read afterwards
    for the operations kept. One more row is read, and only a tie across the cut
    (the last row kept and the first left out have the same amount, as the unknown
    amounts of a small territory do) makes the titles order the groups in SQL.
    """
    using = lines.db
    money = {
        "funded": Sum("effective_cents"),
        # How many operations there are in all: a window over the groups, before LIMIT.
        "operations": Window(Count("operation_id")),
    }
    most = F("funded").desc(nulls_last=True)
    rows = list(
        lines.values("operation_id").annotate(**money).order_by(most, "operation_id")[: limit + 1]
    )
    tie_across_the_cut = len(rows) > limit and rows[limit]["funded"] == rows[limit - 1]["funded"]
    if tie_across_the_cut:
        groups = lines.values("operation_id", "operation__title").annotate(**money)
        rows = list(groups.order_by(most, "operation__title", "operation_id")[:limit])
    ids = [row["operation_id"] for row in rows[:limit]]
    details = {
        operation["pk"]: operation
        for operation in FundedOperation.objects.using(using)
        .filter(pk__in=ids)
        .order_by("title", "pk")  # the database's collation, as in SQL
        .values("pk", "title", "total_cost", "hub__name", "hub__slug", "hub__commune__name")
    }
    if not tie_across_the_cut:
        rank = {pk: index for index, pk in enumerate(details)}
        rows = _by_total(sorted(rows[:limit], key=lambda row: rank[row["operation_id"]]), "funded")
    eu_funders = [
        pk for pk, funder in funders.items() if funder.category == Funder.Category.EU_FUND
    ]
    parts = {
        part["operation_id"]: part
        for part in lines.filter(operation_id__in=ids)
        .values("operation_id")
        .annotate(
            eu=Sum("effective_cents", filter=Q(funder_id__in=eu_funders)),
            lines=Count("pk"),
            unknown=Count("pk", filter=UNKNOWN),
        )
        .order_by()
    }
    for row in rows:
        operation = details[row["operation_id"]]
        row["operation__title"] = operation["title"]
        row["operation__total_cost"] = operation["total_cost"]
        row["operation__hub__name"] = operation["hub__name"]
        row["operation__hub__slug"] = operation["hub__slug"]
        row["operation__hub__commune__name"] = operation["hub__commune__name"]
        row["funded"] = _euros(row["funded"])
        row["eu"] = _euros(parts[row["operation_id"]]["eu"])
        row["unknown"] = parts[row["operation_id"]]["unknown"]
        row["lines"] = parts[row["operation_id"]]["lines"]
        row["eu_rate"] = (
            row["eu"] * 100 / row["operation__total_cost"]
            if row["eu"] is not None and row["operation__total_cost"]
            else None
        )
    return rows


# ---------------------------------------------------------------- the tables
def headline(funder_years, funders, hubs, operations) -> dict:
    """The figures of the cards: totals (``None`` when nothing is known), and for the
    European, local public and State money their lines and lines without amount."""
    columns = ("total", "lines", "unknown", "requested", "requested_total")
    parts = {
        "eu": (Funder.Category.EU_FUND,),
        "local": Funder.LOCAL_PUBLIC,
        "state": (Funder.Category.STATE,),
    }
    stats = dict.fromkeys((*columns, *parts))
    stats.update({f"{name}_{count}": 0 for name in parts for count in ("lines", "unknown")})
    with localcontext() as context:
        context.prec = 60  # exact sums
        for row in funder_years:
            for column in columns:
                stats[column] = _add(stats[column], row[column])
            category = funders[row["funder_id"]].category
            for name, categories in parts.items():
                if category in categories:
                    stats[name] = _add(stats[name], row["total"])
                    stats[f"{name}_lines"] += row["lines"]
                    stats[f"{name}_unknown"] += row["unknown"]
    for key in ("lines", "unknown", "requested"):
        stats[key] = stats[key] or 0
    stats["operations"] = operations[0]["operations"] if operations else 0
    stats["hubs"] = len(hubs)
    for key in ("total", "eu", "local", "state", "requested_total"):
        stats[key] = _euros(stats[key])
    eu, total, local = stats["eu"], stats["total"], stats["local"]
    # In whole percents, half up: the card and the sentence say the same.
    stats["eu_share"] = to_percent(eu * 100 / total) if eu is not None and total else None
    # EU leverage, on co-financing only (the lines summed here): the known European
    # euros for each known euro of local public money (Région, départements,
    # intercommunalités, communes).
    stats["eu_leverage"] = eu / local if eu is not None and local else None
    return stats


def by_category(funder_years, funders) -> list[dict]:
    groups = _roll_up((funders[row["funder_id"]].category, row) for row in funder_years)
    rows = _table(groups, ("funder__category",))
    for row in rows:
        row["label"] = CATEGORY_LABELS.get(row["funder__category"], row["funder__category"])
    return rows


def by_funder(funder_years, funders, limit=20) -> list[dict]:
    def describe(funder):
        return (funder.slug, funder.name, funder.short_name, funder.category)

    groups = _roll_up((describe(funders[row["funder_id"]]), row) for row in funder_years)
    names = ("funder__slug", "funder__name", "funder__short_name", "funder__category")
    return _table(groups, names)[:limit]


def by_year(funder_years) -> list[dict]:
    """In year order; lines without a year (no decision date, no operation start) last."""
    groups = _roll_up((row["year"], row) for row in funder_years)
    rows = [dict(figures, year=year) for year, figures in groups.items()]
    rows.sort(key=lambda row: (row["year"] is None, row["year"] or 0))
    for row in rows:
        row["total"] = _euros(row["total"])
    return rows


def by_kind(hubs) -> list[dict]:
    """Per hub kind. A hub with two kinds counts in both: the rows overlap."""
    groups = _roll_up((kind, row) for row in hubs for kind in row["kinds"])
    return _table(groups, ("operation__hub__kinds__slug", "operation__hub__kinds__name"))


def by_territory(hubs, level: str | None, using) -> list[dict]:
    """Totals per sub-territory of the selected one (région → département → EPCI → commune)."""
    key, model, child_level = _level_below(level)
    rows = _table(_roll_up((row[key], row) for row in hubs), (key,))
    names = model.objects.using(using).in_bulk([row[key] for row in rows if row[key]])
    for row in rows:
        territory = names.get(row[key])
        row["name"] = str(territory) if territory else "—"
        row["code"] = territory.filter_code if territory else ""
        row["level"] = child_level
    return rows


def per_hub(lines, hubs, limit=HUBS_SHOWN) -> list[dict]:
    """Money per hub beside its latest outcomes (jobs, companies, people trained).

    ``hubs`` are in order (``_describe_hubs``); the split of the first ``limit``
    between EU, local public and State money is read for them alone.
    """
    columns = ("operation__hub_id", "operation__hub__name", "operation__hub__slug")
    rows = [{column: hub[column] for column in (*columns, "total")} for hub in hubs[:limit]]
    hub_ids = [row["operation__hub_id"] for row in rows]
    parts = {
        part["hub_id"]: part
        for part in lines.filter(hub_id__in=hub_ids)
        .values("hub_id")
        .annotate(
            **{
                f"{name}{suffix}": aggregate(filter=part & extra)
                for name, part in (("eu", EU), ("local", LOCAL), ("state", STATE))
                for suffix, aggregate, extra in (
                    ("", lambda **kw: Sum("effective_cents", **kw), Q()),
                    ("_lines", lambda **kw: Count("pk", **kw), Q()),
                    ("_unknown", lambda **kw: Count("pk", **kw), UNKNOWN),
                )
            }
        )
        .order_by()
    }
    latest: dict[int, HubIndicator] = {}
    indicators = HubIndicator.objects.using(lines.db).filter(hub_id__in=hub_ids)
    for indicator in indicators.order_by("hub_id", "year"):
        latest[indicator.hub_id] = indicator  # ordered by year: the last one wins
    for row, hub in zip(rows, hubs, strict=False):
        part = parts[row["operation__hub_id"]]
        row.update({key: value for key, value in part.items() if key != "hub_id"})
        row["lines"], row["unknown"] = hub["lines"], hub["unknown"]
        for key in ("total", "eu", "local", "state"):
            row[key] = _euros(row[key])
        row["indicator"] = latest.get(row["operation__hub_id"])
    return rows


def chart_data(categories, years) -> dict:
    """The figures the charts draw (the tables beside them hold the same)."""
    """The figures the charts draw (the tables beside them hold the same).

    A bar nothing is known of is left out, never drawn as 0: ``categoryLeftOut`` and
    ``yearLeftOut`` count them, for the note under each chart.
    """
    series = defaultdict(list)
    series["categoryLeftOut"] = series["yearLeftOut"] = 0
    for row in categories:
        if row["total"] is None:
            series["categoryLeftOut"] += 1
            continue
        series["categoryLabels"].append(capfirst(str(row["label"])))
        series["categoryTotals"].append(float(row["total"]))
    for row in years:
        if row["year"] is None:
            continue
        if row["total"] is None:
            series["yearLeftOut"] += 1
            continue
        series["yearLabels"].append(str(row["year"]))
        series["yearTotals"].append(float(row["total"]))
    return dict(series)


#: PostgreSQL's memory for each sort and hash table of the passes, for their transaction
#: only (SET LOCAL): at the default 4 MB the planner, which expects as many (funder, year)
#: groups as lines, sorts the lines on disk instead of hashing them (measured: bench/run.py).
WORK_MEM = "32MB"
#: And a cheaper start of parallel workers (defaults 1000 and 0.1), for that transaction
#: only: the per-hub and per-operation passes then split their scan and grouping
#: between workers (100,000 lines: 76 → 60 ms and 53 → 48 ms, bench/run.py). A worker
#: is only started where one is free (max_parallel_workers), else the pass runs alone.
PARALLEL_SETUP_COST = "100"
PARALLEL_TUPLE_COST = "0.01"


def tune_passes(cursor) -> None:
    """In the passes' transaction on PostgreSQL: their work_mem and parallel costs
    (SET LOCAL, gone at its end). The dashboard and bench/run.py's floor call it."""
    cursor.execute(
        "SELECT set_config('work_mem', %s, true),"
        " set_config('parallel_setup_cost', %s, true),"
        " set_config('parallel_tuple_cost', %s, true)",
        [WORK_MEM, PARALLEL_SETUP_COST, PARALLEL_TUPLE_COST],
    )


def dashboard(lines, level: str | None, planned_lines=None) -> dict:
    """The dashboard of ``lines`` (visible, filtered); ``planned_lines``, filtered
    alike, are listed apart."""
    connection = connections[lines.db]
    if connection.vendor != "postgresql":
        return _dashboard(lines, level, planned_lines)
    with transaction.atomic(using=lines.db):
        with connection.cursor() as cursor:
            tune_passes(cursor)
        return _dashboard(lines, level, planned_lines)


def direct_spending(funder_years, funders) -> list[dict]:
    """What public bodies spent for themselves (direct investment, acquisition), per
    funder and nature, from pass 1's rows: never added to co-financing."""
    natures = dict(FinancingLine.Nature.choices)
    groups = _roll_up(
        ((row["funder_id"], row["nature"]), row)
        for row in funder_years
        if row["nature"] not in FinancingLine.CO_FINANCING
    )
    rows = _table(groups, ("funder_id", "nature"))
    for row in rows:
        row["funder"] = funders[row["funder_id"]]
        row["nature_label"] = natures.get(row["nature"], row["nature"])
    return rows


#: The planned commitments listed (the largest first).
PLANNED_SHOWN = 20


def planned(lines) -> list[dict]:
    """Pass 4: the commitments announced but not decided yet, largest first, with
    their year; shown apart, never summed."""
    return [
        dict(row, effective=to_cent(row["effective"]))
        for row in lines.values(
            "pk",
            "effective",
            "year",
            "nature",
            "funder__name",
            "funder__short_name",
            "operation__title",
            "operation__hub__name",
            "operation__hub__slug",
        ).order_by(F("effective").desc(nulls_last=True), "operation__title", "pk")[:PLANNED_SHOWN]
    ]


#: The operations without any known funder listed.
UNFUNDED_SHOWN = 20


def _selected_hubs(data: dict):
    """The published hubs of the dashboard's selection (territory, hub, kinds)."""
    hubs = Hub.objects.published()
    if data.get("territory") is not None:
        hubs = hubs.in_territory(data["territory"])
    if data.get("hub"):
        hubs = hubs.filter(slug=data["hub"])
    if data.get("kind"):
        hubs = hubs.filter(kinds__in=data["kind"])
    return hubs


#: The targets listed on the dashboard.
TARGETS_SHOWN = 50


def targets_and_results(data: dict) -> list[dict]:
    """The targets of the selection's hubs (« 80 emplois en trois ans ») beside the
    latest result each hub declared: two queries."""
    targets = list(
        HubTarget.objects.filter(hub__in=_selected_hubs(data).values("pk"))
        .select_related("hub")
        .order_by("hub__name", "indicator", "horizon_year")[:TARGETS_SHOWN]
    )
    indicators = defaultdict(list)
    for row in HubIndicator.objects.filter(hub_id__in={t.hub_id for t in targets}):
        indicators[row.hub_id].append(row)
    return [progress(target, indicators[target.hub_id]) for target in targets]


#: Up to this many operations without lines, they are read by id (see below).
UNFUNDED_IDS = 2000


def unfunded_operations(data: dict) -> list[dict]:
    """Operations of published hubs with a plan but no financing line at all (the
    Calais running budget: 400,000 € a year, its funders never published), shown as
    such rather than hidden. ``data``: the dashboard filters' cleaned data; a filter
    on funders or statuses leaves none (they have no funder)."""
    if data.get("fund") or data.get("category") or data.get("status"):
        return []
    hubs = _selected_hubs(data)
    # First the operations without any line, by their ids alone: a merge of two
    # ordered indexes (7 ms for 33,000 operations and 100,000 lines, against 21 ms
    # for the join with the hubs' selection, which the planner hashes). They are
    # few; past UNFUNDED_IDS, the one query.
    has_lines = FinancingLine.objects.filter(operation=OuterRef("pk"))
    unfunded = FundedOperation.objects.order_by().filter(~Exists(has_lines))
    ids = list(unfunded.values_list("pk", flat=True)[: UNFUNDED_IDS + 1])
    if len(ids) > UNFUNDED_IDS:
        ids = unfunded.values("pk")
    operations = FundedOperation.objects.filter(hub__in=hubs.values("pk"), pk__in=ids)
    if data.get("year_from"):
        operations = operations.filter(start_date__year__gte=int(data["year_from"]))
    if data.get("year_to"):
        operations = operations.filter(start_date__year__lte=int(data["year_to"]))
    return list(
        operations.order_by(F("total_cost").desc(nulls_last=True), "title").values(
            "pk", "title", "purpose", "total_cost", "start_date", "hub__name", "hub__slug"
        )[:UNFUNDED_SHOWN]
    )


def _dashboard(lines, level: str | None, planned_lines=None) -> dict:
    using = lines.db
    every_nature = _per_funder_and_year(lines)
    funders = Funder.objects.using(using).in_bulk({row["funder_id"] for row in every_nature})
    direct = direct_spending(every_nature, funders)
    funder_years = [row for row in every_nature if row["nature"] in FinancingLine.CO_FINANCING]
    lines = lines.co_financing()
    hubs = _describe_hubs(_per_hub(lines), level, using)
    operations = largest_operations(lines, funders)
    categories = by_category(funder_years, funders)
    years = by_year(funder_years)
    return {
        "headline": headline(funder_years, funders, hubs, operations),
        "categories": categories,
        "funders": by_funder(funder_years, funders),
        "years": years,
        "kinds": by_kind(hubs),
        "territories": by_territory(hubs, level, using),
        "operations": [{k: v for k, v in row.items() if k != "operations"} for row in operations],
        "hubs": per_hub(lines, hubs),
        "charts": chart_data(categories, years),
        "direct": direct,
        "planned": planned(planned_lines) if planned_lines is not None else [],
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


def cached_dashboard(
    lines, level: str | None, key_parts: list[str], planned_lines=None, filters=None
) -> dict:
    """``dashboard(lines, level, planned_lines)`` and, with the filters' cleaned
    data, the operations without funders: computed once per data version,
    visibility and filters."""
    import hashlib

    from django.core.cache import cache
    from django.utils.translation import get_language

    # The result holds translated labels (funder categories): one entry per language.
    version = data_version()
    parts = [version, get_language() or "", *key_parts]
    # v3: unknown totals kept as None, co-financing apart (issue 19); v2: the lines of
    # published hubs only (issue 14). An entry made before is never read.
    key = "funding-dashboard:v3:" + hashlib.sha256("|".join(parts).encode()).hexdigest()
    result = cache.get(key)
    if result is None:
        result = dashboard(lines, level, planned_lines)
        result["unfunded"] = unfunded_operations(filters) if filters is not None else []
        result["targets"] = targets_and_results(filters) if filters is not None else []
        result["distance_km"] = (filters or {}).get("distance_km") or DEFAULT_KM
        cache.set(key, result, DASHBOARD_CACHE_SECONDS)
    if filters is None:
        return {**result, "coverage": []}
    # Cached on its own (funding.coverage: per hubs' version, not per line change).
    coverage = cached_coverage(
        filters.get("territory"),
        filters.get("kind") or (),
        filters.get("distance_km") or DEFAULT_KM,
        totals={row["code"]: row["total"] for row in result["territories"]},
        hubs_version="|".join(version.split("|")[-2:]),  # the hubs' count and newest change
    )
    return {**result, "coverage": coverage}
