"""Reads of events shaped for pages and feeds (a bounded number of queries)."""

from django.core.paginator import Page, Paginator
from django.db.models import Count, Max
from django.db.models.functions import Greatest
from django.utils import timezone

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


def next_session(event, now=None):
    """The next session of ``event``: the soonest published event to come, open for
    registration (scheduled), with the same title at the same hub (or, without a
    hub, in the same commune). ``None`` when there is none. One query."""
    same = public_events().filter(title=event.title, hub_id=event.hub_id)
    if not event.hub_id:
        same = same.filter(commune_id=event.commune_id)
    return (
        same.upcoming(now)
        .filter(start__gt=event.start, status=Event.Status.SCHEDULED)
        .exclude(pk=event.pk)
        .only("slug", "title", "start", "end", "all_day")
        .first()
    )


def first_month_with_events(queryset, today, months: int):
    """The month (its 1st) to open the month view on: today's if an event of
    ``queryset`` is still to come in it, else the month of the next event to come,
    unless that is more than ``months`` months away (then today's). One query."""
    this_month = today.replace(day=1)
    following = queryset.upcoming().values_list("start", flat=True).first()
    if following is None:
        return this_month
    month = max(timezone.localdate(following).replace(day=1), this_month)
    index = (month.year - this_month.year) * 12 + month.month - this_month.month
    return month if index <= months else this_month


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
