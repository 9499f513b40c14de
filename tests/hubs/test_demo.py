import pytest
from django.core.management import CommandError, call_command

from hubs import demo
from hubs.models import Hub

pytestmark = pytest.mark.django_db


def test_demo_hubs_are_in_their_real_communes(demo_hubs):
    assert len(demo_hubs) == len(demo.HUBS) == 13
    assert demo_hubs["ruche-entreprises-maubeuge"].commune.name == "Maubeuge"
    assert demo_hubs["louvre-lens-vallee"].commune.insee == "62498"
    assert demo_hubs["maison-numerique-innovation-calaisis"].commune.name == "Calais"
    assert demo_hubs["campus-numerique-charbonnieres"].commune.name == "Charbonnières-les-Bains"
    assert demo_hubs["campus-numerique-charbonnieres"].status == Hub.Status.PROJECT
    forge = demo_hubs["nouvelle-forge"]
    assert forge.children.count() == 3
    assert forge.commune.epci_id == "245901160"
    assert all(hub.publication == Hub.Publication.PUBLISHED for hub in demo_hubs.values())


def test_demo_figures_come_from_the_articles(demo_hubs):
    nursery = demo_hubs["pepiniere-nouvelle-forge"].indicators.get(year=2017)
    assert (nursery.companies_hosted, nursery.jobs) == (11, 25)
    school = demo_hubs["pop-school-valenciennes"].indicators.get(year=2017)
    assert school.success_rate == 70
    assert demo_hubs["nouvelle-forge"].surface_m2 == 1300


def test_demo_load_is_idempotent(demo_hubs, capsys):
    from funding.models import FinancingLine, FundedOperation

    call_command("load_demo")  # funding and events in their turn
    capsys.readouterr()
    stamps = dict(Hub.objects.values_list("slug", "updated_at"))
    lines = dict(FinancingLine.objects.values_list("pk", "updated_at"))
    history = (Hub.history.count(), FundedOperation.history.count(), FinancingLine.history.count())

    call_command("load_demo")
    out = capsys.readouterr().out
    # Nothing changed: nothing saved — « mis à jour le » and the history stay put.
    assert "« hubs » : 0 créés, 0 mis à jour, 13 inchangés" in out
    assert "« funding » : 0 créés, 0 mis à jour, 7 inchangés" in out
    assert dict(Hub.objects.values_list("slug", "updated_at")) == stamps
    assert dict(FinancingLine.objects.values_list("pk", "updated_at")) == lines
    assert (
        Hub.history.count(),
        FundedOperation.history.count(),
        FinancingLine.history.count(),
    ) == history
    assert Hub.objects.count() == 13
    assert Hub.objects.get(slug="pop-place-valenciennes").kinds.count() == 2


def test_demo_load_updates_what_changed_only(demo_hubs):
    Hub.objects.filter(slug="nouvelle-forge").update(summary="Résumé modifié à la main")
    assert demo.load() == {"created": 0, "updated": 1, "unchanged": 12}
    assert Hub.objects.get(slug="nouvelle-forge").summary != "Résumé modifié à la main"


def test_demo_needs_the_territories(no_territories):
    with pytest.raises(CommandError, match="load_territories"):
        call_command("load_demo")
    assert not Hub.objects.exists()
