from django.core.management.base import BaseCommand, CommandError

from hubs import demo


class Command(BaseCommand):
    help = "Load the demo hubs of the seed articles (idempotent: re-running updates them)."

    def handle(self, *args, **options):
        try:
            counts = demo.load()
        except demo.MissingTerritories as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            self.style.SUCCESS(
                f"Lieux de démonstration : {counts['created']} créés, {counts['updated']} mis à jour."
            )
        )
