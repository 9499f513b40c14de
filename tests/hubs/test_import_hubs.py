"""``manage.py import_hubs``: the fablabs.io labs export and the documented template."""

import io
import json
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command
from django.db import transaction

from backoffice.models import TerritoryScope
from hubs.models import Hub
from territories.locate import FRENCH_COUNTRY_CODES, locate_commune, normalize_city
from territories.models import EPCI, Commune
from tests import factories

pytestmark = pytest.mark.django_db

DATA = Path(__file__).resolve().parents[1] / "data"
SAMPLE = DATA / "fablabs_io_labs_sample.json"
TEMPLATE = Path(__file__).resolve().parents[2] / "docs" / "import" / "hubs_template.csv"
ABROAD = {"FABLAB KERALA - Kochi", "Fab Lab Leon", "FabLab Toledo", "Fab Lab Talavera"}
UNPLACEABLE = {"Goldorhack", "Lab' du Pensio", "Orange mécanique", "le ]ProtoLab["}
# Metropolitan France (the bounding box of the reference communes, with a margin).
FRANCE = (41.3, 51.1, -5.2, 9.6)


@pytest.fixture(scope="module")
def france(django_db_setup, django_db_blocker):
    """Every commune of France (the fixture's labs are in Brittany, Auvergne, the Nord…).

    ≈ 35,000 communes take seconds to load: they are loaded once for this module, in
    a transaction of its own that is rolled back after its last test. Each test's
    own transaction is a savepoint inside it, so a test still sees none of another's
    rows; the other modules never see these communes.
    """
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        factories.reference_territories(None)
    yield
    with django_db_blocker.unblock():
        transaction.set_rollback(True)
        outer.__exit__(None, None, None)


def run(*args, **kwargs):
    out, err = io.StringIO(), io.StringIO()
    call_command("import_hubs", *map(str, args), stdout=out, stderr=err, **kwargs)
    return out.getvalue()


def sample_labs():
    return json.loads(SAMPLE.read_text(encoding="utf-8"))


def test_the_fablabs_io_sample_puts_every_placeable_lab_on_the_map(france):
    labs = sample_labs()
    report = run(SAMPLE)
    refused = ABROAD | UNPLACEABLE
    assert f"créés : {len(labs) - len(refused)} · mis à jour : 0" in report
    assert f"refusés : {len(refused)}" in report
    for name in ABROAD:
        assert f"« {name} » : hors de France" in report
    for name in UNPLACEABLE:
        assert f"« {name} » : impossible à placer" in report
    imported = Hub.objects.exclude(external_id="")
    assert imported.count() == len(labs) - len(refused)
    south, north, west, east = FRANCE
    for hub in imported:
        assert south < hub.latitude < north and west < hub.longitude < east, hub
        assert hub.external_id.startswith("fablabs.io:")
        assert hub.publication == Hub.Publication.DRAFT
        assert "fablab" in hub.kinds.values_list("slug", flat=True)
        reason = hub.history.first().history_change_reason
        assert reason == "import fablabs.io (fablabs_io_labs_sample.json)"


def test_fablabs_io_fields_and_commune_matching(france):
    run(SAMPLE)
    telefab = Hub.objects.get(name="TéléFab Rennes")  # postcode 35510, city « Cesson »
    assert telefab.commune.name == "Cesson-Sévigné" and telefab.postcode == "35510"
    assert telefab.street_address == "Télécom Bretagne, 2, rue de la Châtaigneraie"
    assert telefab.website == "http://telefab.fr"
    flibuste = Hub.objects.get(name="Atelier de la Flibuste")  # 35280 is no Saint-Malo postcode
    assert flibuste.commune.insee == "35288" and flibuste.postcode == ""
    assert Hub.objects.get(name="La Passerelle Numérique").commune.name == "Châteaubriant"
    assert Hub.objects.get(name="Médiathèque intercommunale Entre Dore et Allier").commune.name == (
        "Lezoux"
    )
    acolab = Hub.objects.get(name="ACoLab")  # « [acolab2@acolab.fr] »
    assert acolab.email == "acolab2@acolab.fr" and acolab.commune.name == "Clermont-Ferrand"
    assert acolab.summary.startswith("Atelier de fabrication numérique")
    pop_place = Hub.objects.get(name="Pop Place — coworking et fab lab")  # no coordinates
    anzin = Commune.objects.get(insee="59014")
    assert (pop_place.latitude, pop_place.longitude) == (anzin.latitude, anzin.longitude)
    assert set(pop_place.equipment.values_list("slug", flat=True)) == {
        "imprimante-3d",
        "decoupe-laser",
    }
    assert pop_place.external_id == "fablabs.io:pop-place-coworking-et-fab-lab"
    assert "pop place" in pop_place.search_text


def test_running_it_again_updates_and_never_duplicates(france):
    run(SAMPLE)
    count = Hub.objects.count()
    report = run(SAMPLE)
    assert "créés : 0 · mis à jour : 0 · inchangés : 32" in report
    assert Hub.objects.count() == count
    labs = sample_labs()
    labs[0]["blurb"] = "Un makerspace à Vannes."
    changed = DATA.parent / "changed.json"
    try:
        changed.write_text(json.dumps(labs), encoding="utf-8")
        report = run(changed, "--publish")
    finally:
        changed.unlink()
    assert "créés : 0 · mis à jour : 32" in report  # --publish publishes them all
    assert Hub.objects.count() == count
    makerspace = Hub.objects.get(name="MakerSpace56")
    assert makerspace.summary == "Un makerspace à Vannes." and makerspace.is_published


def test_dry_run_changes_nothing(france):
    report = run(SAMPLE, "--dry-run")
    assert "créés : 32" in report and "rien n'a été enregistré" in report
    assert not Hub.objects.exists()


