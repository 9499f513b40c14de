"""Create the back-office roles, and optionally give one to an account.

manage.py setup_roles
manage.py setup_roles --user camille --role editor --epci 200043396
manage.py setup_roles --user dominique --role viewer
"""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from backoffice.models import TerritoryScope
from backoffice.roles import EDITOR, GROUP_NAMES, ensure_roles
from territories.models import EPCI, Departement, Region


class Command(BaseCommand):
    help = "Crée les rôles du back-office (groupes) et, au besoin, en attribue un à un compte."

    def add_arguments(self, parser):
        parser.add_argument("--user", help="Identifiant du compte (il devient membre de l'équipe).")
        parser.add_argument("--role", choices=sorted(GROUP_NAMES), help="Rôle à attribuer.")
        parser.add_argument("--epci", action="append", default=[], help="SIREN d'un EPCI.")
        parser.add_argument("--departement", action="append", default=[], help="Code.")
        parser.add_argument("--region", action="append", default=[], help="Code INSEE.")

    @transaction.atomic
    def handle(self, *args, **options):
        groups = ensure_roles(verbosity=options["verbosity"], stdout=self.stdout)
        username, role = options["user"], options["role"]
        territories = options["epci"] + options["departement"] + options["region"]
        if not username:
            if role or territories:
                raise CommandError("--role et les territoires demandent --user.")
            return
        if not role:
            raise CommandError("Précisez --role (editor, regional_admin ou viewer).")
        if role == EDITOR and not territories:
            raise CommandError(
                "Un éditeur a besoin d'au moins un territoire (--epci, --departement ou --region)."
            )
        try:
            user = get_user_model().objects.get(username=username)
        except get_user_model().DoesNotExist as exc:
            raise CommandError(
                f"Aucun compte « {username} » (créez-le avec createsuperuser ou dans l'admin)."
            ) from exc

        scopes = []
        for model, field, codes in (
            (EPCI, "epci", options["epci"]),
            (Departement, "departement", options["departement"]),
            (Region, "region", options["region"]),
        ):
            for code in codes:
                territory = model.objects.filter(pk=code).first()
                if territory is None:
                    raise CommandError(
                        f"{field} « {code} » inconnu (chargez les territoires : load_territories)."
                    )
                scopes.append({field: territory})

        user.is_staff = True
        user.save(update_fields=["is_staff"])
        user.groups.remove(*groups.values())
        user.groups.add(groups[role])
        for scope in scopes:
            TerritoryScope.objects.get_or_create(user=user, **scope)
        self.stdout.write(
            self.style.SUCCESS(
                f"{username} : {GROUP_NAMES[role]}"
                + (f" — {', '.join(str(next(iter(s.values()))) for s in scopes)}" if scopes else "")
            )
        )
