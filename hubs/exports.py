"""GeoJSON (RFC 7946) and CSV renderings of a selection of hubs."""

import csv
import io
import json
import re

from django.urls import reverse

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


def _detail_path_template() -> str:
    return reverse("hubs:detail", kwargs={"slug": "SLUG"})


def geojson_bytes(queryset, with_distance: bool = False) -> bytes:
    """A FeatureCollection of points, [longitude, latitude] order, compact properties."""
    fields = ["pk", "slug", "name", "latitude", "longitude", "commune__name"]
    if with_distance:
        fields.append("distance")
    rows = queryset.values_list(*fields)
    kinds = kinds_by_hub(queryset)
    path = _detail_path_template()
    features = []
    for row in rows:
        pk, slug, name, lat, lng, commune = row[:6]
        properties = {
            "id": pk,
            "slug": slug,
            "name": name,
            "kinds": kinds.get(pk, []),
            "commune": commune,
            "url": path.replace("SLUG", slug),
        }
        if with_distance:
            properties["distance_km"] = round(row[6], 2)
        features.append(
            {
                "type": "Feature",
                "id": pk,
                "geometry": {"type": "Point", "coordinates": [round(lng, 6), round(lat, 6)]},
                "properties": properties,
            }
        )
    collection = {"type": "FeatureCollection", "features": features}
    return json.dumps(collection, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def csv_text(queryset, base_url: str) -> str:
    """UTF-8 CSV with a header row (the caller adds the BOM for spreadsheets)."""
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
    path = _detail_path_template()
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for row in rows:
        pk, slug = row[0], row[1]
        writer.writerow(
            [
                pk,
                slug,
                safe_cell(row[2]),
                "|".join(kinds.get(pk, [])),
                row[3],
                safe_cell(row[4]),
                row[5],
                row[6],
                row[7],
                row[8] or "",
                row[9],
                f"{row[10]:.6f}",
                f"{row[11]:.6f}",
                row[12],
                row[13],
                safe_cell(row[14]),
                base_url + path.replace("SLUG", slug),
            ]
        )
    return buffer.getvalue()


_PHONE_LIKE = re.compile(r"^[+-]?[\d .()-]*$")


def safe_cell(value: str) -> str:
    """Neutralise spreadsheet formulas (CSV injection): '=cmd' becomes "'=cmd".

    A leading + or - is kept when the cell is only a number (a phone number).
    """
    if not value:
        return value
    if value[0] in "=@\t\r" or (value[0] in "+-" and not _PHONE_LIKE.match(value)):
        return "'" + value
    return value
