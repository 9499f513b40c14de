from importlib import import_module
from importlib.util import find_spec

from django.core.management.base import BaseCommand, CommandError

from hubs import demo as hubs_demo

# Apps whose ``demo`` module has a ``load()`` returning how many records it created,
# updated and left unchanged ({"created": n, "updated": n, "unchanged": n}),
# in dependency order (funding and events point at hubs).
DEMO_APPS = ["hubs", "funding", "events"]


class Command(BaseCommand):
    help = (
        "Load the demo data of the seed articles (idempotent: re-running updates what "
        "changed and leaves the rest alone)."
    )

    def handle(self, *args, **options):
        for app in DEMO_APPS:
            if find_spec(app) is None or find_spec(f"{app}.demo") is None:
                continue
            module = import_module(f"{app}.demo")
            try:
                counts = module.load()
            except hubs_demo.MissingTerritories as error:
                raise CommandError(str(error)) from error
            self.stdout.write(
                self.style.SUCCESS(
                    f"Démonstration « {app} » : {counts['created']} créés, "
                    f"{counts['updated']} mis à jour, {counts['unchanged']} inchangés."
                )
            )
