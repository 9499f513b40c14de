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
    return related_by_hub(queryset, "kinds")


def related_by_hub(queryset, relation: str, field: str = "slug") -> dict[int, list]:
    """``{hub_id: [field of each related row]}`` through a many-to-many ``relation``
    of a selection of hubs (kinds, equipment, audiences, labels), in one query and
    in the vocabulary's order. A subquery, not a list of ids: any selection size."""
    m2m = Hub._meta.get_field(relation)
    target = m2m.m2m_reverse_field_name()
    pairs = (
        m2m.remote_field.through.objects.filter(
            **{f"{m2m.m2m_field_name()}__in": queryset.order_by().values("pk")}
        )
        .order_by(f"{target}__position", f"{target}__name")
        .values_list(f"{m2m.m2m_field_name()}_id", f"{target}__{field}")
    )
    result: dict[int, list] = defaultdict(list)
    for hub_id, value in pairs:
        result[hub_id].append(value)
    return result


def vocabulary_version() -> str:
    """The kinds' slugs, names and colours, in short: the GeoJSON and CSV carry them."""
    rows = HubKind.objects.order_by("pk").values_list("pk", "slug", "name", "color")
    return hashlib.sha256(repr(list(rows)).encode()).hexdigest()[:12]


def freshness(queryset) -> tuple[int, object]:
    """How many hubs a selection has and when the newest changed (for ETags)."""
    stats = queryset.order_by().aggregate(count=Count("pk"), last=Max("updated_at"))
    return stats["count"], stats["last"]
