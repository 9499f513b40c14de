"""The four levels of territories, from a commune up, in one table.

Every drill-down (the funding dashboard's table per sub-territory, the coverage
table) and every « lies in this territory » filter reads its paths here:

- ``commune_path(level, via)``: the lookup from a row to the key of the territory
  of ``level`` that holds it, through its commune foreign key ``via`` (``""``
  when the row is a commune): ``commune_path("dep", "hub__commune")`` is
  ``"hub__commune__departement_id"``;
- ``below(level)``: the level one step down (France → régions → départements →
  EPCI → communes; a commune's own level is the commune) and its model.
"""

from .models import EPCI, Commune, Departement, Region

#: From a commune to the key of each territory that holds it.
FROM_COMMUNE = {
    "commune": "insee",
    "epci": "epci_id",
    "dep": "departement_id",
    "region": "departement__region_id",
}
MODELS = {"commune": Commune, "epci": EPCI, "dep": Departement, "region": Region}
#: The level a territory of each level is split into (``None``: the whole country).
_BELOW = {None: "region", "region": "dep", "dep": "epci", "epci": "commune", "commune": "commune"}


def commune_path(level: str, via: str = "") -> str:
    """The lookup to the ``level`` territory's key, through the commune foreign key ``via``."""
    if not via:
        return FROM_COMMUNE[level]
    if level == "commune":
        return f"{via}_id"  # the foreign key's own column, without a join
    return f"{via}__{FROM_COMMUNE[level]}"


def below(level: str | None) -> tuple[str, type]:
    """The level under ``level`` (``None``: France) and its model."""
    child = _BELOW[level]
    return child, MODELS[child]
