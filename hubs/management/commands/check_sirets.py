"""Look up each published hub's SIRET in the public company directory (hubs/sirene.py).

    manage.py check_sirets [--only-stale DAYS] [--limit N] [--dry-run]

One request per SIRET, spaced by ``SIRENE_DELAY`` seconds; each hub gets its
finding (active, closed with the date, not found, unknown) and the time of the
check. A closed establishment is flagged for staff (the hub admin's filter and
form, the admin home's to-do), never unpublished. A request that fails (network,
timeout, 429, 5xx, garbled answer) leaves its hub as it was and the run goes on;
the command ends in error only when every request failed. ``SIRENE_API_URL``
empty: the check is off, the command says so and ends normally. Run it monthly
(docs/operations.md).
"""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from hubs import sirene


class Command(BaseCommand):
    help = "Check each published hub's SIRET in the public company directory."

    def add_arguments(self, parser):
        parser.add_argument(
            "--only-stale",
            type=int,
            metavar="DAYS",
            default=None,
            help="only hubs never checked or not checked for DAYS days",
        )
        parser.add_argument(
            "--limit", type=int, default=None, help="at most N hubs, the longest unchecked first"
        )
        parser.add_argument("--dry-run", action="store_true", help="ask, print, save nothing")

    def handle(self, *args, only_stale=None, limit=None, dry_run=False, **options):
        if only_stale is not None and only_stale < 0:
            raise CommandError("--only-stale: 0 days or more.")
        if limit is not None and limit < 1:
            raise CommandError("--limit: at least 1.")
        if not sirene.is_enabled():
            self.stdout.write("SIRENE_API_URL is empty: the SIRET check is off, nothing done.")
            return
        now = timezone.now()
        hubs = sirene.hubs_to_check(now=now, stale_days=only_stale, limit=limit)
        summary = sirene.check(hubs, now=now, dry_run=dry_run)

        for hub, finding in summary.closed:
            since = f" since {finding.closed_on.isoformat()}" if finding.closed_on else ""
            self.stdout.write(
                f"closed{since}: {hub.name} (SIRET {hub.siret}, {hub.get_absolute_url()})"
            )
        for hub in summary.not_found:
            self.stdout.write(
                f"not found: {hub.name} (SIRET {hub.siret}, {hub.get_absolute_url()})"
            )
        for hub, error in summary.errors:
            self.stderr.write(f"error: {hub.name} (SIRET {hub.siret}): {error}")
        counts = summary.counts
        self.stdout.write(
            f"{summary.checked} hub(s) checked: {counts['active']} active, "
            f"{counts['closed']} closed, {counts['not_found']} not found, "
            f"{counts['unknown']} unknown, {len(summary.errors)} error(s)"
            + (" (dry run: nothing saved)" if dry_run else "")
        )
        if summary.all_failed:
            raise CommandError(
                f"every lookup failed ({summary.checked}): is {settings.SIRENE_API_URL} reachable?"
            )
