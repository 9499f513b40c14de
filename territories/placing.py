"""Where an imported row goes: its commune and its point (every importer places through here).

:func:`place` reads the five things a source may say of a place (coordinates,
INSEE code, postcode, city) and answers with a :class:`Placement`:

- coordinates in France place the row by themselves: the commune is the one the
  address names when the point lies in it (within ``Commune.max_distance_km`` of
  its reference point, the rule of the admin's form), otherwise the commune whose
  reference point is nearest; an address that disagrees is a **warning**, not a
  refusal;
- without usable coordinates, the INSEE code (a former commune's code leads to
  the commune it merged into), then the postcode and the city name, with the
  variants of :mod:`territories.locate` (« Havre (Le) », « ST », accents and
  hyphens, a lost leading zero, Corsican names, communes merged since); the point
  is the commune's reference point;
- what cannot be placed has an ``error`` saying why, and no commune.

Communes are read from a :class:`CommuneIndex` (all of them in memory, built once
an import) so that placing ten thousand rows costs no query a row.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field

from django.db.models.base import ModelState
from django.utils.translation import gettext as _

from .geo import KM_PER_DEGREE_LAT, haversine_km
from .locate import (
    CommuneSource,
    check_point,
    clean_insee,
    clean_postcode,
    current_insee,
    locate_commune,
)
from .models import MAX_DISTANCE_KM_BY_DEPARTEMENT, Commune

CELL_DEGREES = 0.2  # grid of the index: about 22 km north-south


@dataclass
class Placement:
    """Where a row goes. ``commune`` is None when it cannot be placed (``error`` says why)."""

    commune: Commune | None = None
    latitude: float | None = None
    longitude: float | None = None
    postcode: str = ""  # the row's postcode when it is one of the commune's, else ""
    by: str = ""  # "coordinates" or "address"
    warnings: list[str] = field(default_factory=list)
    error: str = ""

    @property
    def placed(self) -> bool:
        return self.commune is not None


class CommuneIndex(CommuneSource):
    """Every commune in memory: by postcode, INSEE code, name, and on a grid of points."""

    FIELDS = (
        "insee",
        "name",
        "search_name",
        "departement_id",
        "postcodes",
        "latitude",
        "longitude",
    )

    def __init__(self, communes=None):
        if communes is None:
            communes = [
                self._commune(dict(zip(self.FIELDS, row, strict=True)))
                for row in Commune.objects.values_list(*self.FIELDS)
            ]
        self.by_insee: dict[str, Commune] = {}
        self.by_postcode: dict[str, list[Commune]] = {}
        self.by_name: dict[str, list[Commune]] = {}
        self.grid: dict[tuple[int, int], list[Commune]] = {}
        for commune in communes:
            self.by_insee[commune.insee] = commune
            for code in commune.postcode_list:
                self.by_postcode.setdefault(code, []).append(commune)
            self.by_name.setdefault(commune.search_name, []).append(commune)
            if commune.latitude is not None and commune.longitude is not None:
                self.grid.setdefault(self._cell(commune.latitude, commune.longitude), []).append(
                    commune
                )

    @staticmethod
    def _commune(values: dict) -> Commune:
        """A commune from its values, without ``Model.__init__`` (35,000 of them: 5 s → 0.3 s),
        as ``Model.from_db`` would leave it (saved, from the default database)."""
        commune = Commune.__new__(Commune)
        commune.__dict__.update(values)
        commune._state = ModelState()
        commune._state.adding, commune._state.db = False, "default"
        return commune

    @staticmethod
    def _cell(latitude: float, longitude: float) -> tuple[int, int]:
        return math.floor(latitude / CELL_DEGREES), math.floor(longitude / CELL_DEGREES)

    # -- CommuneSource ----------------------------------------------------------
    def with_postcode(self, code):
        return list(self.by_postcode.get(code, ()))

    def with_insee(self, code):
        return self.by_insee.get(code)

    def named(self, name):
        return list(self.by_name.get(name, ()))

    def with_insee_in(self, codes):
        return [self.by_insee[code] for code in codes if code in self.by_insee]

    # -- points -------------------------------------------------------------------
    def nearest(self, latitude: float, longitude: float) -> Commune | None:
        """The commune whose reference point is nearest, if the point can be in it."""
        reach = max(MAX_DISTANCE_KM_BY_DEPARTEMENT.values())
        cos_lat = max(math.cos(math.radians(latitude)), 0.05)
        rows = math.ceil(reach / KM_PER_DEGREE_LAT / CELL_DEGREES)
        cols = math.ceil(reach / (KM_PER_DEGREE_LAT * cos_lat) / CELL_DEGREES)
        row0, col0 = self._cell(latitude, longitude)
        best, best_km = None, math.inf
        for ring in range(max(rows, cols) + 1):
            # Every commune in this ring is at least (ring - 1) cells away.
            if best is not None and (ring - 1) * CELL_DEGREES * KM_PER_DEGREE_LAT * cos_lat > (
                best_km
            ):
                break
            for row in range(row0 - ring, row0 + ring + 1):
                for col in range(col0 - ring, col0 + ring + 1):
                    if max(abs(row - row0), abs(col - col0)) != ring:
                        continue
                    for commune in self.grid.get((row, col), ()):
                        km = haversine_km(latitude, longitude, commune.latitude, commune.longitude)
                        if km < best_km:
                            best, best_km = commune, km
        if best is None or best_km > best.max_distance_km:
            return None
        return best


def _number(value) -> float | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return None
    try:
        number = float(str(value).strip().replace(",", "."))
    except ValueError:
        return None
    return number if math.isfinite(number) else None


def _address(row: Mapping) -> str:
    parts = [str(row.get(key) or "").strip() for key in ("postcode", "city", "insee")]
    return " ".join(part for part in parts if part)


def place(row: Mapping, index: CommuneIndex | None = None) -> Placement:
    """The placement of ``row``: ``{"latitude", "longitude", "insee", "postcode", "city"}``
    (any may be missing or blank). ``index``: a :class:`CommuneIndex` for many rows."""
    index = index if index is not None else CommuneIndex()
    warnings: list[str] = []
    latitude, longitude = _number(row.get("latitude")), _number(row.get("longitude"))
    has_point = latitude is not None and longitude is not None and (latitude, longitude) != (0, 0)
    if has_point and not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
        warnings.append(_("latitude ou longitude hors limites : ignorées"))
        has_point = False

    # What the address says.
    by_address, why = None, ""
    insee = clean_insee(row.get("insee"))
    if insee:
        by_address = index.with_insee(current_insee(insee))
        if by_address is None:
            why = _("code INSEE %(code)s inconnu") % {"code": insee}
    if by_address is None and (row.get("postcode") or row.get("city")):
        by_address, why = locate_commune(
            row.get("postcode") or "",
            row.get("city") or "",
            latitude if has_point else None,
            longitude if has_point else None,
            source=index,
        )
    elif by_address is None and not insee:
        why = _("ni coordonnées, ni code INSEE, ni code postal, ni commune")

    near = None
    if has_point:
        if by_address is not None and by_address.far_from(latitude, longitude) is None:
            near = by_address
        else:
            near = index.nearest(latitude, longitude)
            if near is None:
                warnings.append(
                    _("coordonnées (%(lat)s, %(lng)s) hors de France : ignorées")
                    % {"lat": latitude, "lng": longitude}
                )
    if near is not None:
        commune = near
        if by_address is not None and by_address != near:
            warnings.append(
                _(
                    "l'adresse (%(address)s) désigne %(named)s, mais les coordonnées sont à "
                    "%(commune)s : placé d'après les coordonnées"
                )
                % {"address": _address(row), "named": by_address.name, "commune": near.name}
            )
        elif by_address is None and (row.get("postcode") or row.get("city") or insee):
            warnings.append(
                _("adresse non reconnue (%(why)s) : placé d'après les coordonnées, à %(commune)s")
                % {"why": why, "commune": near.name}
            )
        point = (latitude, longitude)
        by = "coordinates"
    elif by_address is not None:
        commune = by_address
        point, why = check_point(commune, None, None)
        if point is None:
            return Placement(
                warnings=warnings, error=_("impossible à placer : %(why)s") % {"why": why}
            )
        by = "address"
    else:
        return Placement(warnings=warnings, error=_("impossible à placer : %(why)s") % {"why": why})
    code = clean_postcode(row.get("postcode"))
    return Placement(
        commune=commune,
        latitude=point[0],
        longitude=point[1],
        postcode=code if code in commune.postcode_list else "",
        by=by,
        warnings=warnings,
    )
