"""The dashboard in three passes (funding.summaries) gives the figures of the eight
aggregates it replaced (tests/funding/reference_dashboard.py), on random data."""

import datetime
import random
from decimal import Decimal

import pytest

from funding import summaries
from funding.filters import FundingFilterSet
from funding.models import FinancingLine, FundedOperation, Funder
from hubs.models import Hub, HubIndicator, HubKind
from tests import factories

from . import reference_dashboard

pytestmark = pytest.mark.django_db

FUNDERS = [
    ("fse", Funder.Category.EU_FUND),
    ("feder", Funder.Category.EU_FUND),
    ("etat", Funder.Category.STATE),
    ("region", Funder.Category.REGION),
    ("dep", Funder.Category.DEPARTEMENT),
    ("agglo", Funder.Category.EPCI),
    ("ville", Funder.Category.COMMUNE),
    ("banque", Funder.Category.PRIVATE),
    # Only share-only lines of operations without a total: a NULL sum, listed last
    # on every database (PostgreSQL alone would list it first in ``ORDER BY total DESC``).
    ("mecene", Funder.Category.OTHER),
]
COMMUNES = [
    # insee, département, EPCI (None: none)
    ("59606", "59", "245901160"),
    ("59009", "59", "245900410"),
    ("59350", "59", "245900410"),
    ("62193", "62", "246200364"),
    ("62001", "62", None),
    ("69123", "69", "200046977"),
]


def _territories():
    factories.region("84", "Auvergne-Rhône-Alpes")
    factories.departement("62", "Pas-de-Calais")
    factories.departement("69", "Rhône", region_code="84")
    communes = []
    for i, (insee, dep, siren) in enumerate(COMMUNES):
        if siren:
            factories.epci(siren, name=f"EPCI {siren}")
        communes.append(
            factories.commune(
                insee, f"Commune {insee}", dep, siren, lat=45 + i / 10, lng=3 + i / 10
            )
        )
    return communes


