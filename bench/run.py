# ruff: noqa: S608 - the floors' SQL is built from fixed fragments; values are parameters.
"""Time the public pages and APIs on the current database, against their floors.

    python bench/generate.py && python bench/run.py          # SQLite bench/bench.sqlite3
    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/hubs_bench
    python bench/generate.py && python bench/run.py          # PostgreSQL

Options: --runs 15 (timed requests per URL, after one untimed warm-up request
that also counts the SQL queries), --only PATTERN (a regular expression: only
the URLs it matches), --analyze (run ANALYZE first; generate.py already does).

Every request goes through Django's test client in this process: the times are
server times (URL resolution, middleware, views, SQL, templates, serialisation),
without network, TLS or a WSGI server. The URLs are picked from the data present:

- ``/hubs/``: first page and page 200 (or the last page), then the same with
  filters (two kinds in the région of the Nord département), first and last page;
- the hub page of the published hub with the most financing lines;
- ``/api/v1/hubs.geojson``: everything, the bounding box of the Nord (59) computed
  from its communes, and ``near`` its most populous commune with a 30 km radius;
- ``/funding/``: everything, and the EPCI with the most hubs; « computed » forgets the
  dashboards before each request but keeps the coverage tables (their own cache, per
  hubs' version), « computed, coverage too » clears everything; the coverage is then
  timed on its own (France by région, the busiest région and département), computed
  and from its cache;
- ``/events/``, ``/api/v1/events.ics`` (rendered: Django's cache, where feeds are
  kept by ETag, is cleared before each request; then once more served from that
  cache) and ``/api/v1/hubs.csv``.

Table 1: p50 and p95 server time, SQL queries, payload raw and gzipped (level 6),
and bytes per feature for GeoJSON. The target column is the issue's
(« Fast at national scale »); the GeoJSON and /funding/ targets are stated for
PostgreSQL.

Table 2, floors: what the same answer costs without the framework.

- GeoJSON floor: ONE raw SQL query fetching the same rows (published hubs with
  the same bbox / distance filter, joined to their kinds, ordered
  like the endpoint), grouped into the same features in Python and serialised
  with ``json.dumps`` (same separators): the floor's bytes are compared with the
  endpoint's (``same bytes``: « yes », or « same data » when only a half-way
  number's last digit differs, rounded by the database one way and by Python's
  ``round()`` the other).
- /funding/ floor: the dashboard's three passes over the lines the public sees
  (granted and paid, of published hubs; for the EPCI, the lines of hubs in its communes), reading
  each line's effective amount (in cents), year and hub from the columns the database
  keeps (``funding`` migrations 0005 and 0008), and its lookups, in raw SQL: 1. sums and counts per (funder,
  year), 2. per hub, 3. the hubs with their sub-territory (région, or
  commune in the EPCI) and kinds, and the names of the 50 with most money, 4. the sub-territories' names, 5. the 10
  largest operations with hub and commune and the number of operations, 6. the
  EU / local / State split of the 50 hubs with the most money, 7. their
  indicators — then the same roll-ups in plain Python (per category, funder,
  year, kind, sub-territory; hubs ordered by total) and the result serialised
  with ``json.dumps``. Not in the floor: the filter form's vocabularies, Decimal
  rounding, NULL ordering, the HTML template.

The ratio is endpoint p50 / floor p50 (both measured here, same process, same
number of runs). Table 3: a conditional GET with the ETag the API returned must
answer 304; its time and queries.
"""

import argparse
import gzip
import json
import platform
import re
import sys
import time
from dataclasses import dataclass, field
from statistics import median

from common import analyze, configure, setup_django, time_get

configure("bench.sqlite3")

HTML_TARGET_MS = 100
GEOJSON_TARGET_MS = 150
GEOJSON_TARGET_BYTES = 200
FUNDING_TARGET_MS = 250
GEOJSON_FLOOR_RATIO = 1.5
FUNDING_FLOOR_RATIO = 2.0


@dataclass
class Case:
    url: str
    label: str = ""
    target_ms: float | None = None
    before: object = None
    floor: object = None  # () -> (bytes, seconds spent in SQL, rows)
    floor_target: float | None = None
    conditional: bool = False
    timing: object = field(default=None, repr=False)


