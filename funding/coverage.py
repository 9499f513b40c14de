"""Coverage and money per inhabitant (issue 19, item 6), from the INSEE populations
of the communes already loaded.

For each sub-territory of the dashboard's selection (régions of France, the
départements of a région, the EPCI of a département, the communes of an EPCI):
its population, its published hubs (of the kinds asked, if any) per 10,000
inhabitants, the co-financing known per inhabitant, and the share of its
population living more than ``km`` kilometres from such a hub.

« Living far » is decided per commune, from its reference point to the nearest
hub, in SQL: a bounding box first (latitude ± km / 111.32, longitude ± the same
over the cosine of the latitude, on the hubs' latitude/longitude index), then the
equirectangular distance, exact enough at these distances (less than 0.1 % off
at 30 km). One query groups the communes with their populations, points and
« far » populations; one counts the hubs. Cached with the dashboard's figures
(per data version and filters).
"""

from decimal import ROUND_HALF_UP, Decimal

from django.db.models import (
    Case,
    Count,
    Exists,
    ExpressionWrapper,
    F,
    FloatField,
    Max,
    OuterRef,
    Q,
    Sum,
    When,
)
from django.db.models.functions import Cos, Radians

from hubs.models import Hub
from territories.levels import below, commune_path
from territories.models import Commune

from .money import to_cent

KM_PER_DEGREE = 111.32
DEFAULT_KM = 10
#: The distances offered in the URL (``distance_km``).
DISTANCES = (5, 10, 20, 30)

# The level below the selected one: its key on a commune and its model.


def near_a_hub(hubs, km: float):
    """``Exists``: a hub of ``hubs`` within ``km`` of the outer commune's point."""
    degrees = km / KM_PER_DEGREE
    # The outer commune's point, typed (an OuterRef has no type of its own to compute with).
    latitude = ExpressionWrapper(OuterRef("latitude"), output_field=FloatField())
    longitude = ExpressionWrapper(OuterRef("longitude"), output_field=FloatField())
    cosine = Cos(Radians(latitude))
    dy = (F("latitude") - latitude) * KM_PER_DEGREE
    dx = (F("longitude") - longitude) * KM_PER_DEGREE * cosine
    candidates = hubs.filter(
        latitude__gte=latitude - degrees,
        latitude__lte=latitude + degrees,
        longitude__gte=longitude - degrees / cosine,
        longitude__lte=longitude + degrees / cosine,
    )
    return Exists(
        candidates.alias(d2=dx * dx + dy * dy).filter(d2__lte=km * km).order_by().values("pk")
    )


#: How long a coverage table is kept at most (a hub's change makes a new key at once).
COVERAGE_CACHE_SECONDS = 3600


def cached_coverage(
    territory, kinds=(), km: float = DEFAULT_KM, totals=None, hubs_version=None
) -> list[dict]:
    """``coverage``, computed once per hubs' version (``hubs_version``: their count and
    newest change, read here unless given), territory, kinds and distance; the money
    per inhabitant is added to the cached rows (it changes with the lines)."""
    import hashlib

    from django.core.cache import cache

    if hubs_version is None:
        version = Hub.objects.aggregate(count=Count("pk"), newest=Max("updated_at"))
        hubs_version = f"{version['count']}|{version['newest']}"
    parts = [
        hubs_version,
        territory.code if territory is not None else "france",
        ",".join(sorted(kind.slug for kind in kinds)),
        str(km),
    ]
    key = "funding-coverage:v1:" + hashlib.sha256("|".join(parts).encode()).hexdigest()
    rows = cache.get(key)
    if rows is None:
        rows = coverage(territory, kinds, km)
        cache.set(key, rows, COVERAGE_CACHE_SECONDS)
    return with_money(rows, totals or {})


def with_money(rows, totals: dict) -> list[dict]:
    """``rows`` with the known co-financing of each territory and per inhabitant."""
    result = []
    for row in rows:
        money = totals.get(row["code"])
        result.append(
            {
                **row,
                "money": money,
                "euros_per_inhabitant": to_cent(Decimal(money) / row["population"])
                if money is not None
                else None,
            }
        )
    return result


def coverage(territory, kinds=(), km: float = DEFAULT_KM) -> list[dict]:
    """One row per sub-territory of ``territory`` (a TerritoryRef, or None for
    France): name, code, population, hubs, hubs per 10,000 inhabitants, the
    population living more than ``km`` from a hub and its share, and the
    population-weighted point of the sub-territory (for the map). The money per
    inhabitant is added by ``with_money``: it changes with the lines, not with the hubs."""
    level, model = below(territory.level if territory else None)
    key = commune_path(level)
    communes = Commune.objects.filter(population__gt=0)
    if territory is not None:
        communes = communes.filter(**{commune_path(territory.level): territory.obj.pk})
    hubs = Hub.objects.published()
    if kinds:
        hubs = hubs.filter(kinds__in=kinds)
    located = Q(latitude__isnull=False, longitude__isnull=False)
    rows = list(
        communes.values(key)
        .annotate(
            inhabitants=Sum("population"),
            far=Sum(
                Case(
                    When(located & ~near_a_hub(hubs, km), then=F("population")),
                    default=0,
                )
            ),
            weighted_lat=Sum(F("latitude") * F("population"), output_field=FloatField()),
            weighted_lng=Sum(F("longitude") * F("population"), output_field=FloatField()),
            located_population=Sum("population", filter=located),
        )
        .order_by()
    )
    hub_counts = dict(
        hubs.filter(commune__in=communes.values("pk"))
        .values_list(commune_path(level, "commune"))
        .annotate(count=Count("pk", distinct=True))
        .order_by()
    )
    names = model.objects.in_bulk([row[key] for row in rows if row[key]])
    result = []
    for row in rows:
        territory_obj = names.get(row[key])
        if territory_obj is None:
            continue
        population, located_population = row["inhabitants"], row["located_population"] or 0
        hubs_here = hub_counts.get(row[key], 0)
        result.append(
            {
                "name": str(territory_obj),
                "code": territory_obj.filter_code,
                "level": level,
                "population": population,
                "hubs": hubs_here,
                "hubs_per_10k": (Decimal(hubs_here * 10_000) / population).quantize(
                    Decimal("0.01"), rounding=ROUND_HALF_UP
                ),
                "far": row["far"],
                "far_share": (Decimal(100 * row["far"]) / population).quantize(
                    Decimal("0.1"), rounding=ROUND_HALF_UP
                ),
                "latitude": row["weighted_lat"] / located_population
                if located_population
                else None,
                "longitude": row["weighted_lng"] / located_population
                if located_population
                else None,
            }
        )
    result.sort(key=lambda row: -row["population"])
    return result
