"""GeoJSON (RFC 7946) and CSV renderings of a selection of hubs."""

import csv
import io
import json

from django.db.models import TextField, Value
from django.db.models.functions import Cast
from django.urls import reverse

from web.spreadsheets import safe_cell
from web.sql import JsonString, TextJoin, number_text

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
    decimals (about a metre), the distance (``near``) to 2. The rest (commune,
    address, summary) is ``/api/v1/hubs/<id>.json``, fetched when a popup opens.

    The database writes each feature's text up to its kinds (``feature_head``:
    strings escaped by its own JSON functions, numbers in their shortest form),
    in the selection's order; the kinds (``kinds_by_hub``) and the distance are
    added here. Compact JSON equal to ``json.dumps`` of the same data (tested);
    at 25,000 hubs on PostgreSQL about half the time of formatting each row in
    Python (bench/run.py).
    """
    fields = ["pk", "head"]
    if with_distance:
        fields.append("distance_text")
        queryset = queryset.annotate(distance_text=number_text("distance", 2))
    rows = queryset.annotate(head=feature_head()).values_list(*fields)
    # Each distinct list of kinds encoded once (a few dozen for thousands of hubs).
    kinds = kinds_by_hub(queryset, shape=_ENCODER.encode)
    if with_distance:
        features = [
            f'{head},"kinds":{kinds.get(pk, "[]")},"distance_km":{distance}}}}}'
            for pk, head, distance in rows
        ]
    else:
        features = [f'{head},"kinds":{kinds.get(pk, "[]")}}}}}' for pk, head in rows]
    body = '{"type":"FeatureCollection","features":[' + ",".join(features) + "]}"
    return body.encode("utf-8")


_ENCODER = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))


def feature_head() -> TextJoin:
    """A hub's GeoJSON feature up to its kinds: ``{"type":"Feature","id":…,"geometry":…,
    "properties":{"slug":…,"name":…`` (the caller closes it)."""
    return TextJoin(
        Value('{"type":"Feature","id":'),
        Cast("pk", TextField()),
        Value(',"geometry":{"type":"Point","coordinates":['),
        number_text("longitude", 5),
        Value(","),
        number_text("latitude", 5),
        Value(']},"properties":{"slug":'),
        JsonString("slug"),
        Value(',"name":'),
        JsonString("name"),
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
    kinds = kinds_by_hub(queryset, shape="|".join)
    path = detail_path_template()
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for row in rows:
        pk, slug, name, status, address, postcode, commune, insee, epci, departement = row[:10]
        latitude, longitude, website, email, phone = row[10:]
        texts = [slug, name, kinds.get(pk, ""), status, address, postcode]
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
