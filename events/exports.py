"""GeoJSON (RFC 7946) of a selection of events, for the home map's events layer."""

import json

from django.urls import reverse

from .models import Event
from .querysets import PLACE_LAT, PLACE_LNG, of_public_hub


def geojson_bytes(queryset) -> bytes:
    """A FeatureCollection of points ([longitude, latitude]), compact properties.

    An event without a place the public may see (at a hub not published, without a
    venue of its own) has no point: it is left out of the map.
    """
    rows = (
        queryset.with_place()
        .filter(**{f"{PLACE_LAT}__isnull": False})
        .annotate(hub_commune=of_public_hub("commune__name"))
        .values_list(
            "pk",
            "slug",
            "title",
            "start",
            "end",
            "all_day",
            "kind",
            "status",
            "commune__name",
            "hub_commune",
            PLACE_LAT,
            PLACE_LNG,
        )
    )
    kind_labels = {value: str(label) for value, label in Event.Kind.choices}
    path = reverse("events:detail", kwargs={"slug": "SLUG"})
    features = []
    for pk, slug, title, start, end, all_day, kind, status, own, at_hub, lat, lng in rows:
        features.append(
            {
                "type": "Feature",
                "id": pk,
                "geometry": {"type": "Point", "coordinates": [round(lng, 6), round(lat, 6)]},
                "properties": {
                    "id": pk,
                    "slug": slug,
                    "title": title,
                    "start": start.isoformat(),
                    "end": end.isoformat(),
                    "all_day": all_day,
                    "kind": kind,
                    "kind_label": kind_labels.get(kind, kind),
                    "status": status,
                    "commune": own or at_hub,
                    "url": path.replace("SLUG", slug),
                },
            }
        )
    collection = {"type": "FeatureCollection", "features": features}
    return json.dumps(collection, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
