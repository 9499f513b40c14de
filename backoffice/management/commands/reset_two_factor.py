"""Remove an account's second factor (its app and recovery codes), for a lost phone.

manage.py reset_two_factor camille

At the next login the account sets up a new app if its role requires one.
"""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from backoffice import two_factor


class Command(BaseCommand):
    help = (
        "Retire la double authentification d'un compte (téléphone perdu, plus de code de secours)."
    )

    def add_arguments(self, parser):
        parser.add_argument("username", help="Identifiant du compte.")

    def handle(self, *args, **options):
        User = get_user_model()
        try:
            user = User.objects.get_by_natural_key(options["username"])
        except User.DoesNotExist:
            raise CommandError(f"Aucun compte « {options['username']} ».") from None
        two_factor.reset(user)
        then = (
            "il la configurera à sa prochaine connexion"
            if two_factor.is_required(user)
            else "elle n'est plus demandée"
        )
        self.stdout.write(f"{user.get_username()} : double authentification retirée ; {then}.")
