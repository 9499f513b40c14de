"""Demo agenda: the events of the seed articles, plus illustrative sessions to come.

Two kinds of rows, both matched by slug (loading again updates, never duplicates):

- **Historical events** named by the articles (2015–2018), with their real dates.
  Where an article is vague (« Roubaix en 2016 », « à partir de septembre ») the
  date is indicative and the description says so. They are past: the agenda
  shows them under « Passés ».
- **Illustrative sessions** (slugs ``demo-…``) projected forward from the day
  ``load_demo`` runs: the next occurrences of the kind of sessions the articles
  describe (pop school information meetings, fab lab workshops…). Their
  description says they are illustrative. Re-running ``load_demo`` (``make run``
  does) moves them forward again, so the demo agenda never runs dry.
"""

import datetime
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from hubs.demo import SEED_CALAIS, SEED_LENS, SEED_MAUBEUGE, SEED_VALENCIENNES, upsert
from hubs.models import Audience, Hub
from territories.models import Commune

from .models import Event

# Communes of events held outside a demo hub (Amiens is in the Somme, 80).
DEMO_DEPARTEMENTS = ["59", "62", "69", "80"]
ILLUSTRATIVE = (
    "Événement d'illustration : il fait partie des données de démonstration et n'a pas été "
    "annoncé par le lieu. Ses dates sont recalculées à chaque chargement de la démonstration."
)
INDICATIVE = "Date indicative : {why}"


