"""Generated benchmark data: hubs, funding and events spread over the communes of France.

Shared by ``generate.py`` (the full national data set), ``funding_bench.py`` and
``events_bench.py``. Every generated row is identified by a slug prefix (hubs and
events ``{prefix}{i}``; operations and lines through their hub), so that a
script deletes and regenerates only its own rows. Funders are shared (slugs
``bench-…``) and kept.

Everything is drawn from one ``random.Random``: the same seed over the same
communes gives the same data. Rows are written with ``bulk_create`` (no model
``save()``, no signals, no django-simple-history rows), so the denormalised
``search_text`` columns are filled here the way the models fill them.
"""

import bisect
import datetime
import itertools
from dataclasses import dataclass
from decimal import ROUND_DOWN, Decimal
from zoneinfo import ZoneInfo

BATCH = 2000
CENT = Decimal("0.01")
PARIS = ZoneInfo("Europe/Paris")


# ---------------------------------------------------------------- communes
@dataclass(frozen=True)
class Place:
    insee: str
    name: str
    lat: float
    lng: float
    population: int
    postcode: str


class Places:
    """The communes of France that have a point, drawn at random by a population weight.

    Hubs and events follow people, but less than proportionally: a weight of
    ``(population + 100) ** 0.8`` gives Paris about 1 % of the hubs (94 of
    10,000), Marseille 45, Lyon 29, and hubs in some 6,500 communes.
    """

    def __init__(self, places: list[Place], exponent: float = 0.8):
        self.all = places
        weights = [(p.population + 100) ** exponent for p in places]
        self._cumulative = list(itertools.accumulate(weights))

    @classmethod
    def load(cls) -> "Places":
        from territories.models import Commune

        rows = (
            Commune.objects.exclude(latitude=None)
            .order_by("insee")
            .values_list("insee", "name", "latitude", "longitude", "population", "postcodes")
        )
        return cls(
            [
                Place(insee, name, lat, lng, population or 0, (postcodes.split() or [""])[0])
                for insee, name, lat, lng, population, postcodes in rows
            ]
        )

    def pick(self, rng) -> Place:
        x = rng.random() * self._cumulative[-1]
        return self.all[bisect.bisect_right(self._cumulative, x)]

    def uniform(self, rng) -> Place:
        return rng.choice(self.all)


def communes_with_points() -> list[tuple[str, float, float]]:
    """(INSEE code, latitude, longitude) of every commune that has a point."""
    return [(p.insee, p.lat, p.lng) for p in Places.load().all]


# ---------------------------------------------------------------- deleting
def delete_generated(prefix: str) -> None:
    """Delete the rows generated with ``prefix``: hubs and events by slug, the rest through them.

    Raw deletes: no signals, so no history rows for 100,000 deleted lines.
    """
    from events.models import Event
    from funding.models import FinancingLine, FundedOperation
    from hubs.models import Hub, HubIndicator, HubPhoto

    def raw_delete(queryset):
        queryset._raw_delete(queryset.db)

    hubs = Hub.objects.filter(slug__startswith=prefix).values("pk")
    operations = FundedOperation.objects.filter(hub__in=hubs).values("pk")
    events = Event.objects.filter(slug__startswith=prefix).values("pk")
    hub_events = Event.objects.filter(hub__in=hubs).values("pk")
    raw_delete(FinancingLine.objects.filter(operation__in=operations))
    raw_delete(FundedOperation.objects.filter(hub__in=hubs))
    for queryset in (events, hub_events):
        raw_delete(Event.audiences.through.objects.filter(event__in=queryset))
    raw_delete(Event.objects.filter(slug__startswith=prefix))
    raw_delete(Event.objects.filter(hub__in=hubs))
    for relation in (Hub.kinds, Hub.equipment, Hub.audiences, Hub.labels):
        raw_delete(relation.through.objects.filter(hub__in=hubs))
    raw_delete(HubIndicator.objects.filter(hub__in=hubs))
    raw_delete(HubPhoto.objects.filter(hub__in=hubs))
    Hub.objects.filter(parent__in=hubs).update(parent=None)
    raw_delete(Hub.objects.filter(slug__startswith=prefix))


