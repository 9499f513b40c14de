"""Staff record their own funders (issue 19, item 8): a territory editor creates and
edits the funders of their territories, never the shared ones nor another
territory's; a regional administrator edits all and merges duplicates (lines moved,
their history saying so); a reader changes nothing, by any door."""

from decimal import Decimal

import pytest

from backoffice.roles import EDITOR, REGIONAL_ADMIN, VIEWER
from funding.models import FinancingLine, FundedOperation, Funder
from hubs.models import Hub
from tests import factories

VALENCIENNES = "245901160"  # CA Valenciennes Métropole
MAUBEUGE = "200043396"  # CA Maubeuge Val de Sambre
ADD = "/admin/funding/funder/add/"
CHANGELIST = "/admin/funding/funder/"


def _form(**fields):
    return {"name": "", "short_name": "", "slug": "", "category": "epci", "territory_code": ""} | (
        fields
    )


@pytest.fixture
def maubeuge_editor(client, demo_funding):
    client.force_login(factories.staff(EDITOR, epci=[MAUBEUGE]))
    return client


def test_an_editor_records_the_funder_of_their_territory(maubeuge_editor):
    response = maubeuge_editor.post(
        ADD,
        _form(
            name="Communauté d'agglomération Maubeuge Val de Sambre (bis)",
            short_name="CAMVS",
            slug="camvs-bis",
            territory_code=f"epci:{MAUBEUGE}",
        ),
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert Funder.objects.get(slug="camvs-bis").territory_code == f"epci:{MAUBEUGE}"
    # A commune of it is theirs too (a commune as a funder): Maubeuge, 59392.
    response = maubeuge_editor.post(
        ADD,
        _form(
            name="Ville de Maubeuge", slug="maubeuge", category="commune", territory_code="59392"
        ),
    )
    assert response.status_code == 302
    assert Funder.objects.get(slug="maubeuge").territory_code == "commune:59392"


def test_the_list_names_each_funders_territory(maubeuge_editor):
    content = maubeuge_editor.get(CHANGELIST).content.decode()
    assert '<td class="field-territory">CA Maubeuge Val de Sambre</td>' in content
    assert '<td class="field-territory">Hauts-de-France</td>' in content
    assert f"epci:{MAUBEUGE}" not in content


def test_an_editor_chooses_the_territory_among_their_own(maubeuge_editor):
    form = maubeuge_editor.get(ADD).context["adminform"].form
    groups = dict(form.fields["territory_code"].widget.choices[1:])
    assert groups["Vos territoires"] == [(f"epci:{MAUBEUGE}", "CA Maubeuge Val de Sambre")]
    communes = dict(groups["Communes"])
    assert communes["commune:59392"].startswith("Maubeuge")
    offered = {code for options in groups.values() for code, _ in options}
    assert f"epci:{VALENCIENNES}" not in offered and "commune:59606" not in offered
    # Every choice is one the form accepts.
    assert all(form.scope.contains_territory(*_level_and_obj(code)) for code in offered)


def test_a_departement_editor_is_offered_its_whole_intercommunalities_and_communes(db):
    from backoffice.scoping import Scope

    editor = factories.staff(EDITOR, departement=["59"])
    groups = dict(Scope.for_user(editor).territory_choices())
    assert groups["Vos territoires"][0][0] == "dep:59"
    epcis = dict(groups["Intercommunalités"])
    assert f"epci:{VALENCIENNES}" in epcis and f"epci:{MAUBEUGE}" in epcis
    assert all(code.startswith("commune:59") for code, _ in groups["Communes"])
    assert Scope.for_user(factories.superuser()).territory_choices() == []


def _level_and_obj(code):
    from territories.lookup import resolve_territory

    territory = resolve_territory(code)
    return territory.level, territory.obj


@pytest.mark.parametrize(
    ("code", "error"),
    [
        (f"epci:{VALENCIENNES}", "n'est pas l'un des vôtres"),  # another agglomeration
        ("dep:59", "n'est pas l'un des vôtres"),  # larger than their territory
        ("", "Indiquez le territoire de ce financeur"),
        ("epci:999999999", "n'est pas l'un des vôtres"),  # unknown
    ],
)
def test_an_editor_cannot_record_a_funder_outside_their_territory(maubeuge_editor, code, error):
    before = Funder.objects.count()
    response = maubeuge_editor.post(
        ADD, _form(name="Un autre financeur", slug="autre", territory_code=code)
    )
    assert response.status_code == 200
    assert error in response.context["adminform"].form.errors["territory_code"][0]
    assert Funder.objects.count() == before


def test_an_editor_edits_their_funder_but_not_the_shared_ones(maubeuge_editor):
    camvs = Funder.objects.get(slug="maubeuge-val-de-sambre")
    url = f"/admin/funding/funder/{camvs.pk}/change/"
    response = maubeuge_editor.post(
        url,
        _form(
            name=camvs.name,
            short_name="CA MVS",
            slug=camvs.slug,
            territory_code=camvs.territory_code,
        ),
    )
    assert response.status_code == 302
    assert Funder.objects.get(pk=camvs.pk).short_name == "CA MVS"
    for slug in ("feder", "etat", "valenciennes-metropole"):
        funder = Funder.objects.get(slug=slug)
        url = f"/admin/funding/funder/{funder.pk}/change/"
        page = maubeuge_editor.get(url)
        assert page.status_code == 200 and not page.context["has_change_permission"]
        response = maubeuge_editor.post(
            url, _form(name="Piraté", slug=funder.slug, territory_code=f"epci:{MAUBEUGE}")
        )
        assert response.status_code == 403
        assert Funder.objects.get(pk=funder.pk).name != "Piraté"


def test_an_editor_cannot_move_their_funder_to_another_territory(maubeuge_editor):
    camvs = Funder.objects.get(slug="maubeuge-val-de-sambre")
    response = maubeuge_editor.post(
        f"/admin/funding/funder/{camvs.pk}/change/",
        _form(name=camvs.name, slug=camvs.slug, territory_code=f"epci:{VALENCIENNES}"),
    )
    assert response.status_code == 200
    assert Funder.objects.get(pk=camvs.pk).territory_code == f"epci:{MAUBEUGE}"


def test_a_reader_changes_no_funder(client, demo_funding):
    client.force_login(factories.staff(VIEWER))
    before = list(Funder.objects.values_list("pk", "name"))
    assert client.post(ADD, _form(name="X", slug="x", territory_code="dep:59")).status_code == 403
    feder = Funder.objects.get(slug="feder")
    response = client.post(
        f"/admin/funding/funder/{feder.pk}/change/", _form(name="X", slug="feder")
    )
    assert response.status_code == 403
    response = client.post(
        CHANGELIST,
        {"action": "merge", "_selected_action": [feder.pk, Funder.objects.get(slug="fse").pk]},
    )
    assert response.status_code in (200, 302)
    assert list(Funder.objects.values_list("pk", "name")) == before


def test_an_editor_cannot_merge(maubeuge_editor):
    feder, fse = Funder.objects.get(slug="feder"), Funder.objects.get(slug="fse")
    page = maubeuge_editor.get(CHANGELIST)
    action_form = page.context["action_form"]  # None: no action is offered to an editor
    assert action_form is None or "merge" not in dict(action_form.fields["action"].choices)
    maubeuge_editor.post(
        CHANGELIST,
        {"action": "merge", "_selected_action": [feder.pk, fse.pk], "confirm": "1", "keep": fse.pk},
    )
    assert Funder.objects.filter(pk__in=[feder.pk, fse.pk]).count() == 2


def test_a_regional_administrator_merges_duplicates_keeping_the_history(client, demo_funding):
    admin = factories.staff(REGIONAL_ADMIN)
    client.force_login(admin)
    agglo = Funder.objects.get(slug="valenciennes-metropole")
    duplicate = Funder.objects.create(
        name="CA Valenciennes Métropole", slug="cavm-doublon", category="epci"
    )
    operation = FundedOperation.objects.create(
        hub=Hub.objects.get(slug="nouvelle-forge"), title="Étude", purpose="other"
    )
    moved_line = FinancingLine.objects.create(
        operation=operation, funder=duplicate, amount=Decimal("10")
    )
    before = FinancingLine.objects.count()
    selected = {"action": "merge", "_selected_action": [agglo.pk, duplicate.pk]}
    page = client.post(CHANGELIST, selected)  # the confirmation page
    assert page.status_code == 200 and "Fusionner des financeurs" in page.content.decode()
    response = client.post(CHANGELIST, selected | {"confirm": "1", "keep": agglo.pk})
    assert response.status_code == 302
    assert not Funder.objects.filter(pk=duplicate.pk).exists()
    moved_line.refresh_from_db()
    assert moved_line.funder == agglo and FinancingLine.objects.count() == before
    record = moved_line.history.first()
    assert record.history_change_reason.startswith("fusion de financeurs")
    assert record.history_user == admin