# ---------------------------------------------------------------- floors
def _fetch(sql: str, params: list) -> tuple[list, float]:
    from django.db import connection

    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    return rows, time.perf_counter() - started


def _distance_sql(vendor: str) -> str:
    """Great-circle distance in km, as ``territories.geo.distance_km_expression`` writes it.

    Parameters: lat0 (radians), lng0 (radians), cos(lat0).
    """
    least = "LEAST" if vendor == "postgresql" else "MIN"
    return (
        f"(12742.0176 * ASIN({least}(SQRT("
        "POWER(SIN((RADIANS(h.latitude) - %s) * 0.5), 2) "
        "+ %s * COS(RADIANS(h.latitude)) * POWER(SIN((RADIANS(h.longitude) - %s) * 0.5), 2)"
        "), 1.0)))"
    )


def geojson_floor(bbox=None, near=None):
    """One raw query for the published hubs (in ``bbox``, or within ``near=(lat, lng, km)``),
    grouped into features and serialised with ``json.dumps``, like ``hubs.exports``."""
    import math

    from django.db import connection

    from territories.geo import bbox_around

    where, params, distance, order = ["h.publication = 'published'"], [], "NULL", "h.id"
    if near:
        lat, lng, km = near
        box = bbox_around(lat, lng, km)
        distance = _distance_sql(connection.vendor)
        params += [math.radians(lat), math.cos(math.radians(lat)), math.radians(lng)]
        bbox = (box.min_lng, box.min_lat, box.max_lng, box.max_lat)
        order = "h.distance, h.name"
    if bbox:
        where.append("h.latitude BETWEEN %s AND %s AND h.longitude BETWEEN %s AND %s")
        params += [bbox[1], bbox[3], bbox[0], bbox[2]]
    sql = f"""
        SELECT h.id, h.slug, h.name, h.latitude, h.longitude, k.slug, h.distance
        FROM (
            SELECT h.id, h.slug, h.name, h.latitude, h.longitude, {distance} AS distance
            FROM hubs_hub h WHERE {" AND ".join(where)}
        ) h
        LEFT JOIN hubs_hub_kinds hk ON hk.hub_id = h.id
        LEFT JOIN hubs_hubkind k ON k.id = hk.hubkind_id
        {"WHERE h.distance <= %s" if near else ""}
        ORDER BY {order}, h.id, k.position, k.name
    """
    if near:
        params.append(near[2])

    def run():
        rows, sql_seconds = _fetch(sql, params)
        features, last = [], None
        for pk, slug, name, lat, lng, kind, dist in rows:
            if pk != last:
                last = pk
                properties = {"slug": slug, "name": name, "kinds": []}
                if near:
                    properties["distance_km"] = round(dist, 2)
                features.append(
                    {
                        "type": "Feature",
                        "id": pk,
                        "geometry": {
                            "type": "Point",
                            "coordinates": [round(lng, 5), round(lat, 5)],
                        },
                        "properties": properties,
                    }
                )
            if kind is not None:
                properties["kinds"].append(kind)
        body = json.dumps(
            {"type": "FeatureCollection", "features": features},
            ensure_ascii=False,
            separators=(",", ":"),
        ).encode("utf-8")
        return body, sql_seconds, len(features)

    return run


def _same_features(floor: bytes, body: bytes) -> str:
    """« yes » for the same bytes; « same data » for the same features in the same
    order whose numbers differ by their last digit at most (a half-way coordinate
    rounded by the database one way, by Python's round() the other); else « NO »."""
    if floor == body:
        return "yes"
    expected, got = json.loads(floor)["features"], json.loads(body)["features"]
    if len(expected) != len(got):
        return "NO"
    for a, b in zip(expected, got, strict=True):
        pa, pb = a["properties"], b["properties"]
        if (a["id"], pa["slug"], pa["name"], pa["kinds"]) != (
            b["id"],
            pb["slug"],
            pb["name"],
            pb["kinds"],
        ):
            return "NO"
        coordinates = zip(a["geometry"]["coordinates"], b["geometry"]["coordinates"], strict=True)
        if any(abs(x - y) > 1.000001e-5 for x, y in coordinates):
            return "NO"
        if abs(pa.get("distance_km", 0) - pb.get("distance_km", 0)) > 0.0100001:
            return "NO"
    return "same data"


