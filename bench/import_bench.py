"""Benchmark of the hub import (the admin's and ``import_hubs``'s per-row path).

Builds a CSV of ROWS new hubs in the hub template's columns (communes drawn from
the communes of France, two kinds each), then times
``HubResource().import_data`` twice: a dry run (the admin's preview) and the real
import, and prints rows per second and milliseconds per row. The imported hubs
(``bench-import-…``) are deleted before and after.

    python bench/import_bench.py                      # SQLite file bench/import_bench.sqlite3
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/hubs_bench python bench/import_bench.py

Options: --rows 1000. Not part of the test suite: the tests import a few hundred
rows to check behaviour, this script measures speed.

``--national`` times the national-schema import instead (``hubs.imports.run``):
ROWS records of ``standards/mediation-numerique`` columns (a third with coordinates,
a third with a postcode and city only, a third with an INSEE code; `|` lists),
read from their JSON as ``import_hubs`` reads a file, then imported twice by the
bulk path (``--per-row``: one record at a time): the first run creates them, the
second must change nothing; then the process's peak memory. The hubs (source
``bench-national``) are deleted before and after.
"""

import argparse
import csv
import io
import random
import time

from common import configure, setup_django

configure("import_bench.sqlite3")

PREFIX = "bench-import-"


def rows_csv(count: int, insee_codes: list[str], seed: int = 42) -> str:
    rng = random.Random(seed)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["slug", "name", "kinds", "summary", "commune", "latitude", "longitude"])
    for number in range(1, count + 1):
        writer.writerow(
            [
                f"{PREFIX}{number}",
                f"Lieu importé {number}",
                "fablab, coworking",
                "Un lieu importé pour mesurer la vitesse de l'import.",
                rng.choice(insee_codes),
                "",
                "",
            ]
        )
    return out.getvalue()


NATIONAL_SOURCE = "bench-national"


def national_records(count: int, communes: list, seed: int = 42) -> list[dict]:
    """``count`` national-schema records in ``communes`` ((insee, name, postcode, lat, lng))."""
    rng = random.Random(seed)
    records = []
    for number in range(1, count + 1):
        insee, name, postcode, lat, lng = rng.choice(communes)
        record = {
            "id": f"lieu-{number}",
            "source": NATIONAL_SOURCE,
            "nom": f"Lieu national {number}",
            "adresse": f"{number} rue de la République",
            "typologie": rng.choice(["EPN", "TIERS_LIEUX|ASSO", "FABLAB", "MUNI"]),
            "services": "Aide aux démarches administratives|Loisirs et créations numériques",
            "publics_specifiquement_adresses": "Jeunes|Seniors",
            "modalites_accompagnement": "En autonomie|Dans un atelier collectif",
            "frais_a_charge": "Gratuit",
            "horaires": "Mo-Fr 09:00-12:00,14:00-18:00",
            "courriels": f"contact{number}@exemple.fr",
            "date_maj": "2024-04-02",
        }
        kind = number % 3
        if kind == 0:  # coordinates (a few hundred metres from the town hall) and address
            record.update(
                latitude=round(lat + rng.uniform(-0.003, 0.003), 6),
                longitude=round(lng + rng.uniform(-0.003, 0.003), 6),
                commune=name,
                code_postal=postcode,
            )
        elif kind == 1:  # postcode and city, in capitals
            record.update(commune=name.upper(), code_postal=postcode)
        else:  # INSEE code
            record.update(code_insee=insee, commune=name, code_postal=postcode)
        records.append(record)
    return records


def bench_national(rows: int, bulk: bool = True):
    import json
    import resource

    from backoffice.imports.limits import ImportLimits
    from hubs.imports.read import read
    from hubs.imports.run import import_records
    from hubs.models import Hub
    from territories.models import Commune

    def peak_mb():
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KB on Linux

    communes = [
        (c.insee, c.name, c.main_postcode, c.latitude, c.longitude)
        for c in Commune.objects.exclude(latitude=None).order_by("-population")[:2000]
    ]
    baseline = peak_mb()
    # As ``import_hubs`` reads it: the JSON file's bytes, within the command's caps.
    data = json.dumps(national_records(rows, communes), ensure_ascii=False).encode()
    started = time.perf_counter()
    records = read(data, ImportLimits.for_command()).records
    print(
        f"read        {rows} rows in {time.perf_counter() - started:6.2f} s  "
        f"({len(data) / 1e6:.1f} MB of JSON)"
    )
    Hub.objects.filter(external_id__startswith=f"{NATIONAL_SOURCE}:").delete()
    try:
        for label in ("first run", "second run"):
            started = time.perf_counter()
            report = import_records("national", records, file_name="bench.json", bulk=bulk)
            elapsed = time.perf_counter() - started
            print(
                f"{label:11} {rows} rows in {elapsed:6.1f} s  {rows / elapsed:6.0f} rows/s  "
                f"{1000 * elapsed / rows:5.2f} ms/row  created {len(report.created)}, "
                f"updated {len(report.updated)}, unchanged {len(report.unchanged)}, "
                f"refused {len(report.refused)}"
            )
        print(
            f"peak memory of the process: {peak_mb():.0f} MB "
            f"({baseline:.0f} MB before the file was made and read)"
        )
    finally:
        Hub.objects.filter(external_id__startswith=f"{NATIONAL_SOURCE}:").delete()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000)
    parser.add_argument("--national", action="store_true", help="the national-schema import")
    parser.add_argument(
        "--per-row", action="store_true", help="with --national: the per-row path (bulk=False)"
    )
    args = parser.parse_args()
    setup_django()
    if args.national:
        bench_national(args.rows, bulk=not args.per_row)
        return
    import tablib

    from hubs.models import Hub
    from hubs.resources import HubResource
    from territories.models import Commune

    codes = list(Commune.objects.order_by("-population").values_list("insee", flat=True)[:2000])
    text = rows_csv(args.rows, codes)
    Hub.objects.filter(slug__startswith=PREFIX).delete()
    try:
        for dry_run in (True, False):
            dataset = tablib.Dataset().load(text, format="csv")
            started = time.perf_counter()
            result = HubResource().import_data(dataset, dry_run=dry_run)
            elapsed = time.perf_counter() - started
            assert not result.has_errors() and not result.has_validation_errors()
            label = "dry run (preview)" if dry_run else "import"
            print(
                f"{label:18} {args.rows} rows in {elapsed:6.1f} s  "
                f"{args.rows / elapsed:6.0f} rows/s  {1000 * elapsed / args.rows:5.1f} ms/row"
            )
    finally:
        Hub.objects.filter(slug__startswith=PREFIX).delete()


if __name__ == "__main__":
    main()
