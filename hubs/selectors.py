"""Reads of hubs shaped for pages and exports (bounded number of queries)."""

import hashlib
from collections import defaultdict

from django.db.models import Count, Max, Prefetch

from .models import Hub, HubKind


def public_hubs():
    return Hub.objects.published()


def for_listing(queryset):
    """What a list row shows: commune, département and kinds, in 2 queries."""
    return queryset.select_related("commune", "commune__departement").prefetch_related(
        Prefetch("kinds", queryset=HubKind.objects.order_by("position", "name"))
    )


def kinds_by_hub(queryset) -> dict[int, list[str]]:
    """``{hub_id: [kind slugs]}`` for a selection of hubs, in one query."""
    through = Hub.kinds.through
    pairs = (
        through.objects.filter(hub_id__in=queryset.order_by().values("pk"))
        .order_by("hubkind__position", "hubkind__name")
        .values_list("hub_id", "hubkind__slug")
    )
    result: dict[int, list[str]] = defaultdict(list)
    for hub_id, slug in pairs:
        result[hub_id].append(slug)
    return result


def vocabulary_version() -> str:
    """The kinds' slugs, names and colours, in short: the GeoJSON and CSV carry them."""
    rows = HubKind.objects.order_by("pk").values_list("pk", "slug", "name", "color")
    return hashlib.sha256(repr(list(rows)).encode()).hexdigest()[:12]


def freshness(queryset) -> tuple[int, object]:
    """How many hubs a selection has and when the newest changed (for ETags)."""
    stats = queryset.order_by().aggregate(count=Count("pk"), last=Max("updated_at"))
    return stats["count"], stats["last"]