def _marks(values: list) -> str:
    return ", ".join(["%s"] * len(values))


def funding_floor(epci: str | None = None):
    """The funding dashboard's three passes and its lookups in raw SQL, the roll-ups in plain
    Python (see the docstring)."""
    from django.db import connection, transaction

    from funding.summaries import BY_ID, tune_passes

    # Like FinancingLineQuerySet.of_published_hubs: the money of published hubs (in the EPCI).
    published = (
        "SELECT h.id FROM hubs_hub h JOIN territories_commune c ON c.insee = h.commune_id "
        "WHERE h.publication = 'published' AND c.epci_id = %s"
        if epci
        else "SELECT h.id FROM hubs_hub h WHERE h.publication = 'published'"
    )
    params = [epci] if epci else []
    lines = f"""FROM funding_financingline l
        JOIN funding_funder f ON f.id = l.funder_id
        WHERE l.status IN ('granted', 'paid') AND l.hub_id IN ({published})"""
    unknown = "COUNT(*) FILTER (WHERE l.effective_cents IS NULL)"
    funder_years = f"""SELECT f.slug, f.name, f.short_name, f.category, l.year,
        SUM(l.effective_cents), COUNT(*), {unknown} {lines} GROUP BY 1, 2, 3, 4, 5"""
    hubs = (
        f"SELECT l.hub_id, SUM(l.effective_cents) AS total, COUNT(*), {unknown} {lines} GROUP BY 1"
    )
    key = "h.commune_id" if epci else "d.region_id"
    details = """SELECT h.id, {key}, k.slug, k.name FROM hubs_hub h
        JOIN territories_commune c ON c.insee = h.commune_id
        JOIN territories_departement d ON d.code = c.departement_id
        LEFT JOIN hubs_hub_kinds hk ON hk.hub_id = h.id
        LEFT JOIN hubs_hubkind k ON k.id = hk.hubkind_id {where}"""
    details = details.replace("{key}", key)
    hub_names = "SELECT id, name, slug FROM hubs_hub WHERE id IN ({ids}) ORDER BY name, id"
    names = (
        "SELECT insee, name FROM territories_commune WHERE epci_id = %s"
        if epci
        else "SELECT code, name FROM territories_region"
    )
    operations = f"""SELECT t.*, h.name, h.slug, c.name FROM (
            SELECT g.*, o.title, o.total_cost, o.hub_id FROM (
                SELECT l.operation_id, SUM(l.effective_cents) AS funded,
                SUM(l.effective_cents) FILTER (WHERE f.category = 'eu_fund'), {unknown},
                COUNT(*) OVER () {lines} GROUP BY 1
            ) g JOIN funding_fundedoperation o ON o.id = g.operation_id
            ORDER BY g.funded DESC NULLS LAST, o.title LIMIT 10
        ) t JOIN hubs_hub h ON h.id = t.hub_id JOIN territories_commune c ON c.insee = h.commune_id"""
    parts = f"""SELECT l.hub_id,
        SUM(l.effective_cents) FILTER (WHERE f.category = 'eu_fund'),
        SUM(l.effective_cents) FILTER (WHERE f.category IN ('region', 'departement', 'epci', 'commune')),
        SUM(l.effective_cents) FILTER (WHERE f.category = 'state') {lines} AND l.hub_id IN ({{ids}})
        GROUP BY 1"""
    indicators = """SELECT hub_id, year, jobs, companies_hosted, people_trained
        FROM hubs_hubindicator WHERE hub_id IN ({ids}) ORDER BY hub_id, year"""

    def add(group, total, lines_, unknown_):
        if total is not None:
            group[0] = total if group[0] is None else group[0] + total
        group[1] += lines_
        group[2] += unknown_

    def run():
        # Like the endpoint: one transaction, with its work_mem and parallel costs on PostgreSQL.
        with transaction.atomic():
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    tune_passes(cursor)
            return compute()

    def compute():
        result, sql_seconds, rows_count = {}, 0.0, 0

        def fetch(sql, values):
            nonlocal sql_seconds, rows_count
            rows, seconds = _fetch(sql, values)
            sql_seconds += seconds
            rows_count += len(rows)
            return rows

        by = {name: {} for name in ("category", "funder", "year")}
        for slug, name, short, category, line_year, total, n, unknown_n in fetch(
            funder_years, params
        ):
            for table, k in (("category", category), ("funder", (slug, name, short, category))):
                add(by[table].setdefault(k, [None, 0, 0]), total, n, unknown_n)
            add(by["year"].setdefault(line_year, [None, 0, 0]), total, n, unknown_n)
        per_hub = {row[0]: row for row in fetch(hubs, params)}
        kinds, places = {}, {}
        few = len(per_hub) <= BY_ID  # like the endpoint: a territory's hubs by id, else all
        ids = list(per_hub) if few and per_hub else []
        where = f"WHERE h.id IN ({_marks(ids)})" if ids else ""
        for hub_id, place, kind, kind_name in fetch(details.format(where=where), ids):
            if hub_id in per_hub:
                places[hub_id] = place
                kinds.setdefault(hub_id, []).append((kind, kind_name))
        # Like the endpoint: names for the 50 hubs shown (ties at the cut aside).
        top = sorted(per_hub, key=lambda hub_id: per_hub[hub_id][1] or 0, reverse=True)[:50]
        ordered = fetch(hub_names.format(ids=_marks(top or [0])), top or [0])
        ordered.sort(key=lambda hub: per_hub[hub[0]][1] or 0, reverse=True)
        by["kind"], by["territory"] = {}, {}
        for hub_id, (_, total, n, unknown_n) in per_hub.items():
            add(by["territory"].setdefault(places[hub_id], [None, 0, 0]), total, n, unknown_n)
            for kind in kinds[hub_id]:
                add(by["kind"].setdefault(kind, [None, 0, 0]), total, n, unknown_n)
        for table, groups in by.items():
            result[table] = sorted(
                ([str(k), *v] for k, v in groups.items()), key=lambda r: r[1] or 0, reverse=True
            )
        result["names"] = fetch(names, params)
        result["operations"] = fetch(operations, params)
        top = [hub_id for hub_id, *_ in ordered[:50]] or [0]
        result["hubs"] = [[*hub, *per_hub[hub[0]][1:]] for hub in ordered[:50]]
        result["hub_parts"] = fetch(parts.format(ids=_marks(top)), [*params, *top])
        result["indicators"] = fetch(indicators.format(ids=_marks(top)), top)
        body = json.dumps(result, ensure_ascii=False, default=str).encode("utf-8")
        return body, sql_seconds, rows_count

    return run


