"""The names of the seeded vocabularies, for the translation catalog.

Kinds, equipment, audiences and labels are rows staff may rename or add to
(``hubs/migrations/0002_reference_vocabularies.py`` seeds them in French). They
are shown through ``Vocabulary.label``, which looks the stored name up in the
catalog: a seeded name gets its English translation, a renamed or new entry is
shown as typed. Keep this list in step with the seed migration (a test checks).
"""

from django.utils.translation import gettext_noop

SEEDED_NAMES = [
    # kinds
    gettext_noop("Fablab"),
    gettext_noop("Coworking"),
    gettext_noop("Pépinière d'entreprises"),
    gettext_noop("Incubateur / accélérateur"),
    gettext_noop("École du numérique"),
    gettext_noop("Tiers-lieu"),
    gettext_noop("Campus numérique"),
    gettext_noop("Maison du numérique"),
    gettext_noop("Pôle ou cluster numérique"),
    gettext_noop("Espace public numérique"),
    # equipment and services
    gettext_noop("Imprimantes 3D"),
    gettext_noop("Découpe laser"),
    gettext_noop("Électronique et robotique"),
    gettext_noop("Réalité virtuelle"),
    gettext_noop("Ordinateurs en libre accès"),
    gettext_noop("Postes de coworking"),
    gettext_noop("Bureaux privatifs"),
    gettext_noop("Salles de réunion"),
    gettext_noop("Fibre optique"),
    gettext_noop("Espaces de convivialité"),
    gettext_noop("Formations"),
    gettext_noop("Accompagnement de projets"),
    gettext_noop("Location de machines"),
    # audiences
    gettext_noop("Tout public"),
    gettext_noop("Jeunes de 18 à 26 ans"),
    gettext_noop("Demandeurs d'emploi"),
    gettext_noop("Étudiants"),
    gettext_noop("Porteurs de projet"),
    gettext_noop("Entreprises et start-up"),
    gettext_noop("Salariés en reconversion"),
    gettext_noop("Scolaires"),
    # labels and networks
    gettext_noop("French Tech"),
    gettext_noop("Grande École du Numérique"),
    gettext_noop("Fabrique de territoire"),
    gettext_noop("Réseau international des fablabs"),
]