# ---------------------------------------------------------------- hubs
# kind slug → relative frequency, and name patterns ({c}: commune name).
KIND_WEIGHTS = {
    "tiers-lieu": 22,
    "coworking": 20,
    "epn": 16,
    "fablab": 12,
    "maison-numerique": 7,
    "pepiniere": 7,
    "ecole": 6,
    "incubateur": 4,
    "pole-numerique": 3,
    "campus": 3,
}
NAME_PATTERNS = {
    "tiers-lieu": ["La Fabrique de {c}", "Tiers-lieu de {c}", "La Grange numérique de {c}"],
    "coworking": ["Coworking {c}", "La Cantine de {c}", "L'Atelier partagé de {c}"],
    "epn": ["Espace public numérique de {c}", "Cyber-base de {c}", "EPN de {c}"],
    "fablab": ["Fablab de {c}", "{c} Fab Lab", "Le Labo de {c}"],
    "maison-numerique": ["Maison du numérique de {c}", "Maison France Services de {c}"],
    "pepiniere": ["Pépinière d'entreprises de {c}", "Hôtel d'entreprises de {c}"],
    "ecole": ["École du numérique de {c}", "Pop School {c}", "Simplon {c}"],
    "incubateur": ["Incubateur de {c}", "{c} Start-up Factory"],
    "pole-numerique": ["Pôle numérique de {c}", "Cluster numérique de {c}"],
    "campus": ["Campus numérique de {c}", "Digital Campus {c}"],
}
STREETS = [
    "rue de la République",
    "rue Victor-Hugo",
    "place de la Mairie",
    "avenue Jean-Jaurès",
    "rue de la Gare",
    "boulevard Pasteur",
    "rue du Général-de-Gaulle",
    "rue des Écoles",
    "quai de l'Industrie",
    "rue Jules-Ferry",
]
SENTENCES = [
    "Un lieu ouvert à tous pour découvrir, apprendre et fabriquer avec le numérique.",
    "Des ateliers chaque semaine, des permanences d'accompagnement et des postes en libre accès.",
    "Installé dans une ancienne filature rénovée, le lieu accueille indépendants et associations.",
    "L'équipe accompagne les porteurs de projet de l'idée au prototype.",
    "Formations qualifiantes aux métiers du développement web, en partenariat avec la Région.",
    "Imprimantes 3D, découpe laser et électronique à disposition des membres.",
    "Un réseau d'entreprises du territoire se retrouve ici chaque mois.",
    "Les habitants y trouvent de l'aide pour leurs démarches en ligne.",
]
HOURS = "Mo-Fr 09:00-18:00; Sa 10:00-13:00; PH off"


def _weighted_sample(rng, population: list, weights: list, k: int) -> list:
    """``k`` distinct items, drawn by weight."""
    chosen: list = []
    items, ws = list(population), list(weights)
    for _ in range(min(k, len(items))):
        i = rng.choices(range(len(items)), weights=ws)[0]
        chosen.append(items.pop(i))
        ws.pop(i)
    return chosen


