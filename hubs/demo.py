"""Demo hubs from the press articles the project comes from (2016–2018).

Figures and facts are the articles'; where an article gives no street address
the hub is placed on its commune's reference point and says so in its
sources. Loading is idempotent: hubs are matched by slug and updated, and a hub
whose data has not changed is left alone (its « mis à jour le » and its history
stay as they were).
"""

import datetime
from decimal import Decimal

from django.db import transaction

from territories.models import Commune

from .models import Audience, Equipment, Hub, HubIndicator, HubKind, HubTarget, Label

SEED_VALENCIENNES = "« Numérique : le rendre accessible et le stimuler », presse régionale, 2017."
SEED_MAUBEUGE = (
    "« Un des buts : retenir les étudiants qui sortent de l'université », presse régionale."
)
SEED_LENS = "« À la découverte des acteurs du numérique lensois », presse régionale, 2016."
SEED_CALAIS = "« Lancement de la Maison du numérique », Aletheia Press, 2018."
SEED_CHARBONNIERES = (
    "« Le voile se lève sur le futur Campus des métiers du numérique de Charbonnières », 2016."
)
AT_COMMUNE = "Position : point de référence de la commune (l'article ne donne pas l'adresse)."
APPROXIMATE = "Position approximative, dans le parc des Rives Créatives de l'Escaut."

# The articles give no opening hours: the open hubs get plausible ones, in the
# OpenStreetMap syntax, and say on their page that they are illustrative.
ILLUSTRATIVE_HOURS = (
    "Horaires indicatifs (démonstration) : les articles sources ne les donnent pas."
)
DEMO_HOURS = {
    "nouvelle-forge": "Mo-Fr 08:30-18:30; PH off",
    "pop-school-valenciennes": "Mo-Fr 09:00-12:30,13:30-17:30; PH off",
    "pop-place-valenciennes": "Mo-Fr 08:30-19:00; Sa 10:00-13:00; PH off",
    "pepiniere-nouvelle-forge": "Mo-Fr 08:30-12:00,13:30-17:30; PH off",
    "serre-numerique": "Mo-Fr 08:00-19:00; PH off",
    "ruche-entreprises-maubeuge": "Mo-Fr 08:30-12:00,13:30-17:30; PH off",
    "antenne-universitaire-maubeuge": "Mo-Fr 08:00-19:00; Sa 08:00-12:00; PH off",
    "louvre-lens-vallee": "Mo-Fr 09:00-18:00; PH off",
    "fablab-cote-opale-marcel-doret": "Tu-Fr 14:00-19:00; Sa 10:00-17:00; PH off",
    "fablab-cote-opale-second-site": "We 14:00-18:00; Sa 10:00-12:00,14:00-17:00; PH off",
}

