"""Our hubs in the national schema « lieux de médiation numérique » (v1.0.2).

``/api/v1/lieux-mediation-numerique.csv`` and ``.json``: one record a hub, the
schema's columns in its order (``national_schema.COLUMNS``), list values joined
by ``|``, dates in ISO 8601. The CSV is plain UTF-8 (no BOM: the readers are
programs, the national validator among them) with a header row; the JSON is an
array of the same records, without the columns a hub leaves empty.

A selection of any size is read in six queries: the hubs' own columns with their
commune and parent, then the slugs of each many-to-many vocabulary.
"""

import csv
import hashlib
import io
import json
import re

from django.conf import settings
from django.db.models import Q
from django.utils import timezone, translation

from web.spreadsheets import safe_cell

from .models import Audience, Equipment, Hub, Label, last_known_exact
from .national_schema import COLUMN_NAMES, ITINERANCE_CODES, LIST_SEPARATOR, MAPPED_LABELS, words
from .selectors import related_by_hub
from .siret import UNKNOWN_PIVOT

RESUME_MAX = 280  # presentation_resume: « 280 caractères maximum »

# Free text a spreadsheet could read as a formula goes through ``safe_cell`` in the
# CSV; the other columns are codes, numbers, validated URLs or built here.
FREE_TEXT = {
    "nom",
    "commune",
    "adresse",
    "complement_adresse",
    "presentation_resume",
    "presentation_detail",
    "source",
    "structure_parente",
    "autres_formations_labels",
    "horaires",
}

# The schema's telephone: a French (or overseas) number in international form.
PHONE_PATTERN = re.compile(r"\+(33|590|594|262|596|269|687|689|508|681)\d{6,9}")
# Overseas numbers dialled as 0XXX… in France have their own country code abroad.
OVERSEAS_PREFIXES = {
    **dict.fromkeys(["0590", "0690", "0691"], "+590"),  # Guadeloupe, Saint-Martin…
    **dict.fromkeys(["0594", "0694"], "+594"),  # Guyane
    **dict.fromkeys(["0596", "0696", "0697"], "+596"),  # Martinique
    **dict.fromkeys(["0262", "0263", "0692", "0693", "0269", "0639"], "+262"),  # Réunion, Mayotte
    "0508": "+508",  # Saint-Pierre-et-Miquelon
}


def international_phone(text: str) -> str:
    """« 03 27 53 01 00 » → « +33327530100 »; what cannot be made so → ``""``."""
    number = re.sub(r"[\s.\-/]", "", (text or "").replace("(0)", ""))
    if number.startswith("00"):
        number = "+" + number[2:]
    if re.fullmatch(r"0[1-9]\d{8}", number):
        number = OVERSEAS_PREFIXES.get(number[:4], "+33") + number[1:]
    elif number.startswith("+330"):  # « +33 0 3 27 … »
        number = "+33" + number[4:]
    if number.startswith("+33") and len(number) != 12:
        return ""
    return number if PHONE_PATTERN.fullmatch(number) else ""


def commune_name(name: str) -> str:
    """The commune as the national tools read it: « Château-Chinon (Ville) » becomes
    « Château-Chinon Ville », as La Poste writes it. The reference library of the
    national cartography (@gouvfr-anct/lieux-de-mediation-numerique 2.3.0) refuses
    brackets in a commune's name; the INSEE code beside it stays exact."""
    return re.sub(r"\s+", " ", name.replace("(", " ").replace(")", " ")).strip()


def resume(text: str) -> str:
    """``text`` on one line, cut after a whole word at 280 characters at most (« … »)."""
    text = " ".join((text or "").split())
    if len(text) <= RESUME_MAX:
        return text
    cut = text[: RESUME_MAX - 1]
    if " " in cut:
        cut = cut[: cut.rindex(" ")]
    return cut.rstrip(" ,;:.-–—") + "…"


def vocabulary_state() -> str:
    """Equipment, audiences and labels as the records show them (slugs, label names):
    a renamed label changes the files, so their ETag."""
    rows = [
        list(model.objects.order_by("pk").values_list("pk", "slug", "name"))
        for model in (Equipment, Audience, Label)
    ]
    return hashlib.sha256(repr(rows).encode()).hexdigest()[:12]


