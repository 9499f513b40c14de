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


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000)
    args = parser.parse_args()
    setup_django()
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
