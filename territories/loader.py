"""Load the committed reference file of French territories into the database.

The file (``territories/data/france.json.gz``) is built by
``territories/data/build_territories.py``; see ``territories/data/SOURCES.md``.
Loading is an upsert: running it again updates names and points, and never
deletes a commune a hub may point to.
"""

import gzip
import json
from collections.abc import Callable, Iterable
from pathlib import Path

from django.db import transaction

from .models import EPCI, Commune, Departement, Region
from .text import normalize

DATA_FILE = Path(__file__).resolve().parent / "data" / "france.json.gz"
BATCH_SIZE = 2000


def read_reference(path: Path = DATA_FILE) -> dict:
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        return json.load(handle)


def _upsert(model, objects: list, fields: list[str], progress: Callable[[str, int, int], None]):
    total = len(objects)
    for start in range(0, total, BATCH_SIZE):
        batch = objects[start : start + BATCH_SIZE]
        model.objects.bulk_create(
            batch,
            update_conflicts=True,
            unique_fields=[model._meta.pk.name],
            update_fields=fields,
        )
        progress(model._meta.verbose_name_plural, min(start + BATCH_SIZE, total), total)


def load_reference(
    data: dict,
    departements: Iterable[str] | None = None,
    progress: Callable[[str, int, int], None] = lambda *args: None,
) -> dict[str, int]:
    """Upsert régions, départements, EPCI and communes; return the counts loaded.

    ``departements`` restricts the load to some départements (tests, demos).
    """
    wanted = {code.upper() for code in departements} if departements else None
    communes = [row for row in data["communes"] if wanted is None or row[2] in wanted]
    dep_rows = [row for row in data["departements"] if wanted is None or row[0] in wanted]
    region_codes = {row[2] for row in dep_rows}
    region_rows = [row for row in data["regions"] if row[0] in region_codes]
    epci_sirens = {row[3] for row in communes if row[3]}
    epci_rows = [row for row in data["epcis"] if row[0] in epci_sirens]

    with transaction.atomic():
        _upsert(
            Region,
            [Region(code=c, name=n, search_name=normalize(n)) for c, n in region_rows],
            ["name", "search_name"],
            progress,
        )
        _upsert(
            Departement,
            [
                Departement(code=c, name=n, search_name=normalize(n), region_id=r)
                for c, n, r in dep_rows
            ],
            ["name", "search_name", "region"],
            progress,
        )
        _upsert(
            EPCI,
            [EPCI(siren=s, name=n, search_name=normalize(n), kind=k) for s, n, k in epci_rows],
            ["name", "search_name", "kind"],
            progress,
        )
        _upsert(
            Commune,
            [
                Commune(
                    insee=insee,
                    name=name,
                    search_name=normalize(name),
                    departement_id=dep,
                    epci_id=epci,
                    postcodes=Commune.pack_postcodes(postcodes),
                    latitude=lat,
                    longitude=lng,
                    population=population,
                )
                for insee, name, dep, epci, postcodes, lat, lng, population in communes
            ],
            [
                "name",
                "search_name",
                "departement",
                "epci",
                "postcodes",
                "latitude",
                "longitude",
                "population",
            ],
            progress,
        )
    return {
        "regions": len(region_rows),
        "departements": len(dep_rows),
        "epcis": len(epci_rows),
        "communes": len(communes),
    }
