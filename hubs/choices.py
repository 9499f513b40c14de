"""Fixed lists a hub picks from: what the national schema of digital inclusion
places (« lieux de médiation numérique ») enumerates and a resident asks anyway.

Stored as short English codes, shown in French through gettext; the schema's own
words for each code are in ``hubs/national_schema.py`` (one table, both ways).
"""

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.deconstruct import deconstructible
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _


class Itinerance(models.TextChoices):
    FIXED = "fixed", _("lieu fixe")
    ITINERANT = "itinerant", _("itinérant (bus, camion, permanences mobiles)")
    BOTH = "both", _("lieu fixe et itinérant")


class Service(models.TextChoices):
    ADMIN_PROCEDURES = "admin_procedures", _("aide aux démarches administratives")
    EVERYDAY_TOOLS = "everyday_tools", _("maîtrise des outils numériques du quotidien")
    EMPLOYMENT = "employment", _("insertion professionnelle via le numérique")
    SAFE_USE = "safe_use", _("utilisation sécurisée du numérique")
    PARENTING = "parenting", _("parentalité et éducation avec le numérique")
    LEISURE = "leisure", _("loisirs et créations numériques")
    UNDERSTANDING = "understanding", _("compréhension du monde numérique")
    INTERNET_ACCESS = "internet_access", _("accès à internet et à du matériel informatique")
    AFFORDABLE_EQUIPMENT = (
        "affordable_equipment",
        _("achat de matériel informatique à prix solidaire"),
    )


class SupportMode(models.TextChoices):
    AUTONOMOUS = "autonomous", _("en autonomie")
    INDIVIDUAL = "individual", _("accompagnement individuel")
    GROUP = "group", _("ateliers collectifs")
    REMOTE = "remote", _("à distance (téléphone, visioconférence)")


class SpecificSupport(models.TextChoices):
    DEAFNESS = "deafness", _("surdité")
    MOTOR = "motor", _("handicaps moteurs")
    MENTAL = "mental", _("handicaps mentaux")
    VISUAL = "visual", _("déficience visuelle")
    ILLITERACY = "illiteracy", _("illettrisme")
    ENGLISH = "english", _("langues étrangères (anglais)")
    OTHER_LANGUAGES = "other_languages", _("langues étrangères (autres)")


class NationalProgramme(models.TextChoices):
    AIDANTS_CONNECT = "aidants_connect", "Aidants Connect"
    BNR = "bnr", _("Bibliothèque numérique de référence")
    PIX = "pix", _("Certification Pix")
    CONSEILLERS_NUMERIQUES = "conseillers_numeriques", _("Conseillers numériques")
    EMMAUS_CONNECT = "emmaus_connect", "Emmaüs Connect"
    FRANCE_SERVICES = "france_services", "France Services"
    GRANDE_ECOLE_NUMERIQUE = "grande_ecole_numerique", _("Grande École du Numérique")
    CROIX_ROUGE = "croix_rouge", _("Croix-Rouge française")
    CAF = "caf", _("Point d'accès numérique CAF")
    PROMENEURS_DU_NET = "promeneurs_du_net", _("Promeneurs du Net")
    RELAIS_EMMAUS_CONNECT = "relais_emmaus_connect", _("Relais numérique (Emmaüs Connect)")


@deconstructible
class ChoiceListValidator:
    """A JSON list holding only values of ``choices`` (a ``TextChoices``), each once."""

    message = _("Valeur inconnue dans la liste : choisissez parmi les cases proposées.")
    code = "choice_list"

    def __init__(self, choices):
        self.choices = choices

    def __call__(self, value):
        allowed = set(self.choices.values)
        if (
            not isinstance(value, list)
            or not all(isinstance(item, str) and item in allowed for item in value)
            or len(set(value)) != len(value)
        ):
            raise ValidationError(self.message, code=self.code)

    def __eq__(self, other):
        return isinstance(other, ChoiceListValidator) and other.choices is self.choices


def checkbox_list_field(model, name: str, choices) -> forms.TypedMultipleChoiceField:
    """The form field of a JSON list of ``choices`` (``ChoiceListValidator``): boxes to
    tick, labelled and explained like the model field ``name``."""
    field = model._meta.get_field(name)
    return forms.TypedMultipleChoiceField(
        label=capfirst(field.verbose_name),
        help_text=field.help_text,
        choices=choices.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
