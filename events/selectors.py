"""Reads of events shaped for pages and feeds (a bounded number of queries)."""

from django.core.paginator import Page, Paginator
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


#: Long texts an agenda card does not show: left in the database, the sort of the
#: upcoming events (thousands of rows at national scale) carries short rows.
CARD_DEFERRED = (
    "description",
    "accessibility",
    "search_text",
    "sources",
    "hub__description",
    "hub__opening_hours",
    "hub__search_text",
    "hub__sources",
)


def for_cards(queryset):
    """What an agenda card shows (``events/_card.html``): ``for_display`` without the long texts."""
    return for_display(queryset).defer(*CARD_DEFERRED)


def page_of_cards(queryset, number, per_page: int) -> Page:
    """Page ``number`` of ``queryset`` (ordered) for agenda cards, in two short queries.

    The ids are paginated first: sorting thousands of upcoming events by date is
    done on their narrow index entries, not on wide rows joined to their hub and
    commune (at national scale, 1 ms instead of 45 on SQLite). Then the page's own
    rows, in the same order, with their annotations (the distance of ``near``).
    """
    page = Paginator(queryset.values_list("pk", flat=True), per_page).get_page(number)
    ids = list(page.object_list)
    rows = {event.pk: event for event in for_cards(queryset.filter(pk__in=ids))}
    page.object_list = [rows[pk] for pk in ids]
    return page


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
