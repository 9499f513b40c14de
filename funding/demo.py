"""Demo financing plans from the seed articles, with their figures.

Loaded after the demo hubs; idempotent (funders by slug, operations by hub and
title, lines by operation and funder).
"""

import datetime
from decimal import Decimal

from django.db import transaction

from hubs.demo import SEED_CALAIS, SEED_VALENCIENNES, upsert
from hubs.models import Hub

from .models import FinancingLine, FundedOperation, Funder

FUNDERS = [
    # slug, name, short name, category, territory
    ("fse", "Fonds social européen", "FSE", Funder.Category.EU_FUND, ""),
    ("feder", "Fonds européen de développement régional", "FEDER", Funder.Category.EU_FUND, ""),
    (
        "region-hauts-de-france",
        "Région Hauts-de-France",
        "Région HdF",
        Funder.Category.REGION,
        "region:32",
    ),
    (
        "valenciennes-metropole",
        "Valenciennes Métropole",
        "CAVM",
        Funder.Category.EPCI,
        "epci:245901160",
    ),
    ("etat", "État", "État", Funder.Category.STATE, ""),
    # Recorded by its own staff (issue 19): no line of the seed articles names its money.
    (
        "maubeuge-val-de-sambre",
        "Communauté d'agglomération Maubeuge Val de Sambre",
        "CAMVS",
        Funder.Category.EPCI,
        "epci:200043396",
    ),
]

OPERATIONS = [
    {
        "hub": "pop-school-valenciennes",
        "title": "Pop School Valenciennes — formation de développeurs web et mobile",
        "purpose": FundedOperation.Purpose.TRAINING,
        "total_cost": Decimal("1000000"),
        "start_date": datetime.date(2015, 11, 1),
        "notes": "Sessions de six mois pour une trentaine de jeunes de 18 à 26 ans chacune.",
        "source": SEED_VALENCIENNES,
        "lines": [
            ("fse", None, Decimal("92"), "granted"),
            ("valenciennes-metropole", None, Decimal("8"), "granted"),
        ],
    },
    {
        "hub": "pop-place-valenciennes",
        "title": "Animation du fab lab de la pop place",
        "purpose": FundedOperation.Purpose.ANIMATION,
        "total_cost": None,
        "start_date": datetime.date(2016, 10, 1),
        "notes": "Le coût total n'est pas publié : seules les parts sont connues.",
        "source": SEED_VALENCIENNES,
        "lines": [
            ("feder", None, Decimal("60"), "granted"),
            ("valenciennes-metropole", None, Decimal("40"), "granted"),
        ],
    },
    {
        "hub": "pop-place-valenciennes",
        "title": "Matériel du fab lab (imprimantes 3D, découpe laser…)",
        "purpose": FundedOperation.Purpose.EQUIPMENT,
        "total_cost": None,
        "start_date": datetime.date(2016, 10, 1),
        "notes": "Financé « moitié-moitié » : montant total non publié.",
        "source": SEED_VALENCIENNES,
        "lines": [
            ("region-hauts-de-france", None, Decimal("50"), "granted"),
            ("valenciennes-metropole", None, Decimal("50"), "granted"),
        ],
    },
    {
        "hub": "nouvelle-forge",
        "title": "Aménagement de la Nouvelle Forge",
        "purpose": FundedOperation.Purpose.INVESTMENT,
        "total_cost": None,
        "start_date": datetime.date(2016, 1, 1),
        "notes": "Valenciennes Métropole « a déjà mis 900 000 euros dans les aménagements ».",
        "source": SEED_VALENCIENNES,
        "lines": [("valenciennes-metropole", Decimal("900000"), None, "paid")],
    },
    {
        "hub": "nouvelle-forge",
        "title": "Acquisition du bâtiment au terme du contrat de neuf ans",
        "purpose": FundedOperation.Purpose.PURCHASE,
        "total_cost": Decimal("800000"),
        # A future acquisition by the agglomeration, nine years after the 2016 start:
        # planned, never added to the money granted, and its own spending, not
        # co-financing (issue 19).
        "start_date": datetime.date(2025, 10, 1),
        "notes": "Le bâtiment appartient à un privé lié par contrat à l'agglomération, qui en récupérera la propriété au bout de neuf ans moyennant 800 000 euros.",
        "source": SEED_VALENCIENNES,
        "lines": [
            ("valenciennes-metropole", Decimal("800000"), Decimal("100"), "planned", "acquisition")
        ],
    },
    {
        "hub": "maison-numerique-innovation-calaisis",
        "title": "Aménagement des locaux de la Maison du numérique et de l'innovation",
        "purpose": FundedOperation.Purpose.INVESTMENT,
        "total_cost": Decimal("1100000"),
        "start_date": datetime.date(2018, 1, 1),
        "programme": "Contrat de territoire 2015",
        "notes": "Coût total de 1 100 000 euros HT ; subvention de l'État « de l'ordre de 880 000 euros ». Les autres financeurs ne sont pas cités.",
        "source": SEED_CALAIS,
        "lines": [("etat", Decimal("880000"), Decimal("80"), "granted")],
    },
    {
        "hub": "maison-numerique-innovation-calaisis",
        "title": "Fonctionnement annuel des trois sites",
        "purpose": FundedOperation.Purpose.RUNNING,
        "total_cost": Decimal("400000"),
        "start_date": datetime.date(2018, 1, 1),
        "notes": "Budget annuel de 400 000 euros pour six salariés et une directrice ; financeurs non cités.",
        "source": SEED_CALAIS,
        "lines": [],
    },
]


@transaction.atomic
def load() -> dict[str, int]:
    funders = {}
    for slug, name, short_name, category, territory in FUNDERS:
        funders[slug], _ = upsert(
            Funder,
            {"slug": slug},
            {
                "name": name,
                "short_name": short_name,
                "category": category,
                "territory_code": territory,
            },
        )
    hubs = Hub.objects.in_bulk([row["hub"] for row in OPERATIONS], field_name="slug")
    counts = {"created": 0, "updated": 0, "unchanged": 0}
    for row in OPERATIONS:
        defaults = {
            key: row.get(key, "" if key in ("programme", "notes", "source") else None)
            for key in (
                "purpose",
                "total_cost",
                "start_date",
                "end_date",
                "programme",
                "notes",
                "source",
            )
        }
        operation, state = upsert(
            FundedOperation, {"hub": hubs[row["hub"]], "title": row["title"]}, defaults
        )
        # The check and unique constraints were enforced by the database at the save.
        operation.full_clean(validate_constraints=False)
        wanted = set()
        for funder_slug, amount, share, status, *nature in row["lines"]:
            line, line_state = upsert(
                FinancingLine,
                {"operation": operation, "funder": funders[funder_slug]},
                {
                    "amount": amount,
                    "share": share,
                    "status": status,
                    "nature": nature[0] if nature else FinancingLine.Nature.SUBSIDY,
                    "source": row["source"],
                },
            )
            line.full_clean(validate_constraints=False)
            wanted.add(line.pk)
            if state == "unchanged" and line_state != "unchanged":
                state = "updated"  # an operation is updated when its plan is
        removed, _ = operation.lines.exclude(pk__in=wanted).delete()
        if state == "unchanged" and removed:
            state = "updated"
        counts[state] += 1
    return counts