def time_floor(run, runs: int) -> dict:
    run()  # warm-up
    totals, sqls = [], []
    for _ in range(runs):
        started = time.perf_counter()
        body, sql_seconds, rows = run()
        totals.append((time.perf_counter() - started) * 1000)
        sqls.append(sql_seconds * 1000)
    return {"p50": median(totals), "sql": median(sqls), "body": body, "rows": rows}


# ---------------------------------------------------------------- what is measured
def describe_database() -> list[str]:
    import django
    from django.db import connection
    from django.db.models import Q
    from django.utils import timezone

    from events.models import Event
    from funding.models import FinancingLine, FundedOperation, Funder
    from hubs.models import Hub
    from territories.models import Commune

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SHOW server_version")
            version = f"PostgreSQL {cursor.fetchone()[0]}"
    else:
        version = f"SQLite {connection.Database.sqlite_version}"
    name = connection.settings_dict["NAME"]
    hubs = Hub.objects.count()
    published = Hub.objects.published().count()
    lines = FinancingLine.objects.count()
    public = FinancingLine.objects.filter(status__in=FinancingLine.PUBLIC_STATUSES).count()
    unknown = FinancingLine.objects.filter(
        Q(amount=None) & (Q(share=None) | Q(operation__total_cost=None))
    ).count()
    events = Event.objects.count()
    public_events = Event.objects.published()
    upcoming = public_events.filter(end__gte=timezone.now()).count()
    return [
        f"database: {version} ({name}); Django {django.get_version()}, "
        f"Python {platform.python_version()}, {platform.machine()}",
        f"rows: {Commune.objects.count()} communes, {hubs} hubs ({published} published, "
        f"{Hub.kinds.through.objects.count()} hub-kind links), "
        f"{FundedOperation.objects.count()} operations, {lines} financing lines "
        f"({public} public, {unknown} without a known amount) from {Funder.objects.count()} "
        "funders, "
        f"{events} events ({public_events.count()} published, {upcoming} not over)",
    ]


