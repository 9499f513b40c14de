"""Figures an elected official can sign (issue 19): nothing unknown shown as 0 €,
co-financing apart from a public body's own spending, planned commitments apart,
the words officials use, every active filter visible."""

import re
from decimal import Decimal

import pytest
from django.urls import reverse

from funding.models import FinancingLine, FundedOperation, Funder
from funding.templatetags.funding_tags import amount
from tests import factories

VALENCIENNES = {"territory": "245901160"}
# « 0 € » as an amount, not the end of « 80 000 € ».
FALSE_ZERO = re.compile(r"(?<![\d\u202f,.])0\u00a0€")


def _text(html):
    """What a reader sees: the tags taken out."""
    return re.sub(r"<[^>]+>", "", html)


def _row(content, header):
    """The text of the table row whose header cell holds ``header``."""
    match = re.search(
        r"<tr>\s*<th scope=\"row\">(?:(?!</tr>).)*?" + header + r".*?</tr>", content, re.S
    )
    assert match, header
    return match.group(0)


@pytest.mark.parametrize("params", [{}, VALENCIENNES, {"kind": "fablab"}, {"category": "region"}])
def test_no_false_zero_anywhere_on_the_demo_dashboard(client, demo_funding, params):
    content = client.get("/funding/", params).content.decode()
    assert not FALSE_ZERO.search(content), FALSE_ZERO.search(content)


def test_a_funder_kind_or_hub_without_known_amount_says_so(client, demo_funding):
    content = client.get("/funding/", VALENCIENNES).content.decode()
    # FEDER paid 60 % of the Pop Place's animation, whose total is not published.
    assert "montant non connu (1 ligne)" in _row(content, "FEDER")
    assert "montant non connu (1 ligne)" in _row(content, "Région HdF")
    # The Pop Place: four lines, four shares of unpublished totals.
    per_hub = content[content.index('id="per-hub"') :]
    assert "montant non connu (4 lignes)" in _row(per_hub, "Pop Place")
    # Known and unknown together: « au moins ».
    assert "au moins 980\u202f000\u00a0€" in _text(_row(content, "CAVM"))
    # The kinds table has the « sans montant » column of the others.
    kinds = content[content.index('id="by-kind"') : content.index('id="largest"')]
    assert "dont sans montant connu" in kinds


def test_funders_by_the_names_officials_use(client, demo_funding):
    content = client.get("/funding/", VALENCIENNES).content.decode()
    assert '<abbr title="Fonds européen de développement régional">FEDER</abbr>' in content
    assert '<abbr title="Fonds social européen">FSE</abbr>' in content
    assert '<abbr title="Valenciennes Métropole">CAVM</abbr>' in content


def test_the_purchase_is_planned_and_out_of_every_total(client, demo_funding):
    response = client.get("/funding/", VALENCIENNES)
    years = {row["year"]: row for row in response.context["years"]}
    assert set(years) == {2015, 2016}
    assert years[2016]["total"] == Decimal("900000.00")  # the fit-out; no 800k purchase
    content = response.content.decode()
    planned = content[content.index('id="planned"') :]
    assert "Acquisition du bâtiment au terme du contrat de neuf ans" in planned
    assert "2025" in planned and "800\u202f000\u00a0€" in planned
    # The sentence and the leverage, in plain words.
    assert (
        "Depuis 2015, au moins 1,9\u00a0M€ de cofinancements publics connus pour 3 lieux, "
        "dont 48\u00a0% de fonds européens." in content
    )
    assert "0,94 € européen pour 1 € public local" in _text(content)


def test_direct_spending_is_shown_apart_and_not_in_the_leverage(client, demo_funding):
    forge = FundedOperation.objects.get(title="Aménagement de la Nouvelle Forge")
    forge.lines.update(nature=FinancingLine.Nature.DIRECT)
    response = client.get("/funding/", VALENCIENNES)
    headline = response.context["headline"]
    assert headline["total"] == Decimal("1000000.00")  # Pop School only
    assert float(headline["eu_leverage"]) == pytest.approx(920000 / 80000)
    [direct] = response.context["direct"]
    assert (direct["funder"].slug, direct["nature"], direct["total"]) == (
        "valenciennes-metropole",
        "direct",
        Decimal("900000.00"),
    )
    assert "Dépenses directes des collectivités" in response.content.decode()


def test_unknown_bars_are_left_out_of_the_charts_and_said_so(client, demo_funding):
    response = client.get("/funding/", VALENCIENNES)
    charts = response.context["charts"]
    assert charts["categoryLeftOut"] == 1  # Région: one share of an unknown total
    assert "Fonds européen" in charts["categoryLabels"] and len(charts["categoryLabels"]) == 2
    assert "1 catégorie sans montant connu n'est pas dessinée" in response.content.decode()


