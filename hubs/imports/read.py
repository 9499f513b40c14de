"""Read an import file: which kind of source it is, and its records.

The kind comes from the content, not the file name: JSON whose records have a
``nom`` is the national schema, one whose records have a ``name`` is fablabs.io;
a CSV with a ``nom`` column (and no ``slug``) is the national schema, else our
template; an XLSX is our template. Everything a file can be wrong with (size,
encoding, not a table) is an :class:`UnreadableFile` with a message for people.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from django.utils.translation import gettext as _

from backoffice.imports.formats import CSVFormat
from backoffice.imports.limits import ImportLimitError, ImportLimits, check_file_size

NATIONAL, FABLABS, TEMPLATE = "national", "fablabs", "template"


class UnreadableFile(ValueError):
    """The file cannot be read as an import; the message says why."""


@dataclass
class Source:
    kind: str  # NATIONAL, FABLABS or TEMPLATE
    format: str  # "csv", "json" or "xlsx"
    records: list  # dicts (national, fablabs); empty for TEMPLATE (its reader is the admin's)


def guess(data: bytes) -> tuple[str, str]:
    """``(kind, format)`` of a file, from its first bytes."""
    if data[:2] == b"PK":
        return TEMPLATE, "xlsx"
    start = data.lstrip(b"\xef\xbb\xbf \t\r\n")[:1]
    if start in (b"[", b"{"):
        return "", "json"
    return "", "csv"


def read(data: bytes, limits: ImportLimits | None = None) -> Source:
    limits = limits or ImportLimits.from_settings()
    try:
        check_file_size(len(data), limits)
    except ImportLimitError as e:
        raise UnreadableFile(str(e)) from e
    kind, fmt = guess(data)
    if fmt == "xlsx":
        return Source(TEMPLATE, "xlsx", [])
    if b"\x00" in data[:4096]:
        raise UnreadableFile(
            _("Fichier illisible : ni CSV ni JSON en UTF-8 ou Windows-1252 (UTF-16, binaire ?).")
        )
    records = _json_records(data) if fmt == "json" else _csv_records(data, limits)
    if len(records) > limits.rows:
        raise UnreadableFile(
            _("Trop de lignes : %(limit)s lignes au plus par import. Découpez le fichier.")
            % {"limit": limits.rows}
        )
    keys = set().union(*(r.keys() for r in records[:50])) if records else set()
    if "nom" in keys and "slug" not in keys:
        return Source(NATIONAL, fmt, records)
    if fmt == "json" and "name" in keys:
        return Source(FABLABS, fmt, records)
    if fmt == "csv" and ("slug" in keys or not records):
        return Source(TEMPLATE, fmt, [])
    raise UnreadableFile(
        _(
            "Format non reconnu : ni le schéma national des lieux de médiation numérique "
            "(colonne « nom »), ni un export fablabs.io, ni le modèle de docs/import.md "
            "(colonne « slug »)."
        )
    )


def _json_records(data: bytes) -> list[dict]:
    try:
        value = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as e:
        raise UnreadableFile(_("Fichier JSON illisible : %(error)s") % {"error": e}) from e
    if isinstance(value, dict):  # {"labs": [...]}, {"data": [...]}, a GeoJSON collection
        if isinstance(value.get("features"), list):
            value = [
                {**(f.get("properties") or {}), **_geojson_point(f)}
                for f in value["features"]
                if isinstance(f, dict)
            ]
        else:
            value = value.get("labs", value.get("data", value.get("lieux")))
    if not isinstance(value, list):
        raise UnreadableFile(_("Le fichier JSON doit contenir une liste de lieux."))
    return [item if isinstance(item, dict) else {"__invalid__": item} for item in value]


def _geojson_point(feature: dict) -> dict:
    geometry = feature.get("geometry") or {}
    coordinates = geometry.get("coordinates") if geometry.get("type") == "Point" else None
    if isinstance(coordinates, list) and len(coordinates) >= 2:
        return {"longitude": coordinates[0], "latitude": coordinates[1]}
    return {}


def _csv_records(data: bytes, limits: ImportLimits) -> list[dict]:
    try:
        dataset = CSVFormat().create_dataset(data, limits=limits)
    except ImportLimitError as e:
        raise UnreadableFile(str(e)) from e
    except Exception as e:  # noqa: BLE001 (any unreadable file)
        raise UnreadableFile(_("Fichier CSV illisible : %(error)s") % {"error": e}) from e
    headers = [str(h or "").strip().lower() for h in dataset.headers or []]
    return [dict(zip(headers, row, strict=False)) for row in dataset]