def test_a_lab_with_bad_data_is_reported_and_the_others_imported(france, tmp_path):
    labs = [
        {
            "name": "Lab au bout du monde",
            "country_code": "fr",
            "postal_code": "59000",
            "city": "Lille",
            "latitude": 43.3,  # Marseille
            "longitude": 5.4,
        },
        {"name": "Lab à Saint-Pierre", "country_code": "pm", "postal_code": "97500"},
        {
            "name": "Lab réunionnais",
            "country_code": "fr",
            "postal_code": "97400",
            "city": "Saint-Denis",
        },
        {
            "name": "Lab parisien",
            "country_code": "fr",
            "postal_code": "",
            "city": "Paris 13e Arrondissement",
        },
        {
            "name": "Lab lillois",
            "country_code": "fr",
            "postal_code": "59046",
            "city": "Lille CEDEX",
        },
        {
            "name": "Lab au téléphone",
            "country_code": "fr",
            "postal_code": "59000",
            "city": "Lille",
            "phone": "0" * 40,
            "email": "pas un courriel",
        },
        {"name": "Saint-Denis tout court", "country_code": "fr", "city": "Saint-Denis"},
        {"name": "", "country_code": "fr", "city": "Lille"},
        "pas un lab",
    ]
    path = tmp_path / "labs.json"
    path.write_text(json.dumps(labs), encoding="utf-8")
    report = run(path)
    # Coordinates in France place the lab; the address that disagrees is a warning.
    assert "« Lab au bout du monde » : l'adresse (59000 Lille) désigne Lille, mais" in report
    assert Hub.objects.get(name="Lab au bout du monde").commune.insee == "13055"
    assert "« Lab à Saint-Pierre » : hors de France (PM)" in report
    assert "« Saint-Denis tout court » : impossible à placer : plusieurs communes" in report
    assert "n° 8 « (sans nom) » : fiche sans nom" in report
    assert "n° 9 « (sans nom) » : fiche illisible" in report
    assert "téléphone « 0000" in report and "courriel « pas un courriel » invalide" in report
    assert Hub.objects.get(name="Lab réunionnais").commune.insee == "97411"
    assert Hub.objects.get(name="Lab parisien").commune.insee == "75056"
    assert Hub.objects.get(name="Lab lillois").commune.insee == "59350"
    assert Hub.objects.get(name="Lab au téléphone").phone == ""
    assert "créés : 5" in report and "refusés : 4" in report


def test_scoped_user_imports_only_their_territory(france):
    user = User.objects.create_user("editeur", password="x", is_staff=True)
    TerritoryScope.objects.create(user=user, epci=EPCI.objects.get(pk="245901160"))
    report = run(SAMPLE, "--user", "editeur")
    assert "créés : 1 ·" in report  # the Pop Place, in Valenciennes Métropole
    assert "« Fablab Côte d'Opale » : hors de votre territoire (Calais)" in report
    hub = Hub.objects.get()
    assert hub.history.first().history_user == user
    with pytest.raises(CommandError, match="Compte inconnu"):
        run(SAMPLE, "--user", "personne")


def test_the_template_through_the_command_all_or_nothing(france, tmp_path):
    report = run(TEMPLATE, "--publish")
    assert "créés : 2" in report
    assert Hub.objects.get(slug="nouvelle-forge").publication == Hub.Publication.DRAFT  # given
    bad = tmp_path / "lieux.csv"
    text = TEMPLATE.read_text(encoding="utf-8").replace("59014", "99999", 1)
    bad.write_text(text.replace("nouvelle-forge,", "forge-bis,", 1), encoding="utf-8")
    with pytest.raises(CommandError, match="Import annulé : 1 erreur"):
        run(bad)
    assert not Hub.objects.filter(slug="forge-bis").exists()


def test_format_is_guessed_and_progress_can_be_silenced(france, tmp_path):
    copy = tmp_path / "export"  # no extension: the content says JSON
    copy.write_bytes(SAMPLE.read_bytes())
    assert "Import fablabs.io" in run(copy, "--no-progress", "--dry-run")


@pytest.mark.parametrize(
    ("city", "expected"),
    [
        ("Lille CEDEX 9", "lille"),
        ("St-Malo", "saint malo"),
        ("Paris 13e Arrondissement", "paris"),
        ("Marseille 1er", "marseille"),
        ("LYON 3EME", "lyon"),
        ("Aubière", "aubiere"),
    ],
)
def test_normalize_city(city, expected):
    assert normalize_city(city) == expected


def test_locate_commune_explains_why_not(france):
    assert locate_commune("", "")[1] == "ni code postal ni commune"
    commune, why = locate_commune("59410", "Valenciennes")  # Anzin's postcode
    assert (
        commune is None and why == "« Valenciennes » ne correspond pas au code postal 59410 (Anzin)"
    )
    assert locate_commune("63190", "")[1].startswith("le code postal 63190 est celui de plusieurs")
    commune, _why = locate_commune("63190", "", 45.8252883, 3.3762747)
    assert commune.name == "Lezoux"  # coordinates single it out
    assert "re" in FRENCH_COUNTRY_CODES and "pm" not in FRENCH_COUNTRY_CODES


def test_publish_is_refused_to_editors_who_are_reviewed(france, settings):
    from backoffice.roles import EDITOR
    from tests import factories

    settings.PUBLICATION_REVIEW_REQUIRED = True
    factories.staff(EDITOR, "relu", region=["32"])
    with pytest.raises(CommandError, match="ne peut pas publier"):
        call_command("import_hubs", str(SAMPLE), "--user", "relu", "--publish")
    assert not Hub.objects.filter(external_id__startswith="fablabs.io:").exists()