def generate_hubs(rng, count: int, prefix: str, places: Places, drafts: float = 0.05) -> list:
    """``count`` hubs in communes drawn by population, with their vocabularies and figures.

    About ``drafts`` of them are drafts or archived (not public). Some have two or
    three kinds, equipment, audiences, a label, a parent hub in the same commune,
    and yearly indicators. Slugs are ``{prefix}{i}``. Returns every hub created.
    """
    from hubs.models import Audience, Equipment, Hub, HubIndicator, HubKind, Label
    from territories.text import normalize

    kinds = {k.slug: k for k in HubKind.objects.all()}
    kind_slugs = [slug for slug in KIND_WEIGHTS if slug in kinds] or list(kinds)
    kind_weights = [KIND_WEIGHTS.get(slug, 1) for slug in kind_slugs]
    equipment = list(Equipment.objects.all())
    audiences = list(Audience.objects.all())
    labels = list(Label.objects.all())

    rows, hub_kinds, seen_names = [], [], {}
    for i in range(count):
        place = places.pick(rng)
        chosen = _weighted_sample(
            rng, kind_slugs, kind_weights, rng.choices([1, 2, 3], weights=[70, 25, 5])[0]
        )
        base = rng.choice(NAME_PATTERNS.get(chosen[0], ["{c} numérique"])).format(c=place.name)
        seen_names[base] = seen_names.get(base, 0) + 1
        name = base if seen_names[base] == 1 else f"{base} {seen_names[base]}"
        summary = rng.choice(SENTENCES)
        street = f"{rng.randrange(1, 200)} {rng.choice(STREETS)}" if rng.random() < 0.9 else ""
        operator = rng.choice(["", "", f"Ville de {place.name}", "Association Numérique Pour Tous"])
        r = rng.random()
        publication = "draft" if r < drafts * 0.6 else "archived" if r < drafts else "published"
        text_parts = [name, summary, operator, street, place.postcode, place.name]
        text_parts += [kinds[slug].name for slug in chosen]
        rows.append(
            Hub(
                name=name,
                slug=f"{prefix}{i}",
                summary=summary,
                description="\n\n".join(rng.sample(SENTENCES, rng.randrange(2, 6))),
                street_address=street,
                postcode=place.postcode,
                commune_id=place.insee,
                latitude=round(place.lat + rng.uniform(-0.01, 0.01), 6),
                longitude=round(place.lng + rng.uniform(-0.015, 0.015), 6),
                website=f"https://lieu-{i}.example.org/" if rng.random() < 0.7 else "",
                email=f"contact@lieu-{i}.example.org" if rng.random() < 0.6 else "",
                phone=f"03 20 {i % 100:02d} {i // 100 % 100:02d} 00" if rng.random() < 0.5 else "",
                opening_hours=HOURS if rng.random() < 0.6 else "",
                operator=operator,
                surface_m2=rng.randrange(40, 3000) if rng.random() < 0.4 else None,
                status=rng.choices(["open", "project", "closed"], weights=[85, 8, 7])[0],
                opened_on=datetime.date(rng.randrange(2005, 2026), rng.randrange(1, 13), 1)
                if rng.random() < 0.6
                else None,
                publication=publication,
                search_text=f" {normalize(' '.join(p for p in text_parts if p))} ",
            )
        )
        hub_kinds.append([kinds[slug] for slug in chosen])
    hubs = Hub.objects.bulk_create(rows, batch_size=BATCH)

    # A few hubs are hosted by another one of the same commune.
    first_in_commune: dict[str, object] = {}
    children = []
    for hub in hubs:
        host = first_in_commune.setdefault(hub.commune_id, hub)
        if host is not hub and rng.random() < 0.3:
            hub.parent_id = host.pk
            children.append(hub)
    Hub.objects.bulk_update(children, ["parent"], batch_size=BATCH)

    links = {Hub.kinds: [], Hub.equipment: [], Hub.audiences: [], Hub.labels: []}
    for hub, chosen in zip(hubs, hub_kinds, strict=True):
        links[Hub.kinds] += [Hub.kinds.through(hub_id=hub.pk, hubkind_id=k.pk) for k in chosen]
        for item in rng.sample(equipment, rng.randrange(0, min(7, len(equipment) + 1))):
            links[Hub.equipment].append(Hub.equipment.through(hub_id=hub.pk, equipment_id=item.pk))
        for item in rng.sample(audiences, rng.randrange(0, min(4, len(audiences) + 1))):
            links[Hub.audiences].append(Hub.audiences.through(hub_id=hub.pk, audience_id=item.pk))
        if labels and rng.random() < 0.2:
            links[Hub.labels].append(
                Hub.labels.through(hub_id=hub.pk, label_id=rng.choice(labels).pk)
            )
    for relation, objects in links.items():
        relation.through.objects.bulk_create(objects, batch_size=BATCH * 2)

    indicators = []
    for hub in hubs:
        if rng.random() < 0.25:
            for year in rng.sample(range(2018, 2026), rng.randrange(1, 5)):
                indicators.append(
                    HubIndicator(
                        hub_id=hub.pk,
                        year=year,
                        jobs=rng.randrange(0, 60) if rng.random() < 0.8 else None,
                        companies_hosted=rng.randrange(0, 40) if rng.random() < 0.6 else None,
                        people_trained=rng.randrange(0, 500) if rng.random() < 0.6 else None,
                    )
                )
    HubIndicator.objects.bulk_create(indicators, batch_size=BATCH)
    return hubs


# ---------------------------------------------------------------- funding
# slug, name, short name, category, how often it takes part in an operation
FUNDERS = [
    ("bench-feder", "Fonds européen de développement régional (bench)", "FEDER", "eu_fund", 30),
    ("bench-fse", "Fonds social européen (bench)", "FSE", "eu_fund", 10),
    ("bench-etat", "État — DSIL et ANCT (bench)", "État", "state", 18),
    ("bench-region", "Région (bench)", "Région", "region", 30),
    ("bench-dep", "Département (bench)", "Département", "departement", 16),
    ("bench-epci", "Intercommunalité (bench)", "EPCI", "epci", 22),
    ("bench-commune", "Commune (bench)", "Commune", "commune", 16),
    ("bench-cci", "Chambre de commerce et d'industrie (bench)", "CCI", "chamber", 6),
    ("bench-prive", "Mécénat d'entreprises (bench)", "Mécénat", "private", 5),
    ("bench-cdc", "Banque des Territoires (bench)", "CDC", "other", 5),
]
PURPOSES = ["investment", "equipment", "running", "animation", "training", "purchase", "other"]
OPERATION_TITLES = [
    "Aménagement des locaux",
    "Équipement du fablab",
    "Fonctionnement",
    "Programme d'animation",
    "Sessions de formation",
    "Acquisition du bâtiment",
    "Ingénierie de projet",
]


