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


def webcal_url(url: str) -> str:
    """``https://host/path.ics?q`` as ``webcal://host/path.ics?q``: the scheme calendar
    apps (Apple Calendar, Outlook, Thunderbird) open as a subscription, not a download."""
    return "webcal://" + url.split("://", 1)[1]


@register.inclusion_tag("events/_subscribe.html", takes_context=True)
def calendar_subscription(context, feed_path, *, query="", title="", prefix="agenda", geojson=""):
    """« S'abonner » to the iCalendar feed at ``feed_path`` (with ``query``): a
    ``webcal://`` link, its address to copy, and a one-time download.

    The address to paste is the feed's absolute http(s) URL: Google Agenda, Outlook
    and Apple Calendar all take it, and it also opens in a browser.
    """
    path = f"{feed_path}?{query}" if query else feed_path
    url = context["request"].build_absolute_uri(path)
    return {
        "title": title,
        "prefix": prefix,
        "feed_url": url,
        "webcal_url": webcal_url(url),
        "download_path": path,
        "geojson_path": f"{geojson}?{query}" if geojson and query else geojson,
    }


@register.inclusion_tag("events/_hub_events.html", takes_context=True)
def hub_upcoming_events(context, hub):
    """The next events of a hub and its feed, for the hub page (one query)."""
    events = list(
        selectors.for_display(selectors.public_events().filter(hub=hub).upcoming())[
            : HUB_PAGE_EVENTS + 1
        ]
    )
    return {
        "request": context["request"],
        "hub": hub,
        "events": events[:HUB_PAGE_EVENTS],
        "has_more": len(events) > HUB_PAGE_EVENTS,
        "feed_url": reverse("hub-events-ics", kwargs={"slug": hub.slug}),
        "agenda_url": reverse("events:agenda") + f"?hub={hub.slug}",
    }