def exportable(queryset):
    """The hubs that can be national records: a postcode is required, and a hub
    without one in a commune without one has none to give."""
    return queryset.exclude(Q(postcode="") & Q(commune__postcodes=""))


def records(queryset):
    """One dict a hub, keys in the schema's order; ``""`` for what is unknown,
    floats for latitude and longitude."""
    queryset = exportable(queryset)
    rows = queryset.values(
        "pk",
        "siret",
        "name",
        "commune_id",
        "commune__name",
        "commune__postcodes",
        "postcode",
        "street_address",
        "latitude",
        "longitude",
        "operator_kind",
        "phone",
        "email",
        "website",
        "opening_hours",
        "summary",
        "description",
        "itinerance",
        "operator",
        "parent__name",
        "parent__publication",
        "updated_at",
        "confirmed_at",
        "services",
        "specific_support",
        "fees",
        "national_programmes",
        "access_modes",
        "support_modes",
        "acceslibre_url",
        "booking_url",
    )
    related = {
        relation: related_by_hub(queryset, relation)
        for relation in ("kinds", "equipment", "audiences")
    }
    labels = related_by_hub(queryset, "labels", with_names=True)
    with translation.override(settings.LANGUAGE_CODE):  # the national data is in French
        source = str(settings.SITE_NAME)
    for row in rows:
        pk = row["pk"]
        sources = {
            "kinds": related["kinds"].get(pk, []),
            "operator_kind": [row["operator_kind"]],
            "equipment": related["equipment"].get(pk, []),
            "audiences": related["audiences"].get(pk, []),
            "labels": [slug for _, slug in labels.get(pk, [])],
            "itinerance": ITINERANCE_CODES.get(row["itinerance"], []),
            "fees": [row["fees"]],
        }
        for field in (
            "services",
            "specific_support",
            "national_programmes",
            "access_modes",
            "support_modes",
        ):
            sources[field] = row[field] or []
        other_labels = [name for name, slug in labels.get(pk, []) if slug not in MAPPED_LABELS]
        parent = (
            row["parent__name"] if row["parent__publication"] == Hub.Publication.PUBLISHED else ""
        )
        postcodes = (row["commune__postcodes"] or "").split()
        values = {
            "id": str(pk),
            "pivot": row["siret"] or UNKNOWN_PIVOT,
            "nom": row["name"],
            "commune": commune_name(row["commune__name"]),
            "code_postal": row["postcode"] or postcodes[0],
            "code_insee": row["commune_id"],
            "adresse": row["street_address"].strip() or row["commune__name"],
            "complement_adresse": "",
            "latitude": round(row["latitude"], 6),
            "longitude": round(row["longitude"], 6),
            "telephone": international_phone(row["phone"]),
            "courriels": row["email"],
            "site_web": row["website"],
            "horaires": " ".join(row["opening_hours"].split()),
            "presentation_resume": resume(row["summary"]),
            "presentation_detail": row["description"].strip(),
            "source": source,
            "structure_parente": row["operator"] or parent or "",
            # The listing's last update, or its « toujours exact » confirmation since.
            "date_maj": timezone.localdate(
                last_known_exact(row["updated_at"], row["confirmed_at"])
            ).isoformat(),
            "autres_formations_labels": LIST_SEPARATOR.join(other_labels),
            "fiche_acces_libre": row["acceslibre_url"],
            "prise_rdv": row["booking_url"],
        }
        for column in COLUMN_NAMES:
            if column not in values:
                values[column] = LIST_SEPARATOR.join(words(column, sources))
        yield {column: values[column] for column in COLUMN_NAMES}


def csv_text(queryset) -> str:
    """The records as CSV: header row, ``\\r\\n`` line ends (RFC 4180)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(COLUMN_NAMES)
    for record in records(queryset):
        writer.writerow(
            [
                f"{value:.6f}"
                if isinstance(value, float)
                else safe_cell(value)
                if column in FREE_TEXT
                else value
                for column, value in record.items()
            ]
        )
    return buffer.getvalue()


def json_bytes(queryset) -> bytes:
    """The records as a JSON array, empty columns left out."""
    items = [
        {column: value for column, value in record.items() if value != ""}
        for record in records(queryset)
    ]
    return json.dumps(items, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