HUBS = [
    {
        "slug": "nouvelle-forge",
        "name": "La Nouvelle Forge",
        "kinds": ["tiers-lieu"],
        "summary": "Porte d'entrée du numérique du parc des Rives Créatives de l'Escaut : une pop school, un coworking avec fablab et une pépinière sous un même toit.",
        "description": (
            "Ancienne infirmerie de Vallourec, qui a abrité un temps le GRETA, ce bâtiment massif "
            "de 1 300 m² regroupe depuis le dernier trimestre 2016 trois entités complémentaires : "
            "une pop school, une « pop place » (coworking et fab lab) et une pépinière d'entreprises.\n\n"
            "Le bâtiment appartient à un propriétaire privé lié par contrat à Valenciennes Métropole, "
            "qui en deviendra propriétaire au bout de neuf ans moyennant 800 000 euros ; "
            "l'agglomération a déjà investi 900 000 euros dans les aménagements."
        ),
        "street_address": "Parc des Rives Créatives de l'Escaut",
        "insee": "59014",
        "point": (50.36390, 3.51080),
        "operator": "Valenciennes Métropole",
        "operator_kind": "epci",
        "surface_m2": 1300,
        "equipment": ["fibre", "salles-reunion", "postes-coworking"],
        "audiences": ["tout-public", "porteurs-projet", "entreprises"],
        "sources": [SEED_VALENCIENNES, APPROXIMATE],
    },
    {
        "slug": "pop-school-valenciennes",
        "name": "Pop School Valenciennes",
        "parent": "nouvelle-forge",
        "kinds": ["ecole"],
        "summary": "Six mois pour devenir développeur web et mobile, sans diplôme exigé : une école gratuite pour les 18-26 ans, recrutés sur leur motivation.",
        "description": (
            "Lancée fin 2015, la pop school forme au métier de développeur web et mobile des jeunes "
            "de 18 à 26 ans sans qualification, choisis sur leur motivation (jury et test). "
            "Trois sessions de six mois, d'une trentaine de personnes chacune, ont déjà eu lieu. "
            "Première école de ce genre dans le Nord, elle relève de la politique de la ville et "
            "vise l'insertion professionnelle par le numérique.\n\n"
            "Financement : un million d'euros, à 92 % du Fonds social européen et à 8 % de "
            "l'agglomération."
        ),
        "street_address": "La Nouvelle Forge, parc des Rives Créatives de l'Escaut",
        "insee": "59014",
        "point": (50.36396, 3.51066),
        "operator": "Pop School",
        "fees": "free",  # « une école gratuite »
        "operator_kind": "association",
        "equipment": ["formations", "ordinateurs"],
        "audiences": ["jeunes", "demandeurs-emploi"],
        "indicators": [
            {
                "year": 2017,
                "people_trained": 90,
                "success_rate": Decimal("70"),
                "notes": "Trois sessions de six mois d'une trentaine de personnes chacune ; « plus de 70 % » obtiennent un CDI, un CDD ou une autre formation.",
                "source": SEED_VALENCIENNES,
            }
        ],
        "sources": [SEED_VALENCIENNES, APPROXIMATE],
    },
    {
        "slug": "pop-place-valenciennes",
        "name": "Pop Place — coworking et fab lab",
        "parent": "nouvelle-forge",
        "kinds": ["coworking", "fablab"],
        "summary": "Un fab lab ouvert à tous (imprimantes 3D, découpe laser, formations) et un espace de coworking pour se rencontrer et travailler ensemble.",
        "description": (
            "La pop place réunit un espace de coworking, un fab lab et un programme de "
            "sensibilisation de jeunes issus des quartiers de la politique de la ville. "
            "Tous les publics peuvent y louer des machines (imprimantes 3D, découpe laser…) et "
            "s'y former ; le lieu est confié à un animateur.\n\n"
            "L'animation est financée à 60 % par le FEDER et à 40 % par Valenciennes Métropole ; "
            "le matériel a été financé pour moitié par la Région et pour moitié par l'agglomération."
        ),
        "street_address": "La Nouvelle Forge, parc des Rives Créatives de l'Escaut",
        "insee": "59014",
        "point": (50.36382, 3.51098),
        "operator": "Valenciennes Métropole",
        "operator_kind": "epci",
        "equipment": [
            "imprimante-3d",
            "decoupe-laser",
            "location-machines",
            "formations",
            "postes-coworking",
        ],
        "audiences": ["tout-public", "jeunes", "porteurs-projet"],
        "sources": [SEED_VALENCIENNES, APPROXIMATE],
    },
    {
        "slug": "pepiniere-nouvelle-forge",
        "name": "Pépinière d'entreprises de la Nouvelle Forge",
        "parent": "nouvelle-forge",
        "kinds": ["pepiniere"],
        "summary": "800 m² et 18 cellules pour les jeunes entreprises du numérique, avec salles de réunion, espaces de convivialité et fibre optique.",
        "description": (
            "Ancienne « ruche d'entreprises » du réseau départemental (dissous au 31 août), "
            "spécialisée dans le numérique. Elle s'étend sur 800 m² et compte 18 cellules, trois "
            "salles de réunion, des espaces de convivialité et des services communs, dont la fibre "
            "optique. Son objectif : créer 80 emplois en trois ans."
        ),
        "street_address": "La Nouvelle Forge, parc des Rives Créatives de l'Escaut",
        "insee": "59014",
        "point": (50.36402, 3.51094),
        "operator": "Valenciennes Métropole",
        "operator_kind": "epci",
        "surface_m2": 800,
        "opened_on": datetime.date(2016, 11, 1),
        "equipment": [
            "bureaux",
            "salles-reunion",
            "espace-convivialite",
            "fibre",
            "accompagnement",
        ],
        "audiences": ["porteurs-projet", "entreprises"],
        "indicators": [
            {
                "year": 2017,
                "companies_hosted": 11,
                "jobs": 25,
                "notes": "Début juillet : 11 entreprises hébergées, dont 9 dans le numérique, et 25 emplois. Objectif : 80 emplois en trois ans.",
                "source": SEED_VALENCIENNES,
            }
        ],
        # « Son objectif : créer 80 emplois en trois ans », from its opening (late 2016).
        "targets": [
            {
                "indicator": "jobs",
                "value": 80,
                "start_year": 2016,
                "horizon_year": 2019,
                "notes": "« Créer 80 emplois en trois ans. »",
                "source": SEED_VALENCIENNES,
            }
        ],
        "sources": [SEED_VALENCIENNES, APPROXIMATE],
    },
    {
        "slug": "serre-numerique",
        "name": "La Serre numérique",
        "kinds": ["campus", "pepiniere"],
        "summary": "Le vaisseau amiral des Rives Créatives de l'Escaut : écoles de l'image et du jeu vidéo, entreprises et recherche sous une grande verrière.",
        "description": (
            "Première grande pièce du parc des Rives Créatives de l'Escaut, sur l'ancien site "
            "Vallourec, la Serre numérique de la chambre de commerce a été inaugurée en avril 2015. "
            "Elle réunit des écoles supérieures de la création numérique, un espace pour les "
            "entreprises et un centre de recherche appliquée."
        ),
        "street_address": "Parc des Rives Créatives de l'Escaut",
        "insee": "59014",
        "point": (50.36270, 3.51290),
        "operator": "CCI Grand Hainaut",
        "operator_kind": "chamber",
        "opened_on": datetime.date(2015, 4, 1),
        "equipment": ["formations", "bureaux", "accompagnement", "realite-virtuelle"],
        "audiences": ["etudiants", "entreprises", "porteurs-projet"],
        "sources": [SEED_VALENCIENNES, APPROXIMATE],
    },
    {
        "slug": "ruche-entreprises-maubeuge",
        "name": "Ruche d'entreprises de Maubeuge",
        "kinds": ["pepiniere"],
        "summary": "La ruche départementale d'entreprises, rodée à l'accueil des créateurs, pressentie pour accueillir la future agence du numérique du Val de Sambre.",
        "description": (
            "Une ruche d'entreprises du réseau départemental, rodée à l'accueil des créateurs. "
            "Un 21 juillet, elle a accueilli la rencontre entre les acteurs du numérique du "
            "Val de Sambre (université, agglomération, Région) et le vice-président régional "
            "chargé du numérique."
        ),
        "insee": "59392",
        "operator": "Ruche départementale d'entreprises",
        "operator_kind": "departement",
        "equipment": ["bureaux", "accompagnement", "salles-reunion"],
        "audiences": ["porteurs-projet", "entreprises"],
        "sources": [SEED_MAUBEUGE, AT_COMMUNE],
    },
    {
        "slug": "agence-numerique-maubeuge-val-de-sambre",
        "name": "Agence du numérique du Val de Sambre (projet)",
        "kinds": ["pole-numerique", "coworking"],
        "status": "project",
        "summary": "Projet de l'agglomération : coworking, télétravail, hacker space, start-up et peut-être un fablab, pour garder au pays les étudiants en cybersécurité.",
        "description": (
            "Élaboré par l'Agglomération Maubeuge Val de Sambre avec les services de la Région, "
            "le projet associerait l'antenne universitaire, l'agglomération, le Conseil régional "
            "et la Ruche d'entreprises, qui pourrait l'accueillir. Au programme : collaboration "
            "université-entreprises, coworking, télétravail, hacker space, hébergement de "
            "start-up du numérique et, peut-être, un fablab intégré au réseau international. "
            "Il cherche encore ses cofinancements (Europe, Région, Département, État)."
        ),
        "insee": "59392",
        "operator": "Agglomération Maubeuge Val de Sambre",
        "operator_kind": "epci",
        "audiences": ["etudiants", "porteurs-projet", "entreprises"],
        "sources": [SEED_MAUBEUGE, AT_COMMUNE],
    },
    {
        "slug": "antenne-universitaire-maubeuge",
        "name": "Antenne universitaire de Maubeuge",
        "kinds": ["campus"],
        "summary": "Un site universitaire en pointe sur la sécurité des systèmes informatiques (cybersécurité), et un laboratoire des matériaux céramiques.",
        "description": (
            "L'antenne universitaire forme à la cybersécurité : protéger entreprises et "
            "administrations des piratages. Elle abrite aussi le Laboratoire des matériaux "
            "céramiques et procédés associés, tourné vers les entreprises."
        ),
        "insee": "59392",
        "operator": "Université",
        "operator_kind": "university",
        "equipment": ["formations"],
        "audiences": ["etudiants"],
        "sources": [SEED_MAUBEUGE, AT_COMMUNE],
    },
    {
        "slug": "louvre-lens-vallee",
        "name": "Louvre-Lens Vallée",
        "kinds": ["pole-numerique", "incubateur"],
        "summary": "Le pôle numérique culturel né dans le sillage du Louvre-Lens : incubateur, fablab en préparation et formations en compagnonnage.",
        "description": (
            "Cluster « culture numérique » labellisé Métropole French Tech et soutenu par "
            "l'association Euralens, la Louvre-Lens Vallée profite de l'arrivée du musée et du "
            "classement au patrimoine mondial de l'UNESCO pour attirer des entreprises innovantes : "
            "médiation culturelle, numérisation et sécurisation des œuvres, tourisme. "
            "Elle travaille avec la Mission locale et les personnes en reconversion ; un "
            "incubateur et un fablab doivent ouvrir."
        ),
        "street_address": "Locaux provisoires",
        "insee": "62498",
        "operator": "Louvre-Lens Vallée",
        "operator_kind": "association",
        "labels": ["french-tech"],
        "equipment": ["accompagnement", "formations"],
        "audiences": ["porteurs-projet", "entreprises", "jeunes", "salaries"],
        "sources": [SEED_LENS, AT_COMMUNE],
    },
    {
        "slug": "maison-numerique-innovation-calaisis",
        "name": "Maison du numérique et de l'innovation du Calaisis",
        "kinds": ["maison-numerique", "coworking"],
        "status": "project",
        "summary": "En centre-ville de Calais : accompagnement des porteurs de projet et des jeunes entreprises, coworking, matériel de pointe et découverte du numérique pour tous.",
        "description": (
            "Association créée le 27 août et présidée par Jacques Gounon (Getlink-Eurotunnel). "
            "Le lieu comprendra des espaces de réunion, d'open space et de coworking, avec imprimantes "
            "3D, ordinateurs portables, réalité virtuelle et tablettes apportés par des écoles de "
            "l'agglomération comme Simplon. Il sera aussi ouvert aux habitants qui veulent découvrir "
            "le numérique et ses métiers, avec une attention particulière à attirer les femmes.\n\n"
            "L'aménagement coûte 1 100 000 euros HT, dont une subvention de l'État d'environ "
            "880 000 euros (contrat de territoire de novembre 2015). Six salariés et une directrice "
            "feront fonctionner ses trois sites, pour un budget annuel de 400 000 euros."
        ),
        "street_address": "Centre-ville",
        "insee": "62193",
        "operator": "Association Maison du numérique et de l'innovation du Calaisis",
        "operator_kind": "association",
        "equipment": [
            "imprimante-3d",
            "realite-virtuelle",
            "ordinateurs",
            "postes-coworking",
            "salles-reunion",
            "accompagnement",
        ],
        "audiences": ["tout-public", "porteurs-projet", "etudiants", "entreprises"],
        # Six staff and a director are planned, not counted: a target, not a result.
        "targets": [
            {
                "indicator": "jobs",
                "value": 7,
                "horizon_year": 2018,
                "notes": "Prévu : six salariés et une directrice pour les trois sites.",
                "source": SEED_CALAIS,
            }
        ],
        "sources": [SEED_CALAIS, AT_COMMUNE],
    },
    {
        "slug": "fablab-cote-opale-marcel-doret",
        "name": "Fablab Côte d'Opale — zone Marcel-Doret",
        "parent": "maison-numerique-innovation-calaisis",
        "kinds": ["fablab"],
        "summary": "Le premier fablab de la Côte d'Opale, dans la pépinière d'entreprises de la zone Marcel-Doret : un des deux sites qui rejoignent la Maison du numérique.",
        "description": (
            "Les deux sites du Fablab Côte d'Opale font partie intégrante de l'association de la "
            "Maison du numérique et de l'innovation du Calaisis. Ce site-ci est installé dans un "
            "atelier de la pépinière d'entreprises de la zone Marcel-Doret."
        ),
        "street_address": "Pépinière d'entreprises, zone Marcel-Doret",
        "insee": "62193",
        "point": (50.95310, 1.89010),
        "operator": "Fablab Côte d'Opale",
        "operator_kind": "association",
        "equipment": ["imprimante-3d", "decoupe-laser", "location-machines", "formations"],
        "audiences": ["tout-public", "entreprises", "porteurs-projet"],
        "sources": [SEED_CALAIS, "Position approximative, zone Marcel-Doret à Calais."],
    },
    {
        "slug": "fablab-cote-opale-second-site",
        "name": "Fablab Côte d'Opale — second site",
        "parent": "maison-numerique-innovation-calaisis",
        "kinds": ["fablab"],
        "summary": "Le second site du Fablab Côte d'Opale, intégré à la Maison du numérique et de l'innovation du Calaisis.",
        "description": (
            "L'article cite les deux sites du Fablab Côte d'Opale sans donner l'adresse du second : "
            "il est placé au point de référence de Calais en attendant d'être localisé."
        ),
        "insee": "62193",
        "operator": "Fablab Côte d'Opale",
        "operator_kind": "association",
        "equipment": ["imprimante-3d", "formations"],
        "audiences": ["tout-public"],
        "sources": [SEED_CALAIS, AT_COMMUNE],
    },
    {
        "slug": "campus-numerique-charbonnieres",
        "name": "Campus des métiers du numérique",
        "kinds": ["campus", "fablab", "coworking", "incubateur"],
        "status": "project",
        "summary": "Le futur campus européen des métiers du numérique d'Auvergne-Rhône-Alpes, dans l'ancien siège de la Région : formation, fab lab, accélérateur et hôtel d'entreprises.",
        "description": (
            "Promis par la Région Auvergne-Rhône-Alpes, le campus doit ouvrir fin 2017 ou début "
            "2018 dans l'ancien siège du Conseil régional à Charbonnières-les-Bains. Trois "
            "missions : formation initiale, formation continue et services aux entreprises "
            "(fab lab, atelier de coworking, accélérateur, hôtel d'entreprises, équipements "
            "partagés). Il se veut multi-sites et ouvert à tous les territoires de la région."
        ),
        "street_address": "Ancien siège du Conseil régional",
        "insee": "69044",
        "operator": "Région Auvergne-Rhône-Alpes",
        "operator_kind": "region",
        "equipment": ["formations", "accompagnement", "postes-coworking", "bureaux"],
        "audiences": ["etudiants", "salaries", "entreprises", "porteurs-projet"],
        "sources": [SEED_CHARBONNIERES, AT_COMMUNE],
    },
]

