"""A commune from what a file says of a place: INSEE code, postcode, city name, coordinates.

Accents, case and hyphens ignored, « CEDEX », « St »/« Ste », « Havre (Le) », the
arrondissements of Paris, Lyon and Marseille, an INSEE code typed as a postcode, a
postcode that lost its leading zero, Corsican names (« Corti ») and communes merged
since (« Saint-Georges-de-Montaigu », now Montaigu-Vendée); coordinates must agree
with the commune found (:func:`locate_commune`, :func:`check_point`). Used by the
imports (back-office and ``manage.py import_hubs``) through ``territories.placing``.
"""

from __future__ import annotations

import gzip
import json
import re
from functools import cache
from pathlib import Path

from django.utils.translation import gettext as _

from .models import Commune
from .text import normalize

FORMER_COMMUNES_FILE = Path(__file__).resolve().parent / "data" / "former_communes.json.gz"

#: Names in Corsican (or older official spellings) of Corsican communes, which the
#: reference data only holds in French. Road signs and some files use them.
CORSICAN_NAMES = {
    "aiacciu": "ajaccio",
    "bunifaziu": "bonifacio",
    "calinzana": "calenzana",
    "corti": "corte",
    "l isula": "l ile rousse",
    "isula rossa": "l ile rousse",
    "portivechju": "porto vecchio",
    "prupia": "propriano",
    "sarte": "sartene",
    "san fiurenzu": "saint florent",
    "u borgu": "borgo",
    "vicu": "vico",
}

#: fablabs.io country codes of the French overseas départements (DROM), which the
#: reference data covers; the other overseas collectivities are not covered.
FRENCH_COUNTRY_CODES = frozenset({"fr", "gp", "mq", "gf", "re", "yt"})


_CEDEX = re.compile(r"\bcedex\b(\s+\d+)?")
_ARRONDISSEMENT = re.compile(
    r"^(paris|lyon|marseille)(\s+\d+\s*(?:e|er|eme|ieme|me)?)?(\s+arrondissement)?$"
)
_DIGITS = re.compile(r"\b\d+\b")
# « Havre (Le) », « Rochelle (La) », « Isle-Adam (L') »: the article put back in front.
_TRAILING_ARTICLE = re.compile(r"^(?P<name>.+?)\s*\(\s*(?P<article>l['’]|le|la|les)\s*\)\s*$", re.I)


def normalize_city(text) -> str:
    """« Lille CEDEX 9 » → « lille », « St-Malo » → « saint malo », « Paris 13e » → « paris »,
    « Havre (Le) » → « le havre », « Corti » → « corte »."""
    text = str(text) if text is not None else ""
    article = _TRAILING_ARTICLE.match(text.strip())
    if article:
        text = f"{article['article']} {article['name']}"
    name = normalize(text)
    name = _CEDEX.sub(" ", name)
    name = re.sub(r"\bst\b", "saint", name)
    name = re.sub(r"\bste\b", "sainte", name)
    name = " ".join(name.split())
    match = _ARRONDISSEMENT.match(name)
    if match:
        return match.group(1)
    name = " ".join(_DIGITS.sub(" ", name).split())
    return CORSICAN_NAMES.get(name, name)


@cache
def _former_communes() -> tuple[dict[str, str], dict[str, list[str]]]:
    """Former INSEE codes → current code; former names (normalised) → current codes."""
    with gzip.open(FORMER_COMMUNES_FILE, "rt", encoding="utf-8") as handle:
        rows = json.load(handle)["communes"]
    by_code: dict[str, str] = {}
    by_name: dict[str, list[str]] = {}
    for code, name, current in rows:
        by_code.setdefault(code, current)
        if name:
            by_name.setdefault(normalize_city(name), []).append(current)
    return by_code, by_name


def current_insee(code: str) -> str:
    """The code of the commune a former commune's code now belongs to (else ``code``)."""
    return _former_communes()[0].get(code, code)


def merged_into(name: str) -> list[str]:
    """The INSEE codes of the communes a former commune named ``name`` (normalised) merged into."""
    return _former_communes()[1].get(name, [])


class CommuneSource:
    """Where :func:`locate_commune` reads communes: the database, a query a lookup.

    ``territories.placing.CommuneIndex`` holds them all in memory instead, for
    imports of thousands of rows.
    """

    def __init__(self):
        self.communes = Commune.objects.select_related("departement")

    def with_postcode(self, code: str) -> list[Commune]:
        return list(self.communes.filter(postcodes__contains=f" {code} "))

    def with_insee(self, code: str) -> Commune | None:
        return self.communes.filter(insee=code).first()

    def named(self, name: str) -> list[Commune]:
        return list(self.communes.filter(search_name=name))

    def with_insee_in(self, codes) -> list[Commune]:
        return list(self.communes.filter(insee__in=codes))


