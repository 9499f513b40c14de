"""GeoJSON (RFC 7946) and CSV renderings of a selection of hubs."""

import csv
import io
import json

from django.urls import reverse

from web.spreadsheets import safe_cell

from .selectors import kinds_by_hub

CSV_COLUMNS = [
    "id",
    "slug",
    "nom",
    "types",
    "etat",
    "adresse",
    "code_postal",
    "commune",
    "code_insee",
    "epci_siren",
    "departement",
    "latitude",
    "longitude",
    "site_web",
    "courriel",
    "telephone",
    "url",
]


def detail_path_template() -> str:
    """The hub page path with ``{slug}`` in place of the slug (for clients of the GeoJSON)."""
    return reverse("hubs:detail", kwargs={"slug": "SLUG"}).replace("SLUG", "{slug}")


def geojson_bytes(queryset, with_distance: bool = False) -> bytes:
    """A FeatureCollection of points, [longitude, latitude] order, compact properties.

    What the map and the list beside it need, nothing more (under 200 bytes
    a hub): the feature ``id``, ``slug`` (the page is ``/hubs/<slug>/``, see
    ``detail_path_template``), ``name`` and ``kinds``; coordinates to 5
    decimals (about a metre). The rest (commune, address, summary) is
    ``/api/v1/hubs/<id>.json``, fetched when a popup opens.
    """
    fields = ["pk", "slug", "name", "latitude", "longitude"]
    if with_distance:
        fields.append("distance")
    rows = queryset.values_list(*fields)
    kinds = kinds_by_hub(queryset)
    # Each feature is written into a fixed frame, the strings and lists through
    # the json encoder (escaping), the numbers as json.dumps writes them: the
    # same bytes as json.dumps of the whole collection (tested), in about 60 %
    # of its time for the 10,000 hubs of bench/.
    encode = _ENCODER.encode
    features = []
    for row in rows:
        pk, slug, name, lat, lng = row[:5]
        distance = f',"distance_km":{float(round(row[5], 2))!r}' if with_distance else ""
        features.append(
            _FEATURE
            % (
                int(pk),
                float(round(lng, 5)),
                float(round(lat, 5)),
                encode(slug),
                encode(name),
                encode(kinds.get(pk, [])),
                distance,
            )
        )
    body = '{"type":"FeatureCollection","features":[' + ",".join(features) + "]}"
    return body.encode("utf-8")


_ENCODER = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))
_FEATURE = (
    '{"type":"Feature","id":%d,"geometry":{"type":"Point","coordinates":[%r,%r]},'
    '"properties":{"slug":%s,"name":%s,"kinds":%s%s}}'
)


def csv_text(queryset, base_url: str) -> str:
    """UTF-8 CSV with a header row (the caller adds the BOM for spreadsheets).

    Every text column goes through ``safe_cell`` (no formula); the numbers do not.
    """
    rows = queryset.values_list(
        "pk",
        "slug",
        "name",
        "status",
        "street_address",
        "postcode",
        "commune__name",
        "commune_id",
        "commune__epci_id",
        "commune__departement_id",
        "latitude",
        "longitude",
        "website",
        "email",
        "phone",
    )
    kinds = kinds_by_hub(queryset)
    path = detail_path_template()
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for row in rows:
        pk, slug, name, status, address, postcode, commune, insee, epci, departement = row[:10]
        latitude, longitude, website, email, phone = row[10:]
        texts = [slug, name, "|".join(kinds.get(pk, [])), status, address, postcode]
        texts += [commune, insee, epci or "", departement]
        contact = [website, email, phone, base_url + path.format(slug=slug)]
        writer.writerow(
            [
                pk,
                *map(safe_cell, texts),
                f"{latitude:.6f}",
                f"{longitude:.6f}",
                *map(safe_cell, contact),
            ]
        )
    return buffer.getvalue()


def hub_details(hub) -> dict:
    """What a map popup shows beyond the GeoJSON: place, summary, state."""
    return {
        "id": hub.pk,
        "slug": hub.slug,
        "name": hub.name,
        "url": hub.get_absolute_url(),
        "summary": hub.summary,
        "address": hub.street_address,
        "postcode": hub.postcode or hub.commune.main_postcode,
        "commune": hub.commune.name,
        "status": hub.status,
        "status_label": hub.get_status_display(),
    }