DEMO_DEPARTEMENTS = ["59", "62", "69"]


class MissingTerritories(Exception):
    pass


def upsert(model, lookup: dict, defaults: dict, current=None) -> tuple[object, str]:
    """``update_or_create`` that leaves an unchanged row alone: loading the demo
    again neither moves a record's « mis à jour le » nor adds to its history.
    Values are compared as the field stores them (a related object by its key, a
    float share as a decimal). Returns the object and ``"created"``, ``"updated"``
    or ``"unchanged"``. ``current``: the stored row when the caller has read the
    rows in bulk already (else it is read here)."""
    obj = current if current is not None else model.objects.filter(**lookup).first()
    if obj is None:
        return model.objects.create(**{**lookup, **defaults}), "created"
    changed = False
    for name, value in defaults.items():
        field = model._meta.get_field(name)
        if field.is_relation:
            stored, wanted = getattr(obj, field.attname), getattr(value, "pk", value)
        else:
            stored, wanted = getattr(obj, name), field.to_python(value)
        if stored != wanted:
            setattr(obj, name, value)
            changed = True
    if not changed:
        return obj, "unchanged"
    obj.save()
    return obj, "updated"


@transaction.atomic
def load() -> dict[str, int]:
    """Create or update the demo hubs; return how many were created, updated and
    left unchanged."""
    insee_codes = {row["insee"] for row in HUBS}
    communes = Commune.objects.in_bulk(insee_codes)
    missing = insee_codes - set(communes)
    if missing:
        raise MissingTerritories(
            "Communes absentes : "
            + ", ".join(sorted(missing))
            + ". Lancez d'abord load_territories."
        )
    vocab = {
        "kinds": {k.slug: k for k in HubKind.objects.all()},
        "equipment": {k.slug: k for k in Equipment.objects.all()},
        "audiences": {k.slug: k for k in Audience.objects.all()},
        "labels": {k.slug: k for k in Label.objects.all()},
    }
    counts = {"created": 0, "updated": 0, "unchanged": 0}
    by_slug: dict[str, Hub] = {}
    for row in HUBS:
        commune = communes[row["insee"]]
        lat, lng = row.get("point") or (commune.latitude, commune.longitude)
        hub, state = upsert(
            Hub,
            {"slug": row["slug"]},
            {
                "name": row["name"],
                "summary": row["summary"],
                "description": row["description"],
                "street_address": row.get("street_address", ""),
                "postcode": commune.main_postcode,
                "commune": commune,
                "latitude": lat,
                "longitude": lng,
                "operator": row.get("operator", ""),
                "operator_kind": row.get("operator_kind", ""),
                "surface_m2": row.get("surface_m2"),
                "opened_on": row.get("opened_on"),
                "status": row.get("status", Hub.Status.OPEN),
                "publication": Hub.Publication.PUBLISHED,
                "parent": by_slug.get(row.get("parent")),
                "sources": "\n".join(row.get("sources", [])),
                "opening_hours": DEMO_HOURS.get(row["slug"], ""),
                "opening_hours_note": ILLUSTRATIVE_HOURS if row["slug"] in DEMO_HOURS else "",
                "fees": row.get("fees", ""),
            },
        )
        # The check and unique constraints were enforced by the database at the save.
        hub.full_clean(validate_constraints=False)
        for field in ("kinds", "equipment", "audiences", "labels"):
            getattr(hub, field).set([vocab[field][slug] for slug in row.get(field, [])])
        for indicator in row.get("indicators", []):
            upsert(HubIndicator, {"hub": hub, "year": indicator["year"]}, indicator)
        # What the demo no longer says goes (a planned figure once loaded as a result).
        years = [indicator["year"] for indicator in row.get("indicators", [])]
        HubIndicator.objects.filter(hub=hub).exclude(year__in=years).delete()
        for target in row.get("targets", []):
            key = {"indicator": target["indicator"], "horizon_year": target["horizon_year"]}
            upsert(HubTarget, {"hub": hub, **key}, target)
        by_slug[hub.slug] = hub
        counts[state] += 1
    return counts