def clean_postcode(value) -> str:
    """Five digits, or "" (« 1000 » from a spreadsheet becomes « 01000 »)."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    digits = re.sub(r"\D", "", str(value))
    if len(digits) == 4:
        digits = "0" + digits
    return digits if len(digits) == 5 else ""


def clean_insee(value) -> str:
    """An INSEE code as written in a file: « 2A004 », « 59606 », 1053 (XLSX) → « 01053 »."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).strip().upper()
    if text.isdigit() and len(text) == 4:
        text = "0" + text
    return text


def departements_of_postcode(postcode: str) -> set[str]:
    if postcode.startswith("97"):
        return {postcode[:3]}
    if postcode.startswith("20"):
        return {"2A", "2B"}
    return {postcode[:2]}


def _nearest(candidates, latitude, longitude):
    if latitude is None or longitude is None:
        return None
    scored = []
    for commune in candidates:
        km = commune.distance_km(latitude, longitude)
        if km is not None and km <= commune.max_distance_km:
            scored.append((km, commune.insee, commune))
    return min(scored)[2] if scored else None


def _compatible(official: str, given: str) -> bool:
    """« cesson sevigne » and « cesson »: one name is the other's first words."""
    return bool(given) and (
        official == given or official.startswith(given + " ") or given.startswith(official + " ")
    )


def locate_commune(postcode="", city="", latitude=None, longitude=None, source=None):
    """The commune a postcode and a city name designate: ``(commune, "")`` or ``(None, why)``.

    Never a guess: when several communes fit and coordinates do not single one
    out, the answer is ``None`` with the reason. ``source`` is where communes are
    read (:class:`CommuneSource`, the database, by default).
    """
    code, name = clean_postcode(postcode), normalize_city(city)
    source = source or CommuneSource()
    if not code and not name:
        return None, "ni code postal ni commune"
    by_postcode = source.with_postcode(code) if code else []
    if by_postcode:
        named = [c for c in by_postcode if c.search_name == name]
        if len(named) == 1:
            return named[0], ""
        merged = [c for c in by_postcode if c.insee in merged_into(name)]
        if not named and len(merged) == 1:  # a commune merged since, at its postcode
            return merged[0], ""
        if len(by_postcode) == 1 and (not name or _compatible(by_postcode[0].search_name, name)):
            return by_postcode[0], ""
        if not name:
            nearest = _nearest(by_postcode, latitude, longitude)
            if nearest:
                return nearest, ""
            return None, _(
                "le code postal %(code)s est celui de plusieurs communes : donnez la ville"
            ) % {"code": code}
        names = ", ".join(sorted(c.name for c in by_postcode))
        return None, _("« %(city)s » ne correspond pas au code postal %(code)s (%(names)s)") % {
            "city": city,
            "code": code,
            "names": names,
        }
    elif code and name:
        # Not a distribution postcode (CEDEX, or an INSEE code written instead).
        by_insee = source.with_insee(code)
        if by_insee and by_insee.search_name == name:
            return by_insee, ""
    if not name:
        return None, _("code postal %(code)s inconnu") % {"code": code}
    candidates = source.named(name) or source.with_insee_in(merged_into(name))
    if code:
        departements = departements_of_postcode(code)
        candidates = [c for c in candidates if c.departement_id in departements]
        if not candidates:
            return None, _(
                "commune « %(city)s » introuvable dans le département du code postal %(code)s"
            ) % {"city": city, "code": code}
    if len(candidates) == 1:
        return candidates[0], ""
    if not candidates:
        return None, _("commune « %(city)s » introuvable") % {"city": city}
    nearest = _nearest(candidates, latitude, longitude)
    if nearest:
        return nearest, ""
    return None, _("plusieurs communes s'appellent « %(city)s » : donnez le code postal") % {
        "city": city
    }


def check_point(commune: Commune, latitude, longitude):
    """The point to store: ``((lat, lng), "")``, or ``(None, why)``.

    Missing coordinates (or 0, 0, the « Null Island » of unlocated records) take
    the commune's reference point; coordinates far from the commune are refused.
    """
    if latitude in (None, "") or longitude in (None, "") or (latitude == 0 and longitude == 0):
        if commune.latitude is None or commune.longitude is None:
            return None, _("la commune %(name)s n'a pas de point de référence") % {
                "name": commune.name
            }
        return (commune.latitude, commune.longitude), ""
    if not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
        return None, _("latitude ou longitude hors limites")
    km = commune.far_from(latitude, longitude)
    if km is not None:
        return None, _(
            "coordonnées à %(km).0f km de %(name)s (%(insee)s) : "
            "vérifiez la latitude, la longitude et la commune"
        ) % {"km": km, "name": commune.name, "insee": commune.insee}
    return (latitude, longitude), ""
