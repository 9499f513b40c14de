"""Benchmark of the funding dashboard at scale.

Fills a database with HUBS hubs spread over French communes, each with
operations and financing lines (LINES in all), then times /funding/ and
/api/v1/funding.csv with Django's test client and prints p50/p95, the number
of SQL queries and the payload size.

    python bench/funding_bench.py                      # SQLite file bench/bench.sqlite3
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/hubs_bench python bench/funding_bench.py

Options: --hubs 10000 --lines 100000 --runs 15 --keep (reuse existing data).
The database named by DATABASE_URL is filled with generated data: never point
it at a database you care about.
"""

import argparse
import random
import time
from decimal import Decimal

from common import (
    analyze,
    communes_with_points,
    configure,
    generate_hubs,
    measure,
    setup_django,
)

configure("bench.sqlite3")


def generate(hub_count: int, line_count: int, seed: int = 42):
    from django.db import transaction

    from funding.models import FinancingLine, FundedOperation, Funder
    from hubs.models import Hub

    rng = random.Random(seed)
    FinancingLine.objects.all().delete()
    FundedOperation.objects.all().delete()
    Hub.objects.filter(slug__startswith="bench-funding-").delete()
    communes = communes_with_points()
    funders = []
    for slug, name, category in [
        ("bench-feder", "FEDER", "eu_fund"),
        ("bench-fse", "FSE", "eu_fund"),
        ("bench-etat", "État", "state"),
        ("bench-region", "Région", "region"),
        ("bench-dep", "Département", "departement"),
        ("bench-epci", "Agglomération", "epci"),
        ("bench-commune", "Commune", "commune"),
        ("bench-cci", "CCI", "chamber"),
    ]:
        funders.append(
            Funder.objects.update_or_create(
                slug=slug, defaults={"name": f"{name} (bench)", "category": category}
            )[0]
        )
    started = time.perf_counter()
    with transaction.atomic():
        hubs = generate_hubs(rng, hub_count, "bench-funding-", communes)
        per_operation = 4
        operations = FundedOperation.objects.bulk_create(
            [
                FundedOperation(
                    hub=rng.choice(hubs),
                    title=f"Opération {i}",
                    purpose=rng.choice(["investment", "equipment", "running", "training"]),
                    total_cost=Decimal(rng.randrange(10_000, 2_000_000))
                    if rng.random() < 0.8
                    else None,
                    start_date=f"{rng.randrange(2014, 2026)}-01-01",
                )
                for i in range(line_count // per_operation)
            ],
            batch_size=2000,
        )
        lines = []
        for operation in operations:
            chosen = rng.sample(funders, per_operation)
            shares = [Decimal(25)] * per_operation
            for funder, share in zip(chosen, shares, strict=True):
                with_amount = operation.total_cost is not None and rng.random() < 0.5
                lines.append(
                    FinancingLine(
                        operation=operation,
                        funder=funder,
                        share=share,
                        amount=(operation.total_cost * share / 100) if with_amount else None,
                        status=rng.choice(["granted", "paid", "paid", "requested"]),
                    )
                )
        FinancingLine.objects.bulk_create(lines, batch_size=5000)
    print(
        f"generated {len(hubs)} hubs, {len(operations)} operations, {len(lines)} lines "
        f"in {time.perf_counter() - started:.1f} s"
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--hubs", type=int, default=10_000)
    parser.add_argument("--lines", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--keep", action="store_true", help="reuse the data already generated")
    args = parser.parse_args()
    setup_django()
    from django.db import connection
    from django.test import Client

    from funding.models import FinancingLine

    if not args.keep or not FinancingLine.objects.exists():
        generate(args.hubs, args.lines)
    analyze()  # fresh planner statistics, generated or not
    print(f"database: {connection.vendor}, {FinancingLine.objects.count()} financing lines")
    client = Client()
    for url in (
        "/funding/",
        "/funding/?territory=epci:245901160",
        "/funding/?territory=region:84&year_from=2018",
        "/funding/?category=eu_fund",
        "/api/v1/funding.csv?territory=dep:59",
    ):
        measure(client, url, args.runs, width=55)


if __name__ == "__main__":
    main()