def ensure_funders() -> list:
    """The benchmark funders, one or more of every category (created or updated)."""
    from funding.models import Funder

    return [
        Funder.objects.update_or_create(
            slug=slug, defaults={"name": name, "short_name": short, "category": category}
        )[0]
        for slug, name, short, category, _ in FUNDERS
    ]


def _shares(rng, k: int) -> list[Decimal]:
    """``k`` shares (%) summing to at most 100, often whole numbers like in the press."""
    weights = [rng.uniform(0.2, 1.0) for _ in range(k)]
    coverage = Decimal(str(rng.uniform(0.5, 1.0)))
    total = sum(weights)
    whole = rng.random() < 0.6
    shares = []
    for w in weights:
        share = Decimal(str(w / total)) * coverage * 100
        shares.append(share.quantize(Decimal(1) if whole else CENT, rounding=ROUND_DOWN))
    return shares  # rounded down: the sum stays within 100


def generate_funding(rng, hubs: list, line_count: int, funders: list) -> tuple[list, list]:
    """Operations of 1 to 6 financing lines (``line_count`` lines in all) for ``hubs``.

    Like the real data: three quarters of the operations have a known total
    cost; a line gives an amount, a share, or both; share-only lines of an
    operation without a total have no known amount. Shares never exceed 100 %
    per operation and amounts never exceed a known total (the database triggers
    refuse it). One line in ten is only requested (not public).
    """
    from funding.models import FinancingLine, FundedOperation

    frequency = {slug: often for slug, *_, often in FUNDERS}
    weights = [frequency.get(funder.slug, 5) for funder in funders]
    funded_hubs = [hub for hub in hubs if rng.random() < 0.7] or hubs
    plans = []
    remaining = line_count
    while remaining > 0:
        k = min(remaining, rng.choices(range(1, 7), weights=[15, 25, 25, 18, 10, 7])[0])
        remaining -= k
        total = Decimal(int(10 ** rng.uniform(4, 6.5))) if rng.random() < 0.75 else None
        start = (
            datetime.date(rng.randrange(2014, 2026), rng.randrange(1, 13), rng.randrange(1, 29))
            if rng.random() < 0.9
            else None
        )
        plans.append((k, total, start))
    operations = FundedOperation.objects.bulk_create(
        [
            FundedOperation(
                hub=rng.choice(funded_hubs),
                title=f"{rng.choice(OPERATION_TITLES)} {i}",
                purpose=rng.choice(PURPOSES),
                total_cost=total,
                start_date=start,
                end_date=start + datetime.timedelta(days=rng.randrange(180, 1100))
                if start and rng.random() < 0.6
                else None,
                programme=rng.choice(["", "PO FEDER-FSE 2014-2020", "Contrat de plan État-Région"]),
            )
            for i, (k, total, start) in enumerate(plans)
        ],
        batch_size=BATCH,
    )
    lines = []
    for operation, (k, total, start) in zip(operations, plans, strict=True):
        chosen = _weighted_sample(rng, funders, weights, k)
        for funder, share in zip(chosen, _shares(rng, k), strict=True):
            derived = (total * share / 100).quantize(CENT, rounding=ROUND_DOWN) if total else None
            r = rng.random()
            if total is None:  # half share-only (amount unknown), half amount-only
                amount = Decimal(rng.randrange(5_000, 500_000)) if r < 0.5 else None
                line_share = None if r < 0.5 else share
            elif r < 0.45:  # both, agreeing
                amount, line_share = derived, share
            elif r < 0.8:  # amount only
                amount, line_share = derived, None
            else:  # share only, amount derived from the total
                amount, line_share = None, share
            decision = (
                start - datetime.timedelta(days=rng.randrange(0, 300))
                if start and rng.random() < 0.6
                else None
            )
            lines.append(
                FinancingLine(
                    operation_id=operation.pk,
                    funder=funder,
                    amount=amount,
                    share=line_share,
                    status=rng.choices(["paid", "granted", "requested"], weights=[45, 45, 10])[0],
                    decision_date=decision,
                )
            )
    FinancingLine.objects.bulk_create(lines, batch_size=BATCH * 2)
    return operations, lines


