"""What the benchmark scripts share: environment, Django set-up, timing an URL."""

import os
import statistics
import sys
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def configure(sqlite_file: str) -> None:
    """Settings for a benchmark run; SQLite file in bench/ unless DATABASE_URL is set."""
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("DJANGO_DEBUG", "false")
    os.environ.setdefault("DJANGO_ALLOW_INSECURE_KEY", "true")
    os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "testserver")
    os.environ.setdefault("DJANGO_SSL_REDIRECT", "false")  # the test client speaks HTTP
    os.environ.setdefault("DJANGO_STATIC_MANIFEST", "false")  # no collectstatic for a bench
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{ROOT / 'bench' / sqlite_file}")
    # Generating and analysing 100,000 rows may take longer than a web request's
    # statement limit (30 s on PostgreSQL): none for a benchmark run.
    os.environ.setdefault("DATABASE_STATEMENT_TIMEOUT", "0")


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


@dataclass
class Timing:
    """What GET ``url`` costs: server times (ms), SQL queries and the last response."""

    url: str
    timings: list[float]
    queries: int
    response: object

    @property
    def p50(self) -> float:
        return statistics.median(self.timings)

    @property
    def p95(self) -> float:
        """Nearest rank: with 15 runs, the 14th fastest."""
        ordered = sorted(self.timings)
        return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def time_get(client, url: str, runs: int, status=200, before=None, headers=None) -> Timing:
    """GET ``url`` once to warm up and count its SQL queries, then ``runs`` timed times.

    The timed requests run without query capture (it costs a little); ``before``
    is called before each request, outside the timing (e.g. ``cache.clear``).
    """
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    headers = headers or {}
    if before:
        before()
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, headers=headers)
    queries = len(captured)  # now: the next request empties the log it reads
    assert response.status_code == status, (url, response.status_code)
    timings = []
    for _ in range(runs):
        if before:
            before()
        started = time.perf_counter()
        response = client.get(url, headers=headers)
        timings.append((time.perf_counter() - started) * 1000)
        assert response.status_code == status, (url, response.status_code)
    return Timing(url, timings, queries, response)


def measure(client, url: str, runs: int, width: int = 60, **options) -> Timing:
    """Print p50/p95 server time, SQL queries and payload size of GET ``url``.

    ``options`` go to ``time_get`` (``before``, ``headers``, ``status``).
    """
    timing = time_get(client, url, runs, **options)
    print(
        f"{url:{width}} p50 {timing.p50:7.1f} ms  p95 {timing.p95:7.1f} ms  "
        f"{timing.queries:3d} queries  {len(timing.response.content) / 1024:8.1f} KiB"
    )
    return timing


def analyze(vacuum: bool = False) -> None:
    """Refresh the planner's statistics after a bulk load, as autovacuum would in production.

    Without it PostgreSQL plans for the empty tables it last saw (nested loops over
    thousands of rows) and SQLite has no statistics at all. With ``vacuum``,
    PostgreSQL also reclaims the rows a regeneration deleted (VACUUM cannot run
    in a transaction: call it outside ``atomic()``).
    """
    from django.db import connection

    with connection.cursor() as cursor:
        if vacuum and connection.vendor == "postgresql":
            cursor.execute("VACUUM (ANALYZE)")
        else:
            cursor.execute("ANALYZE")
