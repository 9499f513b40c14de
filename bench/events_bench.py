"""Benchmark of the agenda and its feeds at scale (20,000 events by default).

Fills a database with HUBS generated hubs spread over French communes and
EVENTS events (two thirds at a hub, one third at their own venue; spread from
a year ago to two years ahead), then times /events/, the month view, the event
page, /api/v1/events.ics and /api/v1/events.geojson with Django's test client
and prints p50/p95, the number of SQL queries and the payload size.

    python bench/events_bench.py                      # SQLite file bench/events_bench.sqlite3
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/hubs_bench python bench/events_bench.py

Options: --events 20000 --hubs 2000 --runs 15 --keep (reuse existing data).
The database named by DATABASE_URL is filled with generated data: never point
it at a database you care about. Not part of the test suite.
"""

import argparse
import datetime
import random
import time

from common import (
    analyze,
    communes_with_points,
    configure,
    generate_hubs,
    measure,
    setup_django,
)

configure("events_bench.sqlite3")


def generate(hub_count: int, event_count: int, seed: int = 42):
    from django.db import transaction
    from django.utils import timezone

    from events.models import Event
    from hubs.models import Hub
    from territories.text import normalize

    rng = random.Random(seed)
    Event.objects.filter(slug__startswith="bench-").delete()
    Hub.objects.filter(slug__startswith="bench-events-").delete()
    communes = communes_with_points()
    started = time.perf_counter()
    with transaction.atomic():
        hubs = generate_hubs(rng, hub_count, "bench-events-", communes)
        now = timezone.now().replace(minute=0, second=0, microsecond=0)
        rows = []
        for i in range(event_count):
            start = now + datetime.timedelta(hours=rng.randrange(-365 * 24, 730 * 24))
            at_hub = rng.random() < 2 / 3
            commune = None if at_hub else rng.choice(communes)
            title = f"{rng.choice(['Atelier', 'Formation', 'Forum', 'Meetup', 'Open lab'])} {i}"
            rows.append(
                Event(
                    title=title,
                    slug=f"bench-{i}",
                    kind=rng.choice(Event.Kind.values),
                    summary="Événement généré pour le banc d'essai.",
                    hub=rng.choice(hubs) if at_hub else None,
                    commune_id=commune[0] if commune else None,
                    latitude=commune[1] if commune else None,
                    longitude=commune[2] if commune else None,
                    start=start,
                    end=start + datetime.timedelta(hours=rng.choice([1, 2, 3, 8, 50])),
                    is_free=rng.random() < 0.6,
                    status=rng.choice(["scheduled"] * 8 + ["cancelled", "full", "postponed"]),
                    publication="published",
                    search_text=f" {normalize(title)} ",
                )
            )
        Event.objects.bulk_create(rows, batch_size=2000)
    print(
        f"generated {len(hubs)} hubs and {len(rows)} events in {time.perf_counter() - started:.1f} s"
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=20_000)
    parser.add_argument("--hubs", type=int, default=2_000)
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--keep", action="store_true", help="reuse the data already generated")
    args = parser.parse_args()
    setup_django()
    from django.db import connection
    from django.test import Client
    from django.utils import timezone

    from events.models import Event

    if not args.keep or not Event.objects.filter(slug__startswith="bench-").exists():
        generate(args.hubs, args.events)
    analyze()  # fresh planner statistics, generated or not
    upcoming = Event.objects.published().upcoming().count()
    print(f"database: {connection.vendor}, {Event.objects.count()} events ({upcoming} upcoming)")
    today = timezone.localdate()
    client = Client()
    for url in (
        "/events/",
        "/events/?page=50",
        "/events/?kind=atelier&territory=dep:59",
        "/events/?near=50.3579,3.5234&radius_km=50",
        f"/events/month/{today.year}/{today.month}/",
        "/events/bench-1/",
        "/api/v1/events.ics",
        "/api/v1/events.ics?territory=region:32",
        "/hubs/bench-events-1/events.ics",
        "/api/v1/events.geojson",
        "/api/v1/events.geojson?bbox=2.5,50,4,51",
    ):
        measure(client, url, args.runs, width=62)


if __name__ == "__main__":
    main()
