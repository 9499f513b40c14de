"""Fill a benchmark database with realistic national data: hubs, funding and events.

    python bench/generate.py                      # SQLite file bench/bench.sqlite3
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/hubs_bench python bench/generate.py

Options: --hubs 10000 --lines 100000 --events 20000 --seed 42. Then run
``bench/run.py`` on the same database.

What it makes (``bench/data.py``), over every commune of France (loaded first if
the database has none):

- hubs in communes drawn with a weight of population^0.8 (large cities have more
  hubs, rural communes some), one to three kinds, equipment, audiences, labels,
  a parent hub now and then, yearly indicators for a quarter of them; 5 % are
  drafts or archived;
- operations of 1 to 6 financing lines (``--lines`` in all) for 70 % of the hubs,
  over ten funders covering every funder category; three quarters with a known
  total cost; lines with an amount, a share or both, share-only lines of unknown
  totals (amount unknown), 10 % only requested; the database triggers (shares
  ≤ 100 %, amounts ≤ total) hold;
- events from 18 months ago to 18 months ahead, two thirds at a published hub,
  one third at a venue of their own (a commune drawn by population).

Idempotent-ish: it first deletes the rows it generated before (hubs and events
whose slug starts with ``gen-``, their operations, lines and links), and
nothing else, then generates again, all in one transaction, and runs ANALYZE
(VACUUM ANALYZE on PostgreSQL, for the rows a regeneration deleted).
The database named by DATABASE_URL is filled with generated data: never point
it at a database you care about.
"""

import argparse
import random
import time

from common import analyze, configure, setup_django

configure("bench.sqlite3")

PREFIX = "gen-"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--hubs", type=int, default=10_000)
    parser.add_argument("--lines", type=int, default=100_000, help="financing lines")
    parser.add_argument("--events", type=int, default=20_000)
    parser.add_argument("--seed", type=int, default=42)
    args = parser.parse_args()

    started = time.perf_counter()
    setup_django()
    from data import (
        Places,
        delete_generated,
        ensure_funders,
        generate_events,
        generate_funding,
        generate_hubs,
    )
    from django.db import connection, transaction

    print(f"database: {connection.vendor} {connection.settings_dict['NAME']}")
    print(f"set-up (migrations, communes): {time.perf_counter() - started:.1f} s")
    rng = random.Random(args.seed)
    steps = []

    def step(label, since):
        now = time.perf_counter()
        steps.append(f"{label} {now - since:.1f} s")
        return now

    t0 = t = time.perf_counter()
    with transaction.atomic():
        delete_generated(PREFIX)
        t = step("delete", t)
        places = Places.load()
        funders = ensure_funders()
        hubs = generate_hubs(rng, args.hubs, PREFIX, places)
        t = step("hubs", t)
        operations, lines = generate_funding(rng, hubs, args.lines, funders)
        t = step("funding", t)
        events = generate_events(rng, args.events, PREFIX, hubs, places)
        t = step("events", t)
    t = step("commit", t)
    analyze(vacuum=True)
    step("analyze", t)
    published = sum(hub.publication == "published" for hub in hubs)
    print(
        f"generated {len(hubs)} hubs ({published} published), {len(operations)} operations, "
        f"{len(lines)} financing lines, {len(events)} events "
        f"in {time.perf_counter() - t0:.1f} s ({', '.join(steps)})"
    )


if __name__ == "__main__":
    main()
