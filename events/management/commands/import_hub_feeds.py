"""Import each hub's own iCalendar feed as draft events of that hub (events/feed_import.py).

    manage.py import_hub_feeds [--hub SLUG] [--dry-run]

Hubs with an « agenda iCalendar du lieu » (``Hub.ical_feed_url``), archived ones left
out. Per hub, one transaction and one summary line (created, updated, cancelled,
skipped, errors), then each skipped event with the admin form's reason. A feed that
cannot be used is reported on stderr and leaves its hub's events as they were; the
command ends in error when at least one feed failed (cron mails the output), after
importing the others. Run it nightly (docs/operations.md).
"""

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from events import feed_import
from hubs.models import Hub


class Command(BaseCommand):
    help = "Import each hub's iCalendar feed as draft events of that hub."

    def add_arguments(self, parser):
        parser.add_argument("--hub", metavar="SLUG", help="only this hub")
        parser.add_argument(
            "--dry-run", action="store_true", help="fetch, check, print; save nothing"
        )

    def handle(self, *args, hub=None, dry_run=False, **options):
        hubs = Hub.objects.exclude(ical_feed_url="").order_by("slug")
        if hub:
            hubs = Hub.objects.filter(slug=hub)
            if not hubs.exists():
                raise CommandError(f"no hub with the slug {hub!r}")
            if not hubs[0].ical_feed_url:
                raise CommandError(f"the hub {hub!r} has no iCalendar feed")
        else:
            hubs = hubs.exclude(publication=Hub.Publication.ARCHIVED)
        now = timezone.now()
        failed = []
        count = 0
        for item in hubs:
            count += 1
            report = feed_import.import_hub(item, now=now, dry_run=dry_run)
            self.stdout.write(report.line() + (" (dry run: nothing saved)" if dry_run else ""))
            for label, reason in report.skipped:
                self.stdout.write(f"  skipped {label}: {reason}")
            if report.error:
                failed.append(item.slug)
                self.stderr.write(f"  error {item.slug} ({item.ical_feed_url}): {report.error}")
        if not count:
            self.stdout.write("No hub has an iCalendar feed: nothing to import.")
        if failed:
            raise CommandError(f"{len(failed)} feed(s) failed: {', '.join(failed)}")