def forget_dashboards():
    """Forget the computed dashboards, keep the coverage tables (their own cache).

    The local-memory cache (the default of a run) is read directly: its keys are
    hashed, there is no other way to drop one family of them. Any other backend is
    cleared whole, the coverage with it.
    """
    from django.core.cache import cache

    store = getattr(cache, "_cache", None)
    if store is None:
        cache.clear()
        return
    for key in [key for key in store if "funding-dashboard" in key]:
        cache.delete(key.split(":", 2)[2])


def time_coverage(runs: int) -> list[list]:
    """The coverage table computed (no cache): France by région, a région by
    département, a département by EPCI; and from its cache."""
    from common import Timing
    from django.db.models import Count

    from funding.coverage import cached_coverage, coverage
    from hubs.models import Hub
    from territories.lookup import resolve_territory

    busiest = (
        Hub.objects.published()
        .values("commune__departement_id", "commune__departement__region_id")
        .annotate(n=Count("pk"))
        .order_by("-n")
        .first()
    )
    selections = [
        ("France (régions)", None),
        (f"region:{busiest['commune__departement__region_id']}", None),
        (f"dep:{busiest['commune__departement_id']}", None),
    ]
    rows = []
    for label, _ in selections:
        territory = None if label.startswith("France") else resolve_territory(label)
        timings = []
        for _ in range(runs):
            started = time.perf_counter()
            result = coverage(territory)
            timings.append((time.perf_counter() - started) * 1000)
        cached_coverage(territory)  # fills its cache
        cached = []
        for _ in range(runs):
            started = time.perf_counter()
            cached_coverage(territory)
            cached.append((time.perf_counter() - started) * 1000)
        computed, from_cache = Timing(label, timings, 0, None), Timing(label, cached, 0, None)
        rows.append(
            [
                label,
                len(result),
                f"{computed.p50:.1f}",
                f"{computed.p95:.1f}",
                f"{from_cache.p50:.1f}",
            ]
        )
    return rows


