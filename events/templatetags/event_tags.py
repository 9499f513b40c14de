from django import template
from django.urls import reverse
from django.utils import dateformat

from events import dates, selectors
from events.conf import HUB_PAGE_EVENTS

register = template.Library()


@register.filter
def event_when(event) -> str:
    """« mardi 21 juillet 2026, 18 h – 20 h »."""
    return dates.when_label(event.start, event.end, event.all_day)


@register.filter
def event_hours(event) -> str:
    """« 18 h – 20 h » under a day heading."""
    return dates.hours_label(event.start, event.end, event.all_day)


@register.filter
def price(value) -> str:
    return dates.price_label(value) if value is not None else ""


@register.filter
def month_label(day) -> str:
    """« décembre 2026 »."""
    return dateformat.format(day, "F Y")


@register.inclusion_tag("events/_hub_events.html")
def hub_upcoming_events(hub):
    """The next events of a hub and its feed, for the hub page (one query)."""
    events = list(
        selectors.for_display(selectors.public_events().filter(hub=hub).upcoming())[
            : HUB_PAGE_EVENTS + 1
        ]
    )
    return {
        "hub": hub,
        "events": events[:HUB_PAGE_EVENTS],
        "has_more": len(events) > HUB_PAGE_EVENTS,
        "feed_url": reverse("hub-events-ics", kwargs={"slug": hub.slug}),
        "agenda_url": reverse("events:agenda") + f"?hub={hub.slug}",
    }
