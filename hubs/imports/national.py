"""A record of the national schema « lieux de médiation numérique » → a :class:`MappedHub`.

Reads the current column names (v1.0.2) and those of earlier versions
(``courriel``, ``labels_nationaux``, ``conditions_acces``, ``publics_accueillis``,
``accessibilite``…), lists separated by ``|`` or ``;``, and the words of the schema
through the one table of ``hubs/national_schema.py`` (:func:`codes`), plus the few
words of earlier versions below. A word the table does not know is a warning.
"""

from __future__ import annotations

import hashlib
import re

from django.utils.translation import gettext as _

from territories.text import normalize

from ..choices import Itinerance
from ..national_schema import TERMS, codes
from ..siret import UNKNOWN_PIVOT, clean_siret
from .mapped import MappedHub

#: The kind of a place whose typologie maps to none of ours: a public digital space.
DEFAULT_KIND = "epn"
SUMMARY_MAX, NAME_MAX = 300, 200

#: Columns of earlier versions of the schema → the current column.
EARLIER_COLUMNS = {
    "courriel": "courriels",
    "labels_nationaux": "dispositif_programmes_nationaux",
    "labels_autres": "autres_formations_labels",
    "conditions_acces": "frais_a_charge",
    "conditions_access": "frais_a_charge",
    "publics_accueillis": "publics_specifiquement_adresses",
    "accessibilite": "fiche_acces_libre",
    "lat": "latitude",
    "lon": "longitude",
    "lng": "longitude",
}

#: Words of earlier versions → the current column and word (normalised on the left).
EARLIER_WORDS = {
    "devenir autonome dans les demarches administratives": (
        "services",
        "Aide aux démarches administratives",
    ),
    "realiser des demarches administratives avec un accompagnement": (
        "services",
        "Aide aux démarches administratives",
    ),
    "prendre en main un smartphone ou une tablette": (
        "services",
        "Maîtrise des outils numériques du quotidien",
    ),
    "prendre en main un ordinateur": ("services", "Maîtrise des outils numériques du quotidien"),
    "utiliser le numerique au quotidien": (
        "services",
        "Maîtrise des outils numériques du quotidien",
    ),
    "approfondir ma culture numerique": ("services", "Compréhension du monde numérique"),
    "promouvoir la citoyennete numerique": ("services", "Compréhension du monde numérique"),
    "favoriser mon insertion professionnelle": (
        "services",
        "Insertion professionnelle via le numérique",
    ),
    "acceder a une connexion internet": ("services", "Accès internet et matériel informatique"),
    "acceder a du materiel": ("services", "Accès internet et matériel informatique"),
    "equiper en materiel informatique": (
        "services",
        "Acquisition de matériel informatique à prix solidaire",
    ),
    "soutenir la parentalite et l education avec le numerique": (
        "services",
        "Parentalité et éducation avec le numérique",
    ),
    "jeunes 16 26 ans": ("publics_specifiquement_adresses", "Jeunes"),
    "seniors 65 ans": ("publics_specifiquement_adresses", "Seniors"),
    "uniquement femmes": ("publics_specifiquement_adresses", "Femmes"),
    "surdite": ("prise_en_charge_specifique", "Surdité"),
    "deficience visuelle": ("prise_en_charge_specifique", "Déficience visuelle"),
    "illettrisme": ("prise_en_charge_specifique", "Illettrisme"),
    "handicaps moteurs": ("prise_en_charge_specifique", "Handicaps moteurs"),
    "langues etrangeres": ("prise_en_charge_specifique", "Langues étrangères (autres)"),
    "seul": ("modalites_accompagnement", "En autonomie"),
    "avec de l aide": ("modalites_accompagnement", "Accompagnement individuel"),
    "a ma place": ("modalites_accompagnement", "Accompagnement individuel"),
    "dans un atelier": ("modalites_accompagnement", "Dans un atelier collectif"),
    "cnfs": ("dispositif_programmes_nationaux", "Conseillers numériques"),
    "conseiller numerique france services": (
        "dispositif_programmes_nationaux",
        "Conseillers numériques",
    ),
}

#: Enumerated columns: (schema column, our source, the hub's field or vocabulary).
LIST_COLUMNS = [
    ("services", "services"),
    ("services", "equipment"),
    ("publics_specifiquement_adresses", "audiences"),
    ("prise_en_charge_specifique", "specific_support"),
    ("dispositif_programmes_nationaux", "national_programmes"),
    ("dispositif_programmes_nationaux", "labels"),
    ("formations_labels", "labels"),
    ("modalites_acces", "access_modes"),
    ("modalites_accompagnement", "support_modes"),
    ("typologie", "kinds"),
    ("typologie", "operator_kind"),
    ("itinerance", "itinerance"),
    ("frais_a_charge", "fees"),
]
_KNOWN_WORDS = {(t.column, normalize(t.word)): t.word for t in TERMS}
_SEPARATORS = re.compile(r"\s*[|;]\s*")


def text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return " ".join(str(value).split()) if not isinstance(value, str) else value.strip()


