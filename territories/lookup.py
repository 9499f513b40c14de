"""Find territories from what people and URLs give us.

Territory codes in URLs (the ``territory`` filter):

- ``commune:59606`` or a bare 5-character INSEE code (``59606``, ``2A004``);
- ``epci:245901160`` or a bare 9-digit SIREN;
- ``dep:59`` or a bare 2- or 3-character département code (``59``, ``2A``, ``974``);
- ``region:32`` (a région code must be prefixed: ``32`` alone is the Gers).
"""

import re
from dataclasses import dataclass

from django.db.models import Case, CharField, F, OuterRef, Q, Subquery, When
from django.db.models.functions import Coalesce, Substr
from django.utils.translation import gettext as _

from .levels import commune_path
from .models import EPCI, Commune, Departement, Region
from .text import normalize

_PREFIXES = {"commune": Commune, "epci": EPCI, "dep": Departement, "region": Region}
_COMMUNE_CODE = re.compile(r"^(\d{5}|2[AB]\d{3})$", re.IGNORECASE)
_SIREN = re.compile(r"^\d{9}$")
_DEP_CODE = re.compile(r"^(\d{2}|2[AB]|97\d)$", re.IGNORECASE)
_POSTCODE = re.compile(r"^\d{5}$")


@dataclass(frozen=True)
class TerritoryRef:
    """A resolved territory and how to reach it from a commune foreign key."""

    level: str  # commune, epci, dep, region
    obj: object

    @property
    def label(self) -> str:
        return str(self.obj)

    @property
    def code(self) -> str:
        return self.obj.filter_code

    def commune_lookup(self, prefix: str = "commune") -> Q:
        """A ``Q`` selecting rows whose commune (via ``prefix``) lies in this territory."""
        return Q(**{commune_path(self.level, prefix): self.obj.pk})


def territory_name(code_field: str) -> Coalesce:
    """The name of the territory whose prefixed code (``epci:245901160``, as
    ``TerritoryRef.code`` writes it) is in ``code_field``, in SQL: one indexed
    subquery a row, the code itself when it names no territory."""
    branches = [
        When(
            **{f"{code_field}__startswith": f"{level}:"},
            then=Subquery(
                model.objects.filter(pk=Substr(OuterRef(code_field), len(level) + 2)).values(
                    "name"
                )[:1]
            ),
        )
        for level, model in _PREFIXES.items()
    ]
    return Coalesce(Case(*branches, output_field=CharField()), F(code_field))


def parse_territory_code(value: str) -> tuple[str, str] | None:
    """``"epci:245901160"`` → ``("epci", "245901160")``; ``None`` when malformed."""
    value = (value or "").strip()
    if ":" in value:
        level, _, code = value.partition(":")
        level, code = level.strip().lower(), code.strip().upper()
        if level not in _PREFIXES or not code or len(code) > 9:
            return None
        return level, code
    code = value.upper()
    if _COMMUNE_CODE.match(code):
        return "commune", code
    if _SIREN.match(code):
        return "epci", code
    if _DEP_CODE.match(code):
        return "dep", code
    return None


def resolve_territory(value: str) -> TerritoryRef | None:
    """The territory named by a code, or ``None`` when malformed or unknown."""
    parsed = parse_territory_code(value)
    if parsed is None:
        return None
    level, code = parsed
    model = _PREFIXES[level]
    obj = model.objects.filter(pk=code).first()
    return TerritoryRef(level, obj) if obj else None


def find_commune(text: str) -> Commune | None:
    """A commune from a name, a postcode or an INSEE code (the most populous wins)."""
    text = (text or "").strip()
    if not text:
        return None
    by_population = Commune.objects.order_by("-population", "insee")
    if _COMMUNE_CODE.match(text):
        # A postcode first (what residents type), then an INSEE code.
        found = (
            by_population.filter(postcodes__contains=f" {text} ").first()
            or by_population.filter(insee=text.upper()).first()
        )
        if found:
            return found
    needle = normalize(text)
    return by_population.filter(search_name=needle).first() if needle else None


def resolve_place(text: str) -> TerritoryRef | None:
    """What a person typed in the "Où ?" box: a commune, or a larger territory.

    Used without JavaScript; with it, the autocomplete gives exact codes.
    """
    text = (text or "").strip()
    if not text:
        return None
    ref = resolve_territory(text) if parse_territory_code(text) else None
    if ref and ref.level != "commune":
        return ref
    commune = find_commune(text)
    if commune:
        return TerritoryRef("commune", commune)
    needle = normalize(text)
    for level, model in (("region", Region), ("dep", Departement), ("epci", EPCI)):
        obj = model.objects.filter(search_name=needle).first()
        if obj:
            return TerritoryRef(level, obj)
    return None


def autocomplete(text: str, limit: int = 10) -> list[dict]:
    """Suggestions for a search box: communes first, then larger territories.

    Matches the start of a name (accents and case ignored), a postcode prefix,
    or an exact code. Big communes come first.
    """
    text = (text or "").strip()
    needle = normalize(text)
    if not needle:
        return []
    results: list[dict] = []
    commune_q = Q(search_name__startswith=needle)
    if text.isdigit():
        # Digits are a postcode (or its start): the communes of that postcode only.
        # « 59300 » is Valenciennes' postcode and Hem-Lenglet's INSEE code: an INSEE
        # code is looked up only when no commune has it as a postcode (issue 16).
        commune_q = Q(postcodes__contains=f" {text}")
        if len(text) == 5 and not Commune.objects.filter(commune_q).exists():
            commune_q = Q(insee=text)
    communes = (
        Commune.objects.filter(commune_q)
        .select_related("departement")
        .order_by("-population", "name")[:limit]
    )
    for commune in communes:
        postcode = commune.main_postcode
        results.append(
            {
                "type": "commune",
                "code": commune.filter_code,
                "name": commune.name,
                "label": f"{commune.name} ({postcode or commune.departement_id})",
                "context": commune.departement.name,
                "lat": commune.latitude,
                "lng": commune.longitude,
            }
        )
    if text.isdigit():
        departements = Departement.objects.filter(code=text)
        others = [("dep", departements)]
    else:
        others = [
            ("region", Region.objects.search(text)),
            ("dep", Departement.objects.search(text)),
            # Intercommunalities are named "CA de …", "CC du …": match any word.
            ("epci", EPCI.objects.filter(search_name__contains=needle)),
        ]
    type_labels = {"region": _("Région"), "dep": _("Département"), "epci": _("Intercommunalité")}
    for level, queryset in others:
        for obj in queryset[: max(3, limit - len(results))]:
            results.append(
                {
                    "type": level,
                    "code": obj.filter_code,
                    "name": obj.name,
                    "label": str(obj),
                    "context": type_labels[level],
                    "lat": None,
                    "lng": None,
                }
            )
    # Exact names first; then régions and départements named like the text before the
    # communes that merely start like it (« Nord » before Nordhausen), then EPCI
    # (matched on any word). Within a group, the order above (big communes first).
    rank = {"region": 1, "dep": 1, "commune": 2, "epci": 3}
    results.sort(key=lambda r: 0 if normalize(r["name"]) == needle else rank[r["type"]])
    return results[: limit + 3]
