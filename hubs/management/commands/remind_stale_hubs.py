"""E-mail those responsible for stale listings (hubs/reminders.py).

    manage.py remind_stale_hubs [--months N] [--dry-run]

Published hubs neither updated nor confirmed exact for N months (``HUBS_STALE_MONTHS``,
6 by default): each person responsible gets one message listing theirs, each with a
« toujours exact » link and a link to edit it; nobody is asked about the same hub
twice within 25 days. ``--dry-run`` says who would be written to, and sends nothing.
Run it monthly from cron or a systemd timer (docs/operations.md). A message that
could not be sent makes the command end in error (cron mails it), after the others.
"""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from hubs import reminders


class Command(BaseCommand):
    help = "E-mail the people responsible for listings not updated for N months."

    def add_arguments(self, parser):
        parser.add_argument(
            "--months",
            type=int,
            default=None,
            help=f"stale after this many months (default HUBS_STALE_MONTHS: {settings.HUBS_STALE_MONTHS})",
        )
        parser.add_argument("--dry-run", action="store_true", help="say who, send nothing")

    def handle(self, *args, months=None, dry_run=False, **options):
        months = settings.HUBS_STALE_MONTHS if months is None else months
        if months < 1:
            raise CommandError("--months: at least 1.")
        summary = reminders.run(now=timezone.now(), months=months, dry_run=dry_run)
        verb = "would send" if dry_run else "sent"
        for reminder in summary.sent:
            names = ", ".join(hub.name for hub in reminder.hubs)
            self.stdout.write(f"{verb} to {reminder.recipient.email}: {names}")
        for hub in summary.unreached_hubs:
            self.stdout.write(f"nobody receives reminders about {hub.name} ({hub.commune.name})")
        self.stdout.write(
            f"{len(summary.sent)} recipient(s) {verb}, {summary.hubs} hub(s) asked about; "
            f"{summary.stale_hubs} published hub(s) not updated for {months} month(s)"
            + (" (dry run: nothing sent)" if dry_run else "")
        )
        if summary.failed:
            for reminder, error in summary.failed:
                self.stderr.write(f"not sent to {reminder.recipient.email}: {error}")
            raise CommandError(f"{len(summary.failed)} message(s) could not be sent.")