def _at(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


def _day(year, month, day, hour=0, minute=0):
    return _at(datetime.date(year, month, day), hour, minute)


HISTORICAL = [
    {
        "slug": "grand-nord-digital-forum-2016-roubaix",
        "title": "Grand Nord Digital Forum 2016 à Roubaix",
        "kind": Event.Kind.FORUM,
        "summary": "Le grand rendez-vous régional du numérique, première édition, à Roubaix.",
        "description": (
            "Le Grand Nord Digital Forum réunit les acteurs du numérique de la grande région. "
            "L'édition 2016 s'est tenue à Roubaix, avant celle d'Amiens.\n\n"
            + INDICATIVE.format(why="l'article dit seulement « Roubaix en 2016 ».")
        ),
        "insee": "59512",
        "venue_name": "Roubaix",
        "organizer": "Région Hauts-de-France",
        "start": _day(2016, 6, 1),
        "end": _day(2016, 6, 1, 23, 59),
        "all_day": True,
        "sources": [SEED_LENS],
    },
    {
        "slug": "grand-nord-digital-forum-amiens",
        "title": "Grand Nord Digital Forum à Amiens",
        "kind": Event.Kind.FORUM,
        "summary": "La deuxième étape du forum régional du numérique, à Amiens.",
        "description": (
            "Après Roubaix, le Grand Nord Digital Forum a fait étape à Amiens.\n\n"
            + INDICATIVE.format(
                why="l'article cite Amiens après Roubaix en 2016, sans date ; "
                "la date affichée (fin 2016) est une approximation."
            )
        ),
        "insee": "80021",
        "venue_name": "Amiens",
        "organizer": "Région Hauts-de-France",
        "start": _day(2016, 11, 15),
        "end": _day(2016, 11, 15, 23, 59),
        "all_day": True,
        "sources": [SEED_LENS],
    },
    {
        "slug": "grand-nord-digital-forum-2017-lens",
        "title": "Grand Nord Digital Forum 2017 à Lens (édition envisagée)",
        "kind": Event.Kind.FORUM,
        "summary": "Le vice-président régional au numérique voulait un grand rendez-vous du numérique à Lens en 2017, avec la Louvre-Lens Vallée.",
        "description": (
            "« Après Roubaix en 2016 et Amiens, Lens et sa Louvre-Lens Vallée pourraient bien "
            "accueillir l'édition 2017 du Grand Nord Digital Forum. » L'article parle d'un "
            "projet : ni la tenue ni la date de cette édition ne sont confirmées.\n\n"
            + INDICATIVE.format(why="l'article ne donne que l'année 2017.")
        ),
        "hub": "louvre-lens-vallee",
        "organizer": "Région Hauts-de-France",
        "start": _day(2017, 6, 1),
        "end": _day(2017, 6, 1, 23, 59),
        "all_day": True,
        "sources": [SEED_LENS],
    },
    {
        "slug": "visite-guillaume-delbar-louvre-lens-vallee-2016",
        "title": "Visite du vice-président régional au numérique à la Louvre-Lens Vallée",
        "kind": Event.Kind.MEETUP,
        "summary": "Visite du Louvre-Lens et présentation express du pôle numérique culturel à Guillaume Delbar.",
        "description": (
            "Guillaume Delbar, vice-président de la Région chargé de l'innovation numérique et "
            "sociale, a rencontré Bruno Cavaco, président de la Louvre-Lens Vallée, et sa "
            "directrice Wafa Maadnous : formation en compagnonnage, travail en réseau, "
            "incubateur et fablab.\n\n"
            + INDICATIVE.format(why="l'article (2016) ne date pas la visite.")
        ),
        "hub": "louvre-lens-vallee",
        "start": _day(2016, 6, 20),
        "end": _day(2016, 6, 20, 23, 59),
        "all_day": True,
        "sources": [SEED_LENS],
    },
    {
        "slug": "rencontre-numerique-ruche-maubeuge-2016-07-21",
        "title": "Rencontre des acteurs du numérique du Val de Sambre",
        "kind": Event.Kind.MEETUP,
        "summary": "Le projet d'agence du numérique de l'agglomération présenté au vice-président régional chargé du numérique.",
        "description": (
            "Le 21 juillet, en fin de journée, l'antenne universitaire, l'Agglomération Maubeuge "
            "Val de Sambre, les services de la Région et la Ruche d'entreprises ont présenté à "
            "Guillaume Delbar leur projet d'agence du numérique : coworking, télétravail, hacker "
            "space, start-up et peut-être un fablab. Une nouvelle rencontre était prévue à "
            "l'approche de la rentrée.\n\n"
            "Le jour est celui de l'article ; l'année (2016) et les heures (« en fin de "
            "journée ») sont déduites."
        ),
        "hub": "ruche-entreprises-maubeuge",
        "start": _day(2016, 7, 21, 18),
        "end": _day(2016, 7, 21, 20),
        "sources": [SEED_MAUBEUGE],
    },
    {
        "slug": "pop-school-valenciennes-session-1",
        "title": "Pop School Valenciennes — première session de six mois",
        "kind": Event.Kind.TRAINING,
        "summary": "Six mois pour devenir développeur web et mobile : une trentaine de jeunes de 18 à 26 ans.",
        "description": (
            "Lancée fin 2015, la pop school forme en six mois une trentaine de jeunes sans "
            "qualification, choisis sur leur motivation (jury et test).\n\n"
            + INDICATIVE.format(
                why="l'article dit « lancée fin 2015 » et « trois sessions de six mois » ; "
                "les mois de début et de fin sont approximatifs."
            )
        ),
        "hub": "pop-school-valenciennes",
        "start": _day(2015, 11, 2, 9),
        "end": _day(2016, 4, 29, 17),
        "is_free": True,
        "audiences": ["jeunes", "demandeurs-emploi"],
        "sources": [SEED_VALENCIENNES],
    },
    {
        "slug": "pop-school-valenciennes-session-2",
        "title": "Pop School Valenciennes — deuxième session de six mois",
        "kind": Event.Kind.TRAINING,
        "summary": "La deuxième promotion de la pop school : développeur web et mobile en six mois.",
        "description": (
            "Deuxième des trois sessions de six mois tenues avant l'été 2017.\n\n"
            + INDICATIVE.format(why="mois de début et de fin approximatifs.")
        ),
        "hub": "pop-school-valenciennes",
        "start": _day(2016, 5, 9, 9),
        "end": _day(2016, 10, 28, 17),
        "is_free": True,
        "audiences": ["jeunes", "demandeurs-emploi"],
        "sources": [SEED_VALENCIENNES],
    },
    {
        "slug": "pop-school-valenciennes-session-3",
        "title": "Pop School Valenciennes — troisième session de six mois",
        "kind": Event.Kind.TRAINING,
        "summary": "La troisième promotion, installée à la Nouvelle Forge : plus de 70 % de sorties positives.",
        "description": (
            "Troisième session de six mois. Selon l'agglomération, plus de 70 % des élèves "
            "obtiennent ensuite un CDI, un CDD ou une autre formation.\n\n"
            + INDICATIVE.format(why="mois de début et de fin approximatifs.")
        ),
        "hub": "pop-school-valenciennes",
        "start": _day(2016, 11, 7, 9),
        "end": _day(2017, 4, 28, 17),
        "is_free": True,
        "audiences": ["jeunes", "demandeurs-emploi"],
        "sources": [SEED_VALENCIENNES],
    },
    {
        "slug": "beam-me-up-2017",
        "title": "« Beam Me Up » : sensibilisation à l'entrepreneuriat numérique",
        "kind": Event.Kind.CALL,
        "summary": "Un programme pour les jeunes, à partir de septembre : à terme, 20 porteurs de projet sélectionnés.",
        "description": (
            "Opération de sensibilisation de Valenciennes Métropole, baptisée « Beam Me Up ». "
            "À partir de septembre, elle vise à sélectionner, à terme, 20 porteurs de projet "
            "sensibilisés à l'entrepreneuriat numérique.\n\n"
            + INDICATIVE.format(
                why="l'article dit « à partir de septembre » (2017) ; la fin, non donnée, est "
                "placée en décembre."
            )
        ),
        "hub": "pop-place-valenciennes",
        "organizer": "Valenciennes Métropole",
        "start": _day(2017, 9, 1),
        "end": _day(2017, 12, 15, 23, 59),
        "all_day": True,
        "is_free": True,
        "audiences": ["jeunes", "porteurs-projet"],
        "sources": [SEED_VALENCIENNES],
    },
    {
        "slug": "inauguration-serre-numerique-2015",
        "title": "Inauguration de la Serre numérique",
        "kind": Event.Kind.OTHER,
        "summary": "La première grande pièce du parc des Rives Créatives de l'Escaut est inaugurée.",
        "description": (
            "La Serre numérique de la chambre de commerce, sur l'ancien site Vallourec, est "
            "inaugurée en avril 2015.\n\n" + INDICATIVE.format(why="l'article donne le mois.")
        ),
        "hub": "serre-numerique",
        "organizer": "CCI Grand Hainaut",
        "start": _day(2015, 4, 15),
        "end": _day(2015, 4, 15, 23, 59),
        "all_day": True,
        "sources": [SEED_VALENCIENNES],
    },
    {
        "slug": "ouverture-pepiniere-nouvelle-forge-2016",
        "title": "Ouverture de la pépinière numérique de la Nouvelle Forge",
        "kind": Event.Kind.OPEN_DAY,
        "summary": "800 m², 18 cellules : la ruche d'entreprises spécialisée dans le numérique ouvre ses portes.",
        "description": (
            "La pépinière (alors « ruche d'entreprises ») ouvre en novembre 2016 ; début "
            "juillet 2017 elle accueille 11 entreprises et 25 emplois.\n\n"
            + INDICATIVE.format(why="l'article donne le mois.")
        ),
        "hub": "pepiniere-nouvelle-forge",
        "start": _day(2016, 11, 2),
        "end": _day(2016, 11, 2, 23, 59),
        "all_day": True,
        "sources": [SEED_VALENCIENNES],
    },
    {
        "slug": "creation-maison-numerique-calaisis-2018-08-27",
        "title": "Création de l'association Maison du numérique et de l'innovation du Calaisis",
        "kind": Event.Kind.OTHER,
        "summary": "Chefs d'entreprise et acteurs locaux fondent l'association, présidée par Jacques Gounon.",
        "description": (
            "Le 27 août, le Calaisis se dote d'une « Maison du numérique et de l'innovation » en "
            "créant une association présidée par Jacques Gounon (Getlink-Eurotunnel)."
        ),
        "hub": "maison-numerique-innovation-calaisis",
        "start": _day(2018, 8, 27),
        "end": _day(2018, 8, 27, 23, 59),
        "all_day": True,
        "sources": [SEED_CALAIS],
    },
]


def _next_weekday(day: datetime.date, weekday: int, weeks: int = 0) -> datetime.date:
    """The first ``weekday`` (0 = Monday) strictly after ``day``, plus ``weeks``."""
    ahead = (weekday - day.weekday() - 1) % 7 + 1
    return day + datetime.timedelta(days=ahead, weeks=weeks)


def _nth_weekday_of_month(year: int, month: int, weekday: int, nth: int = 1) -> datetime.date:
    first = datetime.date(year, month, 1)
    offset = (weekday - first.weekday()) % 7
    return first + datetime.timedelta(days=offset, weeks=nth - 1)


def _month_after(day: datetime.date, months: int) -> tuple[int, int]:
    index = day.month - 1 + months
    return day.year + index // 12, index % 12 + 1


def illustrative_events(today: datetime.date) -> list[dict]:
    """The next sessions, counted from ``today`` (slugs stay the same)."""
    rows = []

    def add(slug, **fields):
        fields.setdefault("sources", [])
        fields["description"] = f"{fields.get('description', '')}\n\n{ILLUSTRATIVE}".strip()
        rows.append({"slug": f"demo-{slug}", **fields})

    # Pop school information meetings: first Wednesday of the next three months.
    for n in range(1, 4):
        year, month = _month_after(today, n)
        day = _nth_weekday_of_month(year, month, 2)
        add(
            f"pop-school-reunion-information-{n}",
            title="Pop School : réunion d'information",
            kind=Event.Kind.MEETUP,
            summary="Devenir développeur web et mobile en six mois, sans diplôme : comment se porter candidat.",
            description="Présentation de la formation, des tests et du jury de sélection.",
            hub="pop-school-valenciennes",
            start=_at(day, 14),
            end=_at(day, 16),
            is_free=True,
            audiences=["jeunes", "demandeurs-emploi"],
            accessibility="Rez-de-chaussée accessible en fauteuil.",
        )
    # The next six-month session.
    year, month = _month_after(today, 2)
    first_monday = _nth_weekday_of_month(year, month, 0)
    end_year, end_month = _month_after(first_monday, 6)
    add(
        "pop-school-prochaine-session",
        title="Pop School Valenciennes : nouvelle session de six mois",
        kind=Event.Kind.TRAINING,
        summary="Six mois de formation au métier de développeur web et mobile, gratuite, pour les 18-26 ans.",
        hub="pop-school-valenciennes",
        start=_at(first_monday, 9),
        end=_at(_nth_weekday_of_month(end_year, end_month, 4), 17),
        is_free=True,
        audiences=["jeunes", "demandeurs-emploi"],
    )
    # Fab lab workshops at the Pop Place, every other Saturday.
    for n in range(4):
        day = _next_weekday(today, 5, weeks=2 * n)
        add(
            f"pop-place-atelier-impression-3d-{n + 1}",
            title="Atelier découverte : l'impression 3D",
            kind=Event.Kind.WORKSHOP,
            summary="Modéliser un petit objet et l'imprimer : deux heures pour découvrir le fab lab.",
            hub="pop-place-valenciennes",
            start=_at(day, 10),
            end=_at(day, 12),
            price=Decimal("5"),
            price_details="matériel compris",
            audiences=["tout-public"],
            status=Event.Status.FULL if n == 0 else Event.Status.SCHEDULED,
        )
    # Open lab evenings at the Fablab Côte d'Opale, every Thursday.
    for n in range(4):
        day = _next_weekday(today, 3, weeks=n)
        add(
            f"fablab-cote-opale-open-lab-{n + 1}",
            title="Open lab du jeudi soir",
            kind=Event.Kind.WORKSHOP,
            summary="Venez avec votre projet : machines, conseils et entraide.",
            hub="fablab-cote-opale-marcel-doret",
            start=_at(day, 18),
            end=_at(day, 21),
            is_free=True,
            audiences=["tout-public"],
        )
    # A monthly drop-in for business founders at the Ruche in Maubeuge.
    for n in range(1, 3):
        year, month = _month_after(today, n)
        day = _nth_weekday_of_month(year, month, 1, nth=2)
        add(
            f"ruche-maubeuge-permanence-creation-{n}",
            title="Permanence création d'entreprise numérique",
            kind=Event.Kind.MEETUP,
            summary="Un rendez-vous individuel pour parler de votre projet de start-up.",
            hub="ruche-entreprises-maubeuge",
            start=_at(day, 9, 30),
            end=_at(day, 12),
            is_free=True,
            audiences=["porteurs-projet"],
        )
    day = _next_weekday(today, 1, weeks=1)
    add(
        "louvre-lens-vallee-meetup-culture-numerique",
        title="Meetup culture et numérique",
        kind=Event.Kind.MEETUP,
        summary="Médiation culturelle, numérisation des œuvres, tourisme : les start-up du cluster présentent leurs projets.",
        hub="louvre-lens-vallee",
        start=_at(day, 18, 30),
        end=_at(day, 20, 30),
        is_free=True,
        status=Event.Status.CANCELLED,
    )
    day = _next_weekday(today, 5, weeks=4)
    add(
        "serre-numerique-portes-ouvertes",
        title="Portes ouvertes des écoles de la Serre numérique",
        kind=Event.Kind.OPEN_DAY,
        summary="Image, jeu vidéo, numérique : rencontrez les écoles et leurs étudiants.",
        hub="serre-numerique",
        start=_at(day, 10),
        end=_at(day, 17),
        is_free=True,
        audiences=["etudiants", "jeunes"],
        status=Event.Status.POSTPONED,
    )
    day = _next_weekday(today, 4, weeks=5)
    add(
        "serre-numerique-game-jam",
        title="Game jam de la Serre : 48 heures pour créer un jeu",
        kind=Event.Kind.HACKATHON,
        summary="Du vendredi soir au dimanche : en équipe, concevez et programmez un jeu vidéo.",
        hub="serre-numerique",
        start=_at(day, 18),
        end=_at(day + datetime.timedelta(days=2), 18),
        is_free=True,
        audiences=["etudiants", "tout-public"],
    )
    day = _next_weekday(today, 2, weeks=1)
    add(
        "maison-numerique-calais-decouverte",
        title="Le numérique et ses métiers, pour toutes",
        kind=Event.Kind.WORKSHOP,
        summary="Un après-midi pour découvrir les métiers du numérique, pensé pour les femmes.",
        hub="maison-numerique-innovation-calaisis",
        start=_at(day, 14),
        end=_at(day, 17),
        is_free=True,
        audiences=["tout-public"],
        accessibility="Garde d'enfants possible sur inscription.",
    )
    return rows


FIELDS = [
    "title",
    "kind",
    "summary",
    "description",
    "organizer",
    "venue_name",
    "start",
    "end",
    "all_day",
    "is_free",
    "price",
    "price_details",
    "accessibility",
]


@transaction.atomic
def load(today: datetime.date | None = None) -> dict[str, int]:
    """Create or update the demo events; return how many were created, updated and
    left unchanged (an unchanged event keeps its « mis à jour le », its history and
    its calendar sequence).

    Events whose hub or commune is not loaded (a partial territory load) are skipped.
    """
    rows = HISTORICAL + illustrative_events(today or timezone.localdate())
    hubs = Hub.objects.in_bulk({row["hub"] for row in rows if "hub" in row}, field_name="slug")
    communes = Commune.objects.in_bulk({row["insee"] for row in rows if "insee" in row})
    audiences = {audience.slug: audience for audience in Audience.objects.all()}
    existing = Event.objects.in_bulk([row["slug"] for row in rows], field_name="slug")
    counts = {"created": 0, "updated": 0, "unchanged": 0}
    for row in rows:
        hub = hubs.get(row.get("hub"))
        commune = communes.get(row.get("insee"))
        if ("hub" in row and hub is None) or ("insee" in row and commune is None):
            continue
        values = {name: row.get(name, Event._meta.get_field(name).get_default()) for name in FIELDS}
        values |= {
            "hub": hub,
            "commune": commune,
            "latitude": commune.latitude if commune else None,
            "longitude": commune.longitude if commune else None,
            "status": row.get("status", Event.Status.SCHEDULED),
            "publication": Event.Publication.PUBLISHED,
            "sources": "\n".join(row.get("sources", [])),
        }
        event, state = upsert(Event, {"slug": row["slug"]}, values, existing.get(row["slug"]))
        event.full_clean(validate_constraints=False)  # the database enforces them at the save
        event.audiences.set(
            [audiences[slug] for slug in row.get("audiences", []) if slug in audiences]
        )
        counts[state] += 1
    return counts
