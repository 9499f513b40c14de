"""What the benchmark scripts share: environment, Django set-up, timing an URL."""

import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def configure(sqlite_file: str) -> None:
    """Settings for a benchmark run; SQLite file in bench/ unless DATABASE_URL is set."""
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("DJANGO_DEBUG", "false")
    os.environ.setdefault("DJANGO_ALLOW_INSECURE_KEY", "true")
    os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "testserver")
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{ROOT / 'bench' / sqlite_file}")


def setup_django() -> None:
    """Start Django, migrate, and load every commune of France if none is there."""
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from territories.loader import load_reference, read_reference
    from territories.models import Commune

    if not Commune.objects.exists():
        load_reference(read_reference())


def measure(client, url: str, runs: int, width: int = 60) -> None:
    """Print p50/p95 server time, SQL queries and payload size of GET ``url``."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    timings = []
    for _ in range(runs):
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            response = client.get(url)
            timings.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    timings.sort()
    p95 = timings[min(len(timings) - 1, round(0.95 * (len(timings) - 1)))]
    print(
        f"{url:{width}} p50 {statistics.median(timings):7.1f} ms  p95 {p95:7.1f} ms  "
        f"{len(queries.captured_queries):3d} queries  {len(response.content) / 1024:8.1f} KiB"
    )


def analyze() -> None:
    """Refresh the planner's statistics after a bulk load, as autovacuum would in production.

    Without it PostgreSQL plans for the empty tables it last saw (nested loops over
    thousands of rows) and SQLite has no statistics at all.
    """
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def communes_with_points() -> list[tuple[str, float, float]]:
    """(INSEE code, latitude, longitude) of every commune that has a point."""
    from territories.models import Commune

    return list(
        Commune.objects.exclude(latitude=None).values_list("insee", "latitude", "longitude")
    )


def generate_hubs(rng, count: int, prefix: str, communes) -> list:
    """``count`` published hubs near random communes, one random kind each.

    Slugs are ``{prefix}{i}``: each benchmark deletes only its own hubs.
    """
    from hubs.models import Hub, HubKind

    kinds = list(HubKind.objects.all())
    hubs = Hub.objects.bulk_create(
        [
            Hub(
                name=f"Lieu de test {i}",
                slug=f"{prefix}{i}",
                summary="Lieu généré pour le banc d'essai.",
                commune_id=(c := rng.choice(communes))[0],
                latitude=c[1] + rng.uniform(-0.01, 0.01),
                longitude=c[2] + rng.uniform(-0.01, 0.01),
                publication="published",
            )
            for i in range(count)
        ],
        batch_size=2000,
    )
    through = Hub.kinds.through
    through.objects.bulk_create(
        [through(hub_id=hub.pk, hubkind_id=rng.choice(kinds).pk) for hub in hubs],
        batch_size=5000,
    )
    return hubs