def _random_data(seed: int) -> None:
    """Hubs, operations and lines like the real ones, drawn from ``seed``.

    Amounts are whole cents (totals in hundreds of euros), so that SQLite's
    floating-point sums round to the same cents whatever the order of addition.
    """
    rng = random.Random(seed)
    communes = _territories()
    kinds = list(HubKind.objects.values_list("slug", flat=True))
    funders = [
        Funder.objects.create(name=slug.upper(), short_name=slug, slug=slug, category=category)
        for slug, category in FUNDERS
    ]
    hubs = [
        factories.hub(
            name=f"Lieu {i:02d}",
            kinds=rng.sample(kinds, rng.choice([0, 1, 1, 2, 3])),
            commune_obj=rng.choice(communes),
        )
        for i in range(30)
    ]
    for hub in rng.sample(hubs, 10):
        for year in rng.sample(range(2015, 2025), 2):
            HubIndicator.objects.create(hub=hub, year=year, jobs=rng.choice([None, 0, 3, 12]))
    for i in range(90):
        total = Decimal(rng.randrange(10, 5000) * 100) if rng.random() < 0.7 else None
        start = datetime.date(rng.randrange(2014, 2026), 3, 1) if rng.random() < 0.85 else None
        operation = FundedOperation.objects.create(
            hub=rng.choice(hubs),
            title=f"Opération {i:03d}",
            purpose="training",
            total_cost=total,
            start_date=start,
        )
        chosen = rng.sample(funders[:-1], rng.randrange(1, 6))
        if total is None and rng.random() < 0.5:
            chosen.append(funders[-1])
        for funder in chosen:
            share = Decimal(rng.randrange(1, 100 // len(chosen) + 1))
            if funder is funders[-1]:
                amount = None
            elif total is None:
                amount = Decimal(rng.randrange(100, 90000)) / 100 if rng.random() < 0.6 else None
            else:
                amount = rng.choice([None, total * share / 100])
            FinancingLine.objects.create(
                operation=operation,
                funder=funder,
                amount=amount,
                share=share if amount is None or rng.random() < 0.5 else None,
                status=rng.choice(["granted", "paid", "paid", "requested", "planned"]),
                nature=rng.choice(["subsidy"] * 4 + ["advance", "direct", "acquisition"]),
                decision_date=datetime.date(rng.randrange(2013, 2026), 6, 1)
                if rng.random() < 0.6
                else None,
            )


def _ordered_totals(rows):
    """The order of a table ordered by total only: its totals (ties may come in any order)."""
    return [(row["total"], row["unknown"] == row["lines"]) for row in rows]


def _as_set(rows):
    return sorted(repr(sorted(row.items(), key=repr)) for row in rows)


PARAMS = [
    {},
    {"territory": "region:32"},
    {"territory": "dep:59"},
    {"territory": "epci:245900410"},
    {"territory": "62001"},
    {"category": ["eu_fund", "epci"]},
    {"fund": ["fse", "mecene"]},
    {"kind": ["fablab", "coworking"]},
    {"year_from": "2016", "year_to": "2021"},
    {"status": ["requested"]},
]


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_three_passes_give_the_figures_of_the_eight_aggregates(seed):
    _random_data(seed)
    assert FinancingLine.objects.filter(amount=None, operation__total_cost=None).exists()
    for visible in (FinancingLine.objects.visible_to(None), FinancingLine.objects.all()):
        for params in PARAMS:
            filterset = FundingFilterSet(params, queryset=visible)
            assert filterset.is_valid(), filterset.errors
            territory = filterset.form.cleaned_data.get("territory")
            level = territory.level if territory else None
            expected = reference_dashboard.dashboard(filterset.qs, level)
            got = summaries.dashboard(filterset.qs, level)
            context = (seed, params, visible.count())
            assert got["headline"] == expected["headline"], context
            assert got["years"] == expected["years"], context
            assert got["operations"] == expected["operations"], context
            assert got["hubs"] == expected["hubs"], context
            for table in ("categories", "funders", "kinds", "territories"):
                assert _as_set(got[table]) == _as_set(expected[table]), (table, *context)
                assert _ordered_totals(got[table]) == _ordered_totals(expected[table]), (
                    table,
                    *context,
                )


def test_a_funder_without_any_known_amount_comes_last_on_every_database(db):
    _territories()
    hub = factories.hub()
    known = Funder.objects.create(name="Connu", slug="connu", category="region")
    unknown = Funder.objects.create(name="Inconnu", slug="inconnu", category="other")
    operation = FundedOperation.objects.create(hub=hub, title="Sans total", purpose="training")
    FinancingLine.objects.create(operation=operation, funder=known, amount=Decimal(500))
    FinancingLine.objects.create(operation=operation, funder=unknown, share=Decimal(30))
    funders = summaries.dashboard(FinancingLine.objects.all(), None)["funders"]
    assert [row["funder__slug"] for row in funders] == ["connu", "inconnu"]
    assert funders[1]["total"] is None  # not known, never 0 (issue 19)
    assert funders[1]["unknown"] == 1
    assert reference_dashboard.by_funder(FinancingLine.objects.all()) == funders


def test_hub_without_kind_and_hub_with_two_kinds(db):
    _territories()
    plain = factories.hub(name="Sans type", kinds=())
    double = factories.hub(name="Deux types", kinds=("fablab", "coworking"))
    funder = Funder.objects.create(name="Région", slug="region", category="region")
    for hub, amount in ((plain, 100), (double, 250)):
        operation = FundedOperation.objects.create(hub=hub, title=hub.name, purpose="training")
        FinancingLine.objects.create(operation=operation, funder=funder, amount=Decimal(amount))
    kinds = {
        row["operation__hub__kinds__slug"]: row["total"]
        for row in summaries.dashboard(FinancingLine.objects.all(), None)["kinds"]
    }
    assert kinds == {None: Decimal(100), "fablab": Decimal(250), "coworking": Decimal(250)}
    assert Hub.objects.count() == 2


def test_an_operation_whose_money_is_unknown_is_not_the_largest(db):
    _territories()
    hub = factories.hub()
    funder = Funder.objects.create(name="Région", slug="region", category="region")
    known = FundedOperation.objects.create(hub=hub, title="Connue", purpose="training")
    unknown = FundedOperation.objects.create(hub=hub, title="Inconnue", purpose="training")
    FinancingLine.objects.create(operation=known, funder=funder, amount=Decimal(500))
    FinancingLine.objects.create(operation=unknown, funder=funder, share=Decimal(30))
    operations = summaries.dashboard(FinancingLine.objects.all(), None)["operations"]
    assert [row["operation__title"] for row in operations] == ["Connue", "Inconnue"]
    assert operations[1]["unknown"] == 1


@pytest.mark.parametrize(
    ("amounts", "expected"),
    [
        # Equal amounts inside the ten kept, none left out: the titles order them.
        ([900, 500, 500, 400], ["A 900", "B 500", "C 500", "D 400"]),
        # A tie across the cut (the 10th and the 11th): the titles choose who is kept.
        ([300] * 12, [f"{letter} 300" for letter in "ABCDEFGHIJ"]),
        # More than ten, the cut between two amounts: the largest ten, titles for ties.
        (
            [100 * n for n in range(1, 13)] + [1100],
            ["A 1200", "B 1100", "C 1100", "D 1000", "E 900", "F 800"]
            + ["G 700", "H 600", "I 500", "J 400"],
        ),
    ],
)
def test_largest_operations_are_ordered_by_amount_then_title(db, amounts, expected):
    """Like ``ORDER BY funded DESC NULLS LAST, title``, the oracle's single query."""
    _territories()
    hub = factories.hub()
    funder = Funder.objects.create(name="Région", slug="region", category="region")
    ordered = sorted(amounts, reverse=True)
    # Created in an order unlike the expected one: the ids must not decide.
    for index in reversed(range(len(ordered))):
        operation = FundedOperation.objects.create(
            hub=hub, title=f"{'ABCDEFGHIJKLMNOP'[index]} {ordered[index]}", purpose="training"
        )
        FinancingLine.objects.create(operation=operation, funder=funder, amount=ordered[index])
    lines = FinancingLine.objects.all()
    operations = summaries.dashboard(lines, None)["operations"]
    assert [row["operation__title"] for row in operations] == expected
    expected_rows = reference_dashboard.largest_operations(lines)
    assert operations == [{k: v for k, v in r.items() if k != "operations"} for r in expected_rows]


@pytest.mark.parametrize(
    ("amounts", "expected_first"),
    [
        # 60 equal totals: the 50 shown are the first 50 names, in name order.
        ([500] * 60, ["Lieu 00", "Lieu 01", "Lieu 02"]),
        # Distinct totals with ties inside the 50 shown: amount, then name.
        ([100 * (n // 2 + 1) for n in range(60)], ["Lieu 00", "Lieu 01", "Lieu 02"]),
    ],
)
def test_the_hubs_shown_are_ordered_by_total_then_name(db, amounts, expected_first):
    """Like ``ORDER BY total DESC NULLS LAST, name`` (the oracle's single query), though
    only the hubs shown are read by name."""
    _territories()
    funder = Funder.objects.create(name="Région", slug="region", category="region")
    ordered = sorted(amounts, reverse=True)
    for index in reversed(range(len(ordered))):  # ids unlike the expected order
        hub = factories.hub(name=f"Lieu {index:02d}")
        operation = FundedOperation.objects.create(hub=hub, title="Plan", purpose="training")
        FinancingLine.objects.create(operation=operation, funder=funder, amount=ordered[index])
    lines = FinancingLine.objects.all()
    result = summaries.dashboard(lines, None)
    names = [row["operation__hub__name"] for row in result["hubs"]]
    assert len(names) == 50 and names[:3] == expected_first
    expected = reference_dashboard.per_hub(lines)
    assert names == [row["operation__hub__name"] for row in expected]
    assert [row["total"] for row in result["hubs"]] == [row["total"] for row in expected]
    assert result["headline"]["hubs"] == 60
