"""SIRET numbers: the establishment's number in INSEE's SIRENE directory.

Fourteen digits: the company's SIREN (9) and the establishment's NIC (5). The
last digit is a Luhn check digit over the fourteen, except for La Poste (SIREN
356000000), which has more establishments than the scheme allows: INSEE numbers
them so that the sum of the fourteen digits is a multiple of 5 instead.
"""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

LA_POSTE_SIREN = "356000000"

#: What the national schema's ``pivot`` holds when a place has no SIRET (nor RNA).
UNKNOWN_PIVOT = "00000000000000"


def luhn_ok(digits: str) -> bool:
    """The Luhn checksum (ISO/IEC 7812-1) of a string of digits is 0."""
    total = 0
    for position, char in enumerate(reversed(digits)):
        value = int(char)
        if position % 2:  # every second digit from the right is doubled
            value *= 2
            if value > 9:
                value -= 9
        total += value
    return total % 10 == 0


def is_valid_siret(value: str) -> bool:
    if not re.fullmatch(r"[0-9]{14}", value or ""):
        return False
    if luhn_ok(value):
        return True
    return value.startswith(LA_POSTE_SIREN) and sum(map(int, value)) % 5 == 0


def validate_siret(value: str) -> None:
    """The model field's validator: blank, or fourteen digits with a right checksum."""
    if not value:
        return
    if not re.fullmatch(r"[0-9]{14}", value):
        raise ValidationError(
            _("Un SIRET s'écrit avec 14 chiffres, sans espace (ex. 43493312300029)."),
            code="siret_format",
        )
    if not is_valid_siret(value):
        raise ValidationError(
            _(
                "Ce SIRET n'existe pas (sa clé de contrôle est fausse) : vérifiez-le sur "
                "annuaire-entreprises.data.gouv.fr."
            ),
            code="siret_checksum",
        )


def clean_siret(value: str) -> str:
    """A SIRET as people type it (« 434 933 123 00029 ») reduced to its digits."""
    return re.sub(r"[\s.\-]", "", value or "")


def format_siret(value: str) -> str:
    """« 434 933 123 00029 »: SIREN in groups of three, then the NIC."""
    if not re.fullmatch(r"[0-9]{14}", value or ""):
        return value or ""
    return f"{value[0:3]} {value[3:6]} {value[6:9]} {value[9:]}"