def test_the_hub_link_leads_to_a_dashboard_that_names_the_hub(client, demo_funding):
    page = client.get(reverse("hubs:detail", args=["pop-place-valenciennes"])).content.decode()
    link = re.search(r'<a href="(/funding/\?hub=[^"]+)">([^<]+)</a>', page)
    assert link and "Pop Place" in link.group(2)
    dashboard = client.get(link.group(1).replace("&amp;", "&")).content.decode()
    chip = re.search(r'<li class="filter-chip">.*?</li>', dashboard, re.S).group(0)
    assert "Lieu : <strong>Pop Place — coworking et fab lab</strong>" in chip
    assert 'href="/funding/"' in chip  # removing it shows everything again


def test_each_active_filter_is_a_chip_that_removes_itself(client, demo_funding):
    response = client.get(
        "/funding/", {"territory": "245901160", "year_from": "2016", "category": "epci"}
    )
    chips = {chip["label"]: chip for chip in response.context["chips"]}
    assert chips["Territoire"]["value"] == "CA Valenciennes Métropole"
    assert chips["De l'année"]["value"] == "depuis 2016"
    assert chips["Catégorie de financeur"]["value"] == "Intercommunalité"
    assert chips["De l'année"]["query"] == "territory=245901160&category=epci"


def test_the_hub_page_marks_a_planned_acquisition(client, demo_funding):
    page = client.get(reverse("hubs:detail", args=["nouvelle-forge"])).content.decode()
    row = _row(page, "CAVM")
    assert "prévu en 2025" in page and "(acquisition)" in page
    assert "800\u202f000\u00a0€" in page and row


@pytest.mark.parametrize(
    ("total", "lines", "unknown", "expected"),
    [
        (None, 0, 0, "—"),
        (None, 2, 2, "montant non connu (2 lignes)"),
        (Decimal("1000"), 3, 1, "au moins 1\u202f000\u00a0€"),
        (Decimal("1000.5"), 1, 0, "1\u202f000,50\u00a0€"),
        (Decimal("0"), 1, 0, "0\u00a0€"),  # a known zero is a zero
    ],
)
def test_the_amount_tag(total, lines, unknown, expected):
    assert re.sub(r"<[^>]+>", "", str(amount(total, lines, unknown))) == expected


def test_a_planned_line_is_never_summed_even_for_staff(client, db):
    factories.reference_territories(if_missing=True)
    hub = factories.hub()
    funder = Funder.objects.create(name="Agglo", slug="agglo", category="epci")
    operation = FundedOperation.objects.create(
        hub=hub, title="Achat", purpose="purchase", total_cost=Decimal("1000")
    )
    FinancingLine.objects.create(
        operation=operation, funder=funder, amount=Decimal("1000"), status="planned"
    )
    client.force_login(factories.superuser())
    response = client.get("/funding/")
    assert response.context["headline"]["lines"] == 0
    assert [row["effective"] for row in response.context["planned"]] == [Decimal("1000.00")]


def test_a_budget_without_known_funders_is_shown_as_such(client, demo_funding):
    response = client.get("/funding/", {"territory": "dep:62"})
    [calais] = response.context["unfunded"]
    assert calais["title"] == "Fonctionnement annuel des trois sites"
    assert calais["total_cost"] == Decimal("400000.00")
    section = response.content.decode().split('id="unfunded"')[1].split("</section>")[0]
    assert "400\u202f000\u00a0€" in section and "non publiés" in section
    # Not in any sum, and gone when the selection is about funders.
    assert response.context["headline"]["total"] == Decimal("880000.00")
    assert (
        client.get("/funding/", {"territory": "dep:62", "category": "state"}).context["unfunded"]
        == []
    )
    assert client.get("/funding/", {"year_to": "2017"}).context["unfunded"] == []


@pytest.mark.parametrize("read_by_id", [2000, 0])
def test_budgets_without_funders_are_found_by_id_or_by_subquery(
    client, demo_funding, monkeypatch, read_by_id
):
    """funding.summaries.unfunded_operations reads the operations without any line by
    id while they are few (UNFUNDED_IDS), else by a subquery: the same answer."""
    from funding import summaries

    monkeypatch.setattr(summaries, "UNFUNDED_IDS", read_by_id)
    unfunded = summaries.unfunded_operations({"territory": None})
    assert [row["title"] for row in unfunded] == ["Fonctionnement annuel des trois sites"]
    assert summaries.unfunded_operations({"year_from": "2030"}) == []


def test_a_selection_without_any_line_says_nothing_is_recorded_not_zero(client, demo_funding):
    content = client.get(reverse("funding:dashboard"), {"territory": "epci:200043396"})
    content = content.content.decode()  # CA Maubeuge: three hubs, no financing line
    assert "Aucun cofinancement public n&#x27;est enregistré pour ces critères" in content
    assert "lieux et opérations financés" in content
    assert not FALSE_ZERO.search(_text(content))
    english = client.get(
        reverse("funding:dashboard"), {"territory": "epci:200043396"}, HTTP_ACCEPT_LANGUAGE="en"
    ).content.decode()
    assert "No public co-financing is recorded" in english
    assert "Territory:" in _text(english) and "Territory :" not in _text(english)