def pick_cases() -> list[Case]:
    from django.conf import settings
    from django.core.cache import cache
    from django.db.models import Count, Max, Min

    from funding.models import FinancingLine
    from hubs.models import Hub
    from territories.models import Commune, Departement

    nord = Departement.objects.get(code="59")
    box = Commune.objects.filter(departement=nord).aggregate(
        min_lat=Min("latitude"), max_lat=Max("latitude"), min_lng=Min("longitude"),
        max_lng=Max("longitude"),
    )  # fmt: skip
    bbox = (
        round(box["min_lng"] - 0.005, 3),
        round(box["min_lat"] - 0.005, 3),
        round(box["max_lng"] + 0.005, 3),
        round(box["max_lat"] + 0.005, 3),
    )
    city = Commune.objects.filter(departement=nord).order_by("-population").first()
    near = (city.latitude, city.longitude, 30)
    published = Hub.objects.published()
    per_page = settings.HUBS_PER_PAGE
    deep = max(1, min(200, -(-published.count() // per_page)))
    region = nord.region_id
    filters = f"kind=coworking&kind=fablab&territory=region:{region}"
    filtered = (
        published.filter(commune__departement__region_id=region)
        .filter(kinds__slug__in=["coworking", "fablab"])
        .distinct()
        .count()
    )
    filtered_last = max(1, -(-filtered // per_page))
    hub = (
        FinancingLine.objects.filter(operation__hub__publication="published")
        .values("operation__hub__slug")
        .annotate(n=Count("pk"))
        .order_by("-n", "operation__hub__slug")
        .values_list("operation__hub__slug", flat=True)
        .first()
    ) or published.values_list("slug", flat=True).first()
    epci = (
        published.exclude(commune__epci=None)
        .values("commune__epci_id")
        .annotate(n=Count("pk"))
        .order_by("-n")
        .values_list("commune__epci_id", flat=True)
        .first()
    )
    b = ",".join(str(x) for x in bbox)
    return [
        Case("/", target_ms=HTML_TARGET_MS),
        Case("/hubs/", target_ms=HTML_TARGET_MS),
        Case(f"/hubs/?page={deep}", target_ms=HTML_TARGET_MS),
        Case(f"/hubs/?{filters}", target_ms=HTML_TARGET_MS),
        Case(f"/hubs/?{filters}&page={filtered_last}", target_ms=HTML_TARGET_MS),
        Case(f"/hubs/{hub}/", target_ms=HTML_TARGET_MS),
        Case(
            "/api/v1/hubs.geojson",
            label="/api/v1/hubs.geojson (rendered)",
            before=cache.clear,
            target_ms=GEOJSON_TARGET_MS,
            floor=geojson_floor(),
            floor_target=GEOJSON_FLOOR_RATIO,
        ),
        Case(
            "/api/v1/hubs.geojson",
            label="/api/v1/hubs.geojson (from cache)",
            target_ms=GEOJSON_TARGET_MS,
            conditional=True,
        ),
        Case(
            f"/api/v1/hubs.geojson?bbox={b}",
            label="/api/v1/hubs.geojson?bbox=<dep 59>",
            target_ms=GEOJSON_TARGET_MS,
            floor=geojson_floor(bbox=bbox),
            floor_target=GEOJSON_FLOOR_RATIO,
            conditional=True,
        ),
        Case(
            f"/api/v1/hubs.geojson?near={near[0]},{near[1]}&radius_km={near[2]}",
            label=f"/api/v1/hubs.geojson?near=<{city.name}>&radius_km={near[2]}",
            target_ms=GEOJSON_TARGET_MS,
            floor=geojson_floor(near=near),
            floor_target=GEOJSON_FLOOR_RATIO,
            conditional=True,
        ),
        # « computed »: the dashboard's passes, with the coverage table in its own cache
        # (funding.coverage: kept per hubs' version); the coverage is timed below.
        Case(
            "/funding/",
            label="/funding/ (computed)",
            before=forget_dashboards,
            target_ms=FUNDING_TARGET_MS,
            floor=funding_floor(),
            floor_target=FUNDING_FLOOR_RATIO,
        ),
        Case("/funding/", label="/funding/ (computed, coverage too)", before=cache.clear),
        Case("/funding/", label="/funding/ (from cache)", target_ms=FUNDING_TARGET_MS),
        Case(
            f"/funding/?territory=epci:{epci}",
            label=f"/funding/?territory=epci:{epci} (computed)",
            before=forget_dashboards,
            target_ms=FUNDING_TARGET_MS,
            floor=funding_floor(epci),
            floor_target=FUNDING_FLOOR_RATIO,
        ),
        Case(
            f"/funding/?territory=epci:{epci}",
            label=f"/funding/?territory=epci:{epci} (from cache)",
            target_ms=FUNDING_TARGET_MS,
        ),
        Case("/events/", target_ms=HTML_TARGET_MS),
        Case(
            "/api/v1/events.ics",
            label="/api/v1/events.ics (rendered)",
            before=cache.clear,
            conditional=True,
        ),
        Case("/api/v1/events.ics", label="/api/v1/events.ics (from cache)"),
        Case("/api/v1/hubs.csv", conditional=True),
    ]


# ---------------------------------------------------------------- printing
def table(headers: list[str], rows: list[list], left: int = 1) -> None:
    widths = [max(len(str(x)) for x in column) for column in zip(headers, *rows, strict=True)]

    def line(cells):
        return "  ".join(
            str(c).ljust(w) if i < left else str(c).rjust(w)
            for i, (c, w) in enumerate(zip(cells, widths, strict=True))
        ).rstrip()

    print(line(headers))
    print("  ".join("-" * w for w in widths))
    for row in rows:
        print(line(row))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--only", metavar="PATTERN", help="regular expression on the URLs")
    parser.add_argument("--analyze", action="store_true", help="run ANALYZE first")
    args = parser.parse_args()
    setup_django()
    from django.test import Client

    from hubs.models import Hub

    if not Hub.objects.published().exists():
        sys.exit("No published hub: run bench/generate.py on this database first.")
    if args.analyze:
        analyze()
    for text in describe_database():
        print(text)
    cases = pick_cases()
    if args.only:
        cases = [c for c in cases if re.search(args.only, c.url) or re.search(args.only, c.label)]
    print(
        f"{args.runs} timed requests per URL after a warm-up (test client, in-process); "
        "gzip level 6; ✗ = over target\n"
    )
    client = Client()
    rows = []
    for case in cases:
        case.timing = timing = time_get(client, case.url, args.runs, before=case.before)
        body = timing.response.content
        per_feature = ""
        if "geojson" in case.url:
            features = len(json.loads(body)["features"])
            per_feature = f"{len(body) / features:.0f}" if features else "-"
            if features and len(body) / features > GEOJSON_TARGET_BYTES:
                per_feature += " ✗"
        target = ""
        if case.target_ms:
            target = f"≤ {case.target_ms}" + (" ✗" if timing.p50 > case.target_ms else "")
        rows.append(
            [
                case.label or case.url,
                f"{timing.p50:.1f}",
                f"{timing.p95:.1f}",
                timing.queries,
                f"{len(body) / 1024:.1f}",
                f"{len(gzip.compress(body, compresslevel=6)) / 1024:.1f}",
                per_feature,
                target,
            ]
        )
    table(
        ["URL", "p50 ms", "p95 ms", "queries", "raw KiB", "gzip KiB", "B/feature", "target"], rows
    )

    floor_rows = []
    for case in cases:
        if not case.floor:
            continue
        floor = time_floor(case.floor, args.runs)
        ratio = case.timing.p50 / floor["p50"]
        same = ""
        if "geojson" in case.url:
            same = _same_features(floor["body"], case.timing.response.content)
        floor_rows.append(
            [
                case.label or case.url,
                f"{case.timing.p50:.1f}",
                f"{floor['p50']:.1f}",
                f"{floor['sql']:.1f}",
                f"{floor['p50'] - floor['sql']:.1f}",
                floor["rows"],
                f"{ratio:.2f}",
                f"≤ {case.floor_target}" + (" ✗" if ratio > case.floor_target else ""),
                same,
            ]
        )
    if floor_rows:
        print("\nFloors: the same rows by raw SQL, serialised with json.dumps (see docstring)")
        table(
            [
                "URL",
                "endpoint p50",
                "floor p50",
                "of which SQL",
                "python+json",
                "rows",
                "ratio",
                "target",
                "same bytes",
            ],
            floor_rows,
        )

    if not args.only or re.search(args.only, "coverage"):
        print("\nCoverage (funding.coverage), 10 km from any hub: computed, and from its cache")
        table(
            ["selection", "rows", "computed p50 ms", "computed p95 ms", "cached p50 ms"],
            time_coverage(args.runs),
        )

    conditional_rows = []
    for case in cases:
        if not case.conditional:
            continue
        etag = case.timing.response.headers.get("ETag")
        if not etag:
            conditional_rows.append([case.label or case.url, "no ETag", "", "", ""])
            continue
        timing = time_get(client, case.url, args.runs, status=304, headers={"If-None-Match": etag})
        conditional_rows.append(
            [
                case.label or case.url,
                timing.response.status_code,
                f"{timing.p50:.1f}",
                f"{timing.p95:.1f}",
                timing.queries,
            ]
        )
    if conditional_rows:
        print("\nConditional GET with the returned ETag (If-None-Match): must answer 304")
        table(["URL", "status", "p50 ms", "p95 ms", "queries"], conditional_rows)


if __name__ == "__main__":
    main()
