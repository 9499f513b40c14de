"""``manage.py import_hubs`` with the national schema « lieux de médiation numérique »:
format from the content, current and earlier column names, placing, source ids,
possible duplicates (flagged, never merged) and re-runs that change nothing."""

import io
import json
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from hubs.imports.national import map_record, split_list
from hubs.imports.read import FABLABS, NATIONAL, TEMPLATE, UnreadableFile, read
from hubs.models import Hub, PossibleDuplicate
from hubs.national_export import csv_text, json_bytes
from tests import factories

pytestmark = pytest.mark.django_db

EXAMPLE = Path(settings.BASE_DIR) / "standards/mediation-numerique/exemple-valide.csv"


def run(path, *args):
    out = io.StringIO()
    call_command("import_hubs", str(path), *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def write(tmp_path, name, content):
    path = tmp_path / name
    path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    return path


def test_the_official_valid_example_imports(france):
    report = run(EXAMPLE)
    assert "Import schéma national (exemple-valide.csv) : 1 fiche(s) lue(s)." in report
    assert "créés : 1 · mis à jour : 0 · inchangés : 0 · refusés : 0" in report
    hub = Hub.objects.get()
    assert hub.name == "Anonymal"
    assert hub.external_id == "Hubik:structure-1"
    assert hub.siret == "43493312300029"
    # Its point (43.52609, 5.41423) is by Aix-en-Provence, not in Reims: placed by the point.
    assert (hub.latitude, hub.longitude) == (43.52609, 5.41423)
    assert hub.commune.departement_id == "13"
    assert hub.postcode == ""  # 51100 is Reims'
    assert "désigne Reims, mais les coordonnées sont à" in report
    assert hub.services == ["everyday_tools", "employment", "leisure"]
    assert hub.support_modes == ["autonomous", "individual", "group", "remote"]
    assert hub.specific_support == ["deafness", "illiteracy", "english"]
    assert hub.national_programmes == ["aidants_connect", "conseillers_numeriques", "croix_rouge"]
    assert hub.access_modes == ["walk_in", "phone"]
    assert hub.fees == "conditional"
    assert hub.itinerance == Hub.Itinerance.ITINERANT
    assert hub.opening_hours == "Mo-Fr 09:00-12:00,14:00-18:30; Sa 08:30-12:00"
    assert hub.email == "contact@laquincaillerie.tl"
    assert hub.website == "https://www.laquincaillerie.tl/"
    assert hub.operator_kind == "association"
    assert list(hub.kinds.values_list("slug", flat=True)) == ["tiers-lieu"]
    assert " anonymal " in hub.search_text and "tiers lieu" in hub.search_text
    assert hub.publication == Hub.Publication.DRAFT
    assert hub.history.first().history_change_reason.startswith("import schéma national")
    assert "créés : 0 · mis à jour : 0 · inchangés : 1" in run(EXAMPLE)


def test_our_json_export_read_back_changes_nothing_on_a_second_run(demo_hubs, tmp_path):
    published = Hub.objects.published()
    count, before = published.count(), Hub.objects.count()
    path = write(tmp_path, "export.json", json_bytes(published))
    first = run(path)
    assert f"créés : {count} · mis à jour : 0" in first and "refusés : 0" in first
    # Each record is the same name at the same point as a hub already here: a possible
    # duplicate for staff, and never merged.
    assert PossibleDuplicate.objects.filter(reason="name_nearby").count() == count
    assert Hub.objects.count() == before + count
    copy = Hub.objects.get(external_id__endswith=f":{published.first().pk}")
    original = published.first()
    assert (copy.name, copy.commune_id) == (original.name, original.commune_id)
    assert (copy.latitude, copy.longitude) == (
        round(original.latitude, 6),
        round(original.longitude, 6),
    )
    history = Hub.history.count()
    second = run(path)
    assert f"créés : 0 · mis à jour : 0 · inchangés : {count} · refusés : 0" in second
    assert Hub.history.count() == history
    assert PossibleDuplicate.objects.count() == count


def test_earlier_column_names_and_semicolon_lists(france, tmp_path):
    path = write(
        tmp_path,
        "ancien.csv",
        "id;nom;commune;code_postal;adresse;courriel;labels_nationaux;conditions_acces;"
        "publics_accueillis;accessibilite;services;source\n"
        "42;Espace numérique;Havre (Le);76600;1 rue de Paris;contact@exemple.fr;"
        "Aidants Connect|France Services;Gratuit;Jeunes (16-26 ans);"
        "https://acceslibre.beta.gouv.fr/app/erp/1/;"
        "Prendre en main un ordinateur;Ville du Havre\n",
    )
    report = run(path)
    assert "créés : 1" in report and "refusés : 0" in report
    hub = Hub.objects.get()
    assert hub.commune.insee == "76351"  # Le Havre, from « Havre (Le) » and no coordinates
    assert hub.postcode == "76600"
    assert (hub.latitude, hub.longitude) == (hub.commune.latitude, hub.commune.longitude)
    assert hub.email == "contact@exemple.fr"
    assert hub.national_programmes == ["aidants_connect", "france_services"]
    assert hub.fees == "free"
    assert hub.acceslibre_url == "https://acceslibre.beta.gouv.fr/app/erp/1/"
    assert hub.services == ["everyday_tools"]
    assert hub.external_id == "Ville du Havre:42"
    assert list(hub.kinds.values_list("slug", flat=True)) == ["epn"]


def test_list_separators():
    assert split_list("a|b; c ;;") == ["a", "b", "c"]
    assert split_list(["a", " ", "b"]) == ["a", "b"]
    mapped = map_record(
        {
            "nom": "X",
            "services": "Aide aux démarches administratives;Loisirs et créations numériques",
        }
    )
    assert mapped.fields["services"] == ["admin_procedures", "leisure"]


def test_unplaceable_rows_are_refused_with_the_reason_and_the_rest_imports(france, tmp_path):
    rows = [
        {"id": "1", "nom": "Nulle part", "commune": "Atlantide", "code_postal": "99999"},
        {"id": "2", "nom": "À Corte", "commune": "Corti", "code_postal": "20250"},
        {
            "id": "3",
            "nom": "À Montaigu",
            "commune": "ST GEORGES DE MONTAIGU",
            "code_postal": "85600",
        },
        {"id": "4", "nom": "À Bourg", "commune": "Bourg-en-Bresse", "code_postal": "1000"},
        {"id": "5", "nom": "", "commune": "Lille", "code_postal": "59000"},
        {
            "id": "6",
            "nom": "Courriel faux",
            "commune": "Lille",
            "code_postal": "59000",
            "courriels": "pas-un-courriel",
            "horaires": "n'importe quand",
        },
    ]
    path = write(tmp_path, "lieux.json", json.dumps(rows))
    report = run(path)
    assert "créés : 4 · mis à jour : 0 · inchangés : 0 · refusés : 2" in report
    assert "n° 1 « Nulle part » : impossible à placer : commune « Atlantide » introuvable" in report
    assert "n° 5 « (sans nom) » : fiche sans nom" in report
    assert Hub.objects.get(name="À Corte").commune.insee == "2B096"
    assert Hub.objects.get(name="À Montaigu").commune.insee == "85146"
    assert Hub.objects.get(name="À Bourg").commune.insee == "01053"
    lille = Hub.objects.get(name="Courriel faux")
    assert (lille.email, lille.opening_hours) == ("", "")
    assert "« pas-un-courriel » invalide, ignoré" in report


def test_a_same_siret_or_a_same_name_nearby_is_flagged_never_merged(france, tmp_path):
    lille = factories.commune("59350", "Lille")
    existing = factories.hub(
        "Maison du numérique", commune_obj=lille, lat=50.6365, lng=3.0635, siret="43493312300029"
    )
    other = factories.hub("La Station", commune_obj=lille, lat=50.6, lng=3.1)
    rows = [
        # Same name, 50 m away.
        {
            "id": "a",
            "nom": "MAISON DU NUMERIQUE",
            "commune": "Lille",
            "code_postal": "59000",
            "latitude": 50.63695,
            "longitude": 3.0635,
        },
        # Same SIRET, elsewhere in Lille.
        {
            "id": "b",
            "nom": "Autre nom",
            "pivot": "434 933 123 00029",
            "commune": "Lille",
            "code_postal": "59000",
            "latitude": 50.62,
            "longitude": 3.05,
        },
        # Same name as La Station but 1 km away: not flagged.
        {
            "id": "c",
            "nom": "La Station",
            "commune": "Lille",
            "code_postal": "59000",
            "latitude": 50.609,
            "longitude": 3.1,
        },
    ]
    path = write(tmp_path, "lieux.json", json.dumps(rows))
    report = run(path)
    assert "créés : 3" in report
    assert "Doublons possibles" in report and "rien n'a été fusionné" in report
    flagged = {(d.hub.name, d.other_id, d.reason) for d in PossibleDuplicate.objects.all()}
    assert flagged == {
        ("MAISON DU NUMERIQUE", existing.pk, "name_nearby"),
        ("Autre nom", existing.pk, "siret"),
    }
    assert Hub.objects.count() == 5  # nothing merged
    assert not PossibleDuplicate.objects.filter(other=other).exists()
    run(path)
    assert PossibleDuplicate.objects.count() == 2


def test_the_same_source_id_updates_its_hub(france, tmp_path):
    row = {"id": "7", "source": "Hub", "nom": "Lieu", "commune": "Lille", "code_postal": "59000"}
    run(write(tmp_path, "a.json", json.dumps([row])))
    hub = Hub.objects.get()
    row["nom"] = "Lieu renommé"
    report = run(write(tmp_path, "b.json", json.dumps([row])))
    assert "créés : 0 · mis à jour : 1" in report
    hub.refresh_from_db()
    assert hub.name == "Lieu renommé"
    assert hub.history.count() == 2


def test_dry_run_saves_nothing(france):
    assert "Simulation" in run(EXAMPLE, "--dry-run")
    assert not Hub.objects.exists()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("nom,commune\nLieu,Lille\n".encode("utf-16"), "ni CSV ni JSON"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "ni CSV ni JSON"),
        (b"{not json", "Fichier JSON illisible"),
        (b'{"a": 1}', "une liste de lieux"),
        (b"colonne,autre\n1,2\n", "Format non reconnu"),
    ],
)
def test_bad_files_are_refused_with_a_clear_message_and_change_nothing(
    demo_territories, tmp_path, content, message
):
    path = write(tmp_path, "fichier", content)
    with pytest.raises(CommandError, match=message):
        run(path)
    assert not Hub.objects.exists()


def test_a_huge_file_is_refused(demo_territories, tmp_path, settings):
    # The command's caps (docs/settings.md): higher than the admin's by default.
    settings.IMPORT_COMMAND_MAX_ROWS = 2
    rows = [{"nom": f"Lieu {n}", "commune": "Lille", "code_postal": "59000"} for n in range(3)]
    with pytest.raises(CommandError, match="Trop de lignes"):
        run(write(tmp_path, "lieux.json", json.dumps(rows)))
    settings.IMPORT_COMMAND_MAX_FILE_BYTES = 100
    with pytest.raises(CommandError, match="Fichier trop volumineux"):
        run(EXAMPLE)
    assert not Hub.objects.exists()


def test_the_kind_of_file_comes_from_its_content(demo_hubs):
    national = csv_text(Hub.objects.published()).encode()
    assert read(national).kind == NATIONAL
    assert read(json_bytes(Hub.objects.published())).kind == NATIONAL
    assert read(b'[{"name": "Lab", "capabilities": "laser"}]').kind == FABLABS
    assert read(b"slug,name\nx,X\n").kind == TEMPLATE
    with pytest.raises(UnreadableFile):
        read(b"\x00\x01")
