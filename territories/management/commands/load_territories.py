import sys
import time

from django.core.management.base import BaseCommand

from territories.loader import DATA_FILE, load_reference, read_reference
from territories.models import Commune


class Command(BaseCommand):
    help = "Load (or update) régions, départements, EPCI and communes of France."

    def add_arguments(self, parser):
        parser.add_argument(
            "--departements",
            nargs="+",
            metavar="CODE",
            help="Only these départements (e.g. 59 62 69): faster, for tests and demos.",
        )
        parser.add_argument("--file", default=str(DATA_FILE), help="Reference file to read.")
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Do nothing when communes are already loaded (fast re-runs of make run).",
        )

    def handle(self, *args, **options):
        if options["if_empty"] and Commune.objects.exists():
            self.stdout.write("Territoires déjà chargés : rien à faire.")
            return
        started = time.monotonic()
        data = read_reference(options["file"])
        interactive = self.stdout.isatty() if hasattr(self.stdout, "isatty") else False

        def progress(label, done, total):
            line = f"  {label}: {done}/{total}"
            if interactive:
                sys.stdout.write(f"\r{line}")
                if done == total:
                    sys.stdout.write("\n")
                sys.stdout.flush()
            elif done == total:
                self.stdout.write(line)

        counts = load_reference(data, options["departements"], progress)
        elapsed = time.monotonic() - started
        labels = {"regions": "régions", "departements": "départements", "epcis": "EPCI"}
        summary = ", ".join(f"{count} {labels.get(name, name)}" for name, count in counts.items())
        self.stdout.write(
            self.style.SUCCESS(f"Territoires chargés en {elapsed:.1f} s : {summary}.")
        )
