"""schema.org Event description, embedded in the event page as JSON-LD."""

from django.utils import timezone

from hubs.jsonld import prune

from .models import Event

EVENT_STATUS = {
    Event.Status.SCHEDULED: "https://schema.org/EventScheduled",
    Event.Status.FULL: "https://schema.org/EventScheduled",
    Event.Status.POSTPONED: "https://schema.org/EventPostponed",
    Event.Status.CANCELLED: "https://schema.org/EventCancelled",
}


def _moment(event, value):
    if event.all_day:
        return timezone.localdate(value).isoformat()
    return timezone.localtime(value).isoformat()


def _location(event, request) -> dict | None:
    """The place the public may see (``Event.place_*``), or None when there is none."""
    commune = event.place_commune
    point = event.place_point
    if not (commune or point or event.place_name):
        return None
    location = {
        "@type": "Place",
        "name": event.place_name or (commune.name if commune else None),
        "address": {
            "@type": "PostalAddress",
            "streetAddress": event.place_street or None,
            "postalCode": commune.main_postcode if commune else None,
            "addressLocality": commune.name if commune else None,
            "addressRegion": commune.departement.name if commune else None,
            "addressCountry": "FR",
        },
        "geo": {
            "@type": "GeoCoordinates",
            "latitude": round(point[0], 6),
            "longitude": round(point[1], 6),
        }
        if point
        else None,
    }
    hub = event.public_hub
    if hub and not event.commune_id:
        location["url"] = request.build_absolute_uri(hub.get_absolute_url())
    return location


def event_jsonld(event, request) -> dict:
    url = request.build_absolute_uri(event.get_absolute_url())
    hub = event.public_hub  # a hub not published is never named nor linked
    data = {
        "@context": "https://schema.org",
        "@type": "Event",
        "@id": url,
        "url": url,
        "name": event.title,
        "description": event.summary or event.description[:300] or None,
        "startDate": _moment(event, event.start),
        "endDate": _moment(event, event.end),
        "eventStatus": EVENT_STATUS[event.status],
        "eventAttendanceMode": "https://schema.org/OfflineEventAttendanceMode",
        "location": _location(event, request),
        "isAccessibleForFree": True if event.is_free else None,
        "audience": [
            {"@type": "Audience", "audienceType": audience.name}
            for audience in event.audiences.all()
        ]
        or None,
    }
    if hub:
        data["organizer"] = {
            "@type": "Organization",
            "name": event.organizer or hub.name,
            "url": request.build_absolute_uri(hub.get_absolute_url())
            if not event.organizer
            else None,
        }
    elif event.organizer:
        data["organizer"] = {"@type": "Organization", "name": event.organizer}
    if event.is_free or event.price is not None:
        data["offers"] = {
            "@type": "Offer",
            "price": "0" if event.is_free else f"{event.price:.2f}",
            "priceCurrency": "EUR",
            "url": event.registration_url or url,
            "availability": "https://schema.org/SoldOut"
            if event.status == Event.Status.FULL
            else "https://schema.org/InStock",
        }
    return prune(data)