def split_list(value) -> list[str]:
    """« a|b », « a;b », a JSON list: the items, stripped, empty ones dropped."""
    if isinstance(value, list):
        items = [text(item) for item in value]
    else:
        items = _SEPARATORS.split(text(value))
    return [item for item in items if item]


def columns(record: dict) -> dict:
    """The record under the current column names (a current name wins over an earlier one)."""
    result = {}
    for key, value in record.items():
        name = str(key).strip().lower()
        result.setdefault(EARLIER_COLUMNS.get(name, name), value)
        if name in EARLIER_COLUMNS.values():
            result[name] = value
    return result


def schema_words(row: dict, column: str, warnings: list[str]) -> dict[str, list[str]]:
    """The schema's words in ``column`` and the columns earlier words now belong to."""
    found: dict[str, list[str]] = {}
    for item in split_list(row.get(column)):
        key = normalize(item)
        if (column, key) in _KNOWN_WORDS:
            found.setdefault(column, []).append(_KNOWN_WORDS[(column, key)])
        elif key in EARLIER_WORDS:
            target, word = EARLIER_WORDS[key]
            found.setdefault(target, []).append(word)
        elif column not in ("typologie", "formations_labels", "dispositif_programmes_nationaux"):
            warnings.append(
                _("« %(word)s » (%(column)s) : valeur inconnue, ignorée")
                % {"word": item, "column": column}
            )
    return found


def source_id(row: dict) -> str:
    """``<source>:<id>``; without an id, a digest of the name and address (stable on re-runs)."""
    source = text(row.get("source")) or "schema-national"
    identifier = text(row.get("id"))
    if not identifier:
        key = "|".join(
            normalize(text(row.get(c))) for c in ("nom", "adresse", "code_postal", "commune")
        )
        identifier = "h-" + hashlib.sha256(key.encode()).hexdigest()[:16]
    return f"{source}:{identifier}"[:120]


def map_record(record: dict) -> MappedHub:
    if "__invalid__" in record:
        return MappedHub("", "", error=_("fiche illisible (pas un objet)"))
    row = columns(record)
    warnings: list[str] = []
    name = text(row.get("nom"))
    if not name:
        return MappedHub(source_id(row), "", error=_("fiche sans nom"))

    words: dict[str, list[str]] = {}
    for column in dict.fromkeys(column for column, _source in LIST_COLUMNS):
        for target, found in schema_words(row, column, warnings).items():
            words.setdefault(target, []).extend(found)
    values = {
        (column, source): codes(column, source, words.get(column, []))
        for column, source in LIST_COLUMNS
    }
    itinerance = values[("itinerance", "itinerance")]
    fees = values[("frais_a_charge", "fees")]
    operator_kind = values[("typologie", "operator_kind")]
    siret = clean_siret(text(row.get("pivot")))
    emails = split_list(row.get("courriels"))
    websites = split_list(row.get("site_web"))
    summary = text(row.get("presentation_resume"))
    detail = text(row.get("presentation_detail"))
    fields = {
        "name": name[:NAME_MAX],
        "summary": (summary or detail or name)[:SUMMARY_MAX],
        "description": detail,
        "street_address": " ".join(
            p for p in (text(row.get("adresse")), text(row.get("complement_adresse"))) if p
        )[:250],
        "siret": "" if siret in ("", UNKNOWN_PIVOT) or len(siret) != 14 else siret,
        "email": emails[0] if emails else "",
        "website": websites[0] if websites else "",
        "phone": text(row.get("telephone"))[:30],
        "opening_hours": text(row.get("horaires")),
        "operator": text(row.get("structure_parente"))[:200],
        "operator_kind": operator_kind[0] if operator_kind else "",
        "itinerance": (
            Itinerance.BOTH if len(itinerance) > 1 else itinerance[0] if itinerance else ""
        ),
        "fees": "conditional" if "conditional" in fees else fees[0] if fees else "",
        "services": values[("services", "services")],
        "specific_support": values[("prise_en_charge_specifique", "specific_support")],
        "national_programmes": values[("dispositif_programmes_nationaux", "national_programmes")],
        "access_modes": values[("modalites_acces", "access_modes")],
        "support_modes": values[("modalites_accompagnement", "support_modes")],
        "acceslibre_url": text(row.get("fiche_acces_libre")),
        "booking_url": text(row.get("prise_rdv")),
    }
    kinds = values[("typologie", "kinds")] or [DEFAULT_KIND]
    labels = (
        values[("dispositif_programmes_nationaux", "labels")]
        + values[("formations_labels", "labels")]
    )
    return MappedHub(
        external_id=source_id(row),
        name=name,
        fields=fields,
        address={
            "latitude": row.get("latitude"),
            "longitude": row.get("longitude"),
            "insee": text(row.get("code_insee")),
            "postcode": text(row.get("code_postal")),
            "city": text(row.get("commune")),
        },
        kinds=kinds,
        equipment=values[("services", "equipment")],
        audiences=values[("publics_specifiquement_adresses", "audiences")],
        labels=list(dict.fromkeys(labels)),
        source_line=_("schéma national : %(source)s") % {"source": text(row.get("source")) or "?"},
        warnings=warnings,
    )
