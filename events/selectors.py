"""Reads of events shaped for pages and feeds (a bounded number of queries)."""

from django.db.models import Count, Max
from django.db.models.functions import Greatest

from .models import Event


def public_events():
    return Event.objects.published()


def for_display(queryset):
    """What a card, a page or a feed shows: the place, its commune and département."""
    return queryset.select_related(
        "hub",
        "hub__commune",
        "hub__commune__departement",
        "commune",
        "commune__departement",
    )


def freshness(queryset) -> tuple[int, object]:
    """How many events a selection has and when the newest (or its hub) changed.

    The hub counts: an event at a hub shows the hub's name and position.
    """
    stats = queryset.order_by().aggregate(
        count=Count("pk"),
        last=Max(Greatest("updated_at", "hub__updated_at")),
        last_own=Max("updated_at"),
    )
    # Greatest() is NULL on PostgreSQL-less backends when one side is NULL (no hub).
    last = max((value for value in (stats["last"], stats["last_own"]) if value), default=None)
    return stats["count"], last
