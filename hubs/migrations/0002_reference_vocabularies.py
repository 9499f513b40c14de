"""Reference vocabularies every installation starts with (editable in the admin)."""

from django.db import migrations

KINDS = [
    # slug, name, colour (contrast ≥ 4.5:1 with white), description
    (
        "fablab",
        "Fablab",
        "#b42318",
        "Atelier de fabrication numérique ouvert (imprimantes 3D, découpe laser…).",
    ),
    ("coworking", "Coworking", "#1d4ed8", "Bureaux partagés, à l'heure, à la journée ou au mois."),
    (
        "pepiniere",
        "Pépinière d'entreprises",
        "#7a2e9c",
        "Hébergement et accompagnement des jeunes entreprises.",
    ),
    ("incubateur", "Incubateur / accélérateur", "#9a3412", "Accompagnement intensif de start-up."),
    (
        "ecole",
        "École du numérique",
        "#047857",
        "Formations gratuites ou qualifiantes aux métiers du numérique (pop school…).",
    ),
    (
        "tiers-lieu",
        "Tiers-lieu",
        "#0e7490",
        "Lieu hybride de travail, de rencontre et d'activités.",
    ),
    (
        "campus",
        "Campus numérique",
        "#374151",
        "Formation initiale et continue, recherche et services aux entreprises.",
    ),
    (
        "maison-numerique",
        "Maison du numérique",
        "#a21caf",
        "Lieu de ressources et d'accompagnement au numérique pour un territoire.",
    ),
    (
        "pole-numerique",
        "Pôle ou cluster numérique",
        "#4338ca",
        "Réseau d'acteurs et plate-forme d'innovation.",
    ),
    (
        "epn",
        "Espace public numérique",
        "#15803d",
        "Accès et initiation au numérique pour tous les habitants.",
    ),
]
EQUIPMENT = [
    ("imprimante-3d", "Imprimantes 3D"),
    ("decoupe-laser", "Découpe laser"),
    ("electronique", "Électronique et robotique"),
    ("realite-virtuelle", "Réalité virtuelle"),
    ("ordinateurs", "Ordinateurs en libre accès"),
    ("postes-coworking", "Postes de coworking"),
    ("bureaux", "Bureaux privatifs"),
    ("salles-reunion", "Salles de réunion"),
    ("fibre", "Fibre optique"),
    ("espace-convivialite", "Espaces de convivialité"),
    ("formations", "Formations"),
    ("accompagnement", "Accompagnement de projets"),
    ("location-machines", "Location de machines"),
]
AUDIENCES = [
    ("tout-public", "Tout public"),
    ("jeunes", "Jeunes de 18 à 26 ans"),
    ("demandeurs-emploi", "Demandeurs d'emploi"),
    ("etudiants", "Étudiants"),
    ("porteurs-projet", "Porteurs de projet"),
    ("entreprises", "Entreprises et start-up"),
    ("salaries", "Salariés en reconversion"),
    ("scolaires", "Scolaires"),
]
LABELS = [
    ("french-tech", "French Tech"),
    ("grande-ecole-numerique", "Grande École du Numérique"),
    ("fabrique-territoire", "Fabrique de territoire"),
    ("reseau-fablab", "Réseau international des fablabs"),
]


def load(apps, schema_editor):
    for position, (slug, name, color, description) in enumerate(KINDS):
        apps.get_model("hubs", "HubKind").objects.update_or_create(
            slug=slug,
            defaults={
                "name": name,
                "color": color,
                "description": description,
                "position": position,
            },
        )
    for model_name, rows in (("Equipment", EQUIPMENT), ("Audience", AUDIENCES), ("Label", LABELS)):
        model = apps.get_model("hubs", model_name)
        for position, (slug, name) in enumerate(rows):
            model.objects.update_or_create(slug=slug, defaults={"name": name, "position": position})


class Migration(migrations.Migration):
    dependencies = [("hubs", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