# ---------------------------------------------------------------- events
EVENT_TOPICS = [
    "Initiation à l'impression 3D",
    "Café numérique",
    "Découvrir Python",
    "Réparer son ordinateur",
    "Créer son site web",
    "Cybersécurité pour les TPE",
    "Démarches en ligne",
    "Robotique pour les enfants",
    "Intelligence artificielle : mode d'emploi",
    "Soirée des entrepreneurs",
]
VENUES = ["Médiathèque", "Salle des fêtes", "Mairie", "Lycée", "Centre social", "Hôtel de région"]


def generate_events(
    rng,
    count: int,
    prefix: str,
    hubs: list,
    places: Places,
    past_days: int = 548,
    future_days: int = 548,
) -> list:
    """``count`` events from ``past_days`` ago to ``future_days`` ahead (18 months each way).

    Two thirds at a published hub of ``hubs``, one third at a venue of their own
    in a commune drawn by population (no hub). Slugs are ``{prefix}{i}``.
    """
    from django.utils import timezone

    from events.models import Event
    from hubs.models import Audience, Hub
    from territories.text import normalize

    public = [hub for hub in hubs if hub.publication == Hub.Publication.PUBLISHED] or hubs
    commune_names = {place.insee: place.name for place in places.all}
    kinds = [(value, str(label)) for value, label in Event.Kind.choices]
    audiences = list(Audience.objects.all())
    today = timezone.localdate()
    rows = []
    for i in range(count):
        day = today + datetime.timedelta(days=rng.randrange(-past_days, future_days))
        all_day = rng.random() < 0.15
        if all_day:
            start = datetime.datetime.combine(day, datetime.time(0), PARIS)
            end = start + datetime.timedelta(days=rng.choice([1, 1, 2, 3]), minutes=-1)
        else:
            start = datetime.datetime.combine(
                day, datetime.time(rng.randrange(9, 20), rng.choice([0, 15, 30])), PARIS
            )
            end = start + datetime.timedelta(hours=rng.choice([1, 2, 2, 3, 4]))
        kind, kind_label = rng.choice(kinds)
        title = f"{rng.choice(EVENT_TOPICS)} {i}"
        summary = rng.choice(SENTENCES)
        hub = rng.choice(public) if rng.random() < 2 / 3 else None
        place = None if hub else places.pick(rng)
        venue = f"{rng.choice(VENUES)} de {place.name}" if place else ""
        text = [title, summary, venue, kind_label, place.name if place else ""]
        if hub:
            text += [hub.name, commune_names.get(hub.commune_id, "")]
        free = rng.random() < 0.6
        r = rng.random()
        rows.append(
            Event(
                title=title,
                slug=f"{prefix}{i}",
                kind=kind,
                summary=summary,
                description="\n\n".join(rng.sample(SENTENCES, rng.randrange(1, 4))),
                hub=hub,
                venue_name=venue,
                commune_id=place.insee if place else None,
                latitude=round(place.lat + rng.uniform(-0.005, 0.005), 6) if place else None,
                longitude=round(place.lng + rng.uniform(-0.005, 0.005), 6) if place else None,
                start=start,
                end=end,
                all_day=all_day,
                registration_url=f"https://inscription.example.org/{i}"
                if rng.random() < 0.5
                else "",
                is_free=free,
                price=None if free or rng.random() < 0.5 else Decimal(rng.randrange(5, 300)),
                status=rng.choices(
                    ["scheduled", "cancelled", "full", "postponed"], weights=[88, 5, 4, 3]
                )[0],
                publication="draft" if r < 0.04 else "archived" if r < 0.05 else "published",
                search_text=f" {normalize(' '.join(p for p in text if p))} ",
            )
        )
    events = Event.objects.bulk_create(rows, batch_size=BATCH)
    through = Event.audiences.through
    through.objects.bulk_create(
        [
            through(event_id=event.pk, audience_id=audience.pk)
            for event in events
            for audience in rng.sample(audiences, rng.randrange(0, min(3, len(audiences) + 1)))
        ],
        batch_size=BATCH * 2,
    )
    return events
