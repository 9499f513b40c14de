"""Bulk import and export of hubs, operations and events (django-import-export resources)."""

import csv
import io
from decimal import Decimal
from pathlib import Path

import pytest
from django.contrib.auth.models import Permission, User
from import_export.formats.base_formats import XLSX

from backoffice.imports.formats import CSVFormat
from backoffice.imports.resources import row_errors
from backoffice.models import TerritoryScope
from events.models import Event
from events.resources import EventResource
from funding.models import FinancingLine, FundedOperation
from funding.resources import OperationLineResource
from hubs.models import Hub
from hubs.resources import HUB_COLUMNS, HubResource
from territories.models import EPCI, Commune
from tests import factories

pytestmark = pytest.mark.django_db

DOCS = Path(__file__).resolve().parents[2] / "docs" / "import"
VALENCIENNES_METROPOLE = "245901160"


def dataset_from(text: str):
    return CSVFormat().create_dataset(text.encode("utf-8"))


def load_template(name: str):
    return CSVFormat().create_dataset((DOCS / name).read_bytes())


def editor(username="editeur", epci=VALENCIENNES_METROPOLE, models=("hub",)):
    user = User.objects.create_user(username, password="x", is_staff=True)
    codenames = [f"{action}_{model}" for model in models for action in ("add", "change", "view")]
    user.user_permissions.set(Permission.objects.filter(codename__in=codenames))
    TerritoryScope.objects.create(user=user, epci=EPCI.objects.get(pk=epci))
    return User.objects.get(pk=user.pk)  # fresh: no cached permissions or scope


def hub_rows(count, bad_row=None, commune="59606"):
    """A CSV of ``count`` new hubs in Valenciennes; ``bad_row`` (1-based) names an unknown commune."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["slug", "name", "kinds", "summary", "commune", "latitude", "longitude"])
    for number in range(1, count + 1):
        writer.writerow(
            [
                f"lieu-importe-{number}",
                f"Lieu importé {number}",
                "fablab, coworking",
                "Un lieu importé en masse.",
                "99999" if number == bad_row else commune,
                "",
                "",
            ]
        )
    return out.getvalue()


# ----------------------------------------------------------------------------- templates
def test_the_three_templates_import_cleanly_and_again_change_nothing(demo_territories):
    factories.demo_funders()
    for name, resource_class in (
        ("hubs_template.csv", HubResource),
        ("operations_template.csv", OperationLineResource),
        ("events_template.csv", EventResource),
    ):
        result = resource_class().import_data(load_template(name), dry_run=False)
        assert not row_errors(result), (name, row_errors(result))
        assert result.totals["new"] == len(load_template(name)) or name == "operations_template.csv"
        again = resource_class().import_data(load_template(name), dry_run=False)
        assert not row_errors(again)
        assert again.totals["new"] == again.totals["update"] == 0, name
    forge = Hub.objects.get(slug="nouvelle-forge")
    place = Hub.objects.get(slug="pop-place-valenciennes")
    assert place.parent == forge and forge.commune_id == "59014"
    assert sorted(place.kinds.values_list("slug", flat=True)) == ["coworking", "fablab"]
    assert "fablab" in place.search_text
    assert place.publication == Hub.Publication.DRAFT
    animation = FundedOperation.objects.get(title="Animation du fab lab de la pop place")
    assert sorted(animation.lines.values_list("funder__slug", "share")) == [
        ("feder", Decimal("60.00")),
        ("valenciennes-metropole", Decimal("40.00")),
    ]
    beam = Event.objects.get(slug="beam-me-up-2017")
    assert beam.all_day and beam.hub == place
    atelier = Event.objects.get(slug="pop-place-atelier-impression-3d-exemple")
    assert atelier.start.isoformat() == "2017-11-18T09:00:00+00:00" and not atelier.all_day
    assert forge.history.first().history_change_reason.startswith("import de lieux")


def test_template_headers_are_the_resource_columns():
    with (DOCS / "hubs_template.csv").open(encoding="utf-8") as handle:
        assert tuple(next(csv.reader(handle))) == HUB_COLUMNS


# ----------------------------------------------------------------------------- hubs
# A few hundred rows are enough to show that one bad row deep in a file is named and
# stops the whole file; the speed of large imports is measured in bench/, not here.
def test_one_bad_row_among_hundreds_changes_nothing_and_is_named(demo_hubs):
    before = Hub.objects.count()
    sample = Hub.objects.get(slug="serre-numerique")
    text = hub_rows(249, bad_row=137)
    text += "serre-numerique,La Serre renommée,campus,Résumé changé.,59014,,\n"
    for dry_run in (True, False):
        result = HubResource().import_data(dataset_from(text), dry_run=dry_run)
        errors = row_errors(result)
        assert errors == [(137, "commune", "code INSEE de commune inconnu : « 99999 »")]
        assert result.has_validation_errors()
        assert Hub.objects.count() == before
    sample.refresh_from_db()
    assert sample.name == "La Serre numérique"


def test_hundreds_of_good_rows_import(demo_territories):
    result = HubResource().import_data(dataset_from(hub_rows(250)), dry_run=False)
    assert not row_errors(result) and result.totals["new"] == 250
    hub = Hub.objects.get(slug="lieu-importe-137")
    valenciennes = Commune.objects.get(insee="59606")
    assert (hub.latitude, hub.longitude) == (valenciennes.latitude, valenciennes.longitude)
    assert set(hub.kinds.values_list("slug", flat=True)) == {"fablab", "coworking"}


def test_row_errors_name_the_column_in_french(demo_hubs):
    text = (
        "slug,name,kinds,summary,commune,latitude,longitude,email,status,equipment\n"
        "a,A,fablab,Un lieu.,59606,50.35,,pas-un-courriel,ouvert,\n"
        "b,B,inconnu,Un lieu.,59606,,,,,laser-geant\n"
        "c,C,fablab,Un lieu.,59606,43.3,5.4,,ferme,\n"
        "d,D,fablab,Un lieu.,62193,,,,bof,\n"
    )
    result = HubResource().import_data(dataset_from(text), dry_run=True)
    errors = {(n, c): m for n, c, m in row_errors(result)}
    assert "longitude" in errors[(1, "longitude")] or (1, "longitude") in errors
    assert any(c == "email" for n, c in errors if n == 1)
    assert "type inconnu(s) : inconnu" in errors[(2, "kinds")]
    assert "équipement inconnu(s) : laser-geant" in errors[(2, "equipment")]
    assert "km de Valenciennes" in errors[(3, "latitude")]
    assert "« bof » n'est pas une valeur possible" in errors[(4, "status")]
    assert not Hub.objects.filter(slug__in=["a", "b", "c", "d"]).exists()


def test_xlsx_import_and_export_round_trip(demo_hubs):
    exported = HubResource().export(Hub.objects.all())
    xlsx = XLSX().export_data(exported)
    dataset = XLSX().create_dataset(xlsx)
    result = HubResource().import_data(dataset, dry_run=False)
    assert not row_errors(result)
    assert result.totals["new"] == result.totals["update"] == 0
    assert result.totals["skip"] == Hub.objects.count()


def test_csv_export_round_trip_and_update(demo_hubs):
    count = Hub.objects.count()
    exported = CSVFormat().export_data(HubResource().export(Hub.objects.all()))
    assert exported.startswith("\ufeff") and "commune_name" in exported
    result = HubResource().import_data(CSVFormat().create_dataset(exported.encode()), dry_run=False)
    assert not row_errors(result) and result.totals["skip"] == count
    changed = exported.replace("La Serre numérique", "La Serre numérique (renommée)")
    result = HubResource().import_data(CSVFormat().create_dataset(changed.encode()), dry_run=False)
    assert result.totals["update"] == 1 and Hub.objects.count() == count
    assert Hub.objects.get(slug="serre-numerique").name == "La Serre numérique (renommée)"


def test_semicolons_windows_1252_and_french_numbers(demo_territories):
    text = (
        "slug;name;kinds;summary;commune;latitude;longitude;surface_m2;opened_on\n"
        "lieu-excel;Lieu d'Excel;fablab;Créé dans un tableur français.;59606;50,358;3,524;1 300;01/11/2016\n"
    )
    result = HubResource().import_data(
        CSVFormat().create_dataset(text.encode("cp1252")), dry_run=False
    )
    assert not row_errors(result)
    hub = Hub.objects.get(slug="lieu-excel")
    assert (hub.latitude, hub.longitude, hub.surface_m2) == (50.358, 3.524, 1300)
    assert hub.opened_on.isoformat() == "2016-11-01" and hub.summary.startswith("Créé")


def test_missing_key_column_is_a_file_error(demo_territories):
    result = HubResource().import_data(dataset_from("name,commune\nA,59606\n"), dry_run=False)
    assert result.has_errors()
    assert "Colonne(s) absente(s) de l'en-tête : slug" in row_errors(result)[0][2]


def test_external_id_must_stay_unique(demo_hubs):
    Hub.objects.filter(slug="serre-numerique").update(external_id="fablabs.io:serre")
    text = "slug,name,kinds,summary,commune,external_id\nautre,Autre,fablab,Un lieu.,59606,fablabs.io:serre\n"
    errors = row_errors(HubResource().import_data(dataset_from(text), dry_run=True))
    assert errors[0][1] == "external_id" and "serre-numerique" in errors[0][2]


# ----------------------------------------------------------------------------- scope
def test_scoped_editor_cannot_import_a_row_of_another_territory(demo_hubs):
    user = editor()
    before = Hub.objects.count()
    text = (
        "slug,name,kinds,summary,commune\n"
        "chez-moi,Chez moi,fablab,À Valenciennes.,59606\n"
        "a-calais,À Calais,fablab,Hors de mon territoire.,62193\n"
    )
    result = HubResource(user=user).import_data(dataset_from(text), dry_run=False, user=user)
    errors = row_errors(result)
    assert [(n, c) for n, c, _m in errors] == [(2, "commune")]
    assert errors[0][2].startswith("hors de votre territoire")
    assert Hub.objects.count() == before


def test_scoped_editor_cannot_update_a_hub_of_another_territory(demo_hubs):
    user = editor()
    text = "slug,name,kinds,summary,commune\nmaison-numerique-innovation-calaisis,Volée,fablab,X.,59606\n"
    errors = row_errors(HubResource(user=user).import_data(dataset_from(text), dry_run=True))
    assert errors and "autre territoire" in errors[0][2]


def test_scoped_editor_exports_only_their_territory(demo_hubs):
    user = editor()
    dataset = HubResource(user=user).export(Hub.objects.all())
    communes = {row["commune"] for row in dataset.dict}
    assert communes and all(
        Commune.objects.get(insee=c).epci_id == VALENCIENNES_METROPOLE for c in communes
    )
    assert "maison-numerique-innovation-calaisis" not in {row["slug"] for row in dataset.dict}


# ----------------------------------------------------------------------------- operations
OPS_HEADER = (
    "hub,operation_title,operation_purpose,operation_total_cost,funder,amount,share,status\n"
)


def test_a_two_line_operation_imports_and_shares_can_be_swapped(demo_hubs):
    factories.demo_funders()
    text = OPS_HEADER + (
        "pop-place-valenciennes,Animation 2018,animation,10000,feder,6000,60,granted\n"
        "pop-place-valenciennes,Animation 2018,animation,10000,valenciennes-metropole,4000,40,granted\n"
    )
    result = OperationLineResource().import_data(dataset_from(text), dry_run=False)
    assert not row_errors(result) and result.totals["new"] == 2
    operation = FundedOperation.objects.get(title="Animation 2018")
    assert operation.lines.count() == 2
    swapped = OPS_HEADER + (
        "pop-place-valenciennes,Animation 2018,animation,10000,feder,4000,40,granted\n"
        "pop-place-valenciennes,Animation 2018,animation,10000,valenciennes-metropole,6000,60,granted\n"
    )
    result = OperationLineResource().import_data(dataset_from(swapped), dry_run=False)
    assert not row_errors(result) and result.totals["update"] == 2
    assert dict(operation.lines.values_list("funder__slug", "share")) == {
        "feder": Decimal("40.00"),
        "valenciennes-metropole": Decimal("60.00"),
    }


def test_shares_over_100_roll_back_the_whole_file(demo_hubs):
    factories.demo_funders()
    text = OPS_HEADER + (
        "pop-place-valenciennes,Trop,animation,,feder,,70,granted\n"
        "pop-place-valenciennes,Trop,animation,,valenciennes-metropole,,40,granted\n"
    )
    result = OperationLineResource().import_data(dataset_from(text), dry_run=False)
    errors = row_errors(result)
    assert errors and errors[0][0] == 2 and "100" in errors[0][2]
    assert not FundedOperation.objects.filter(title="Trop").exists()


def test_operation_columns_must_agree_between_its_lines(demo_hubs):
    factories.demo_funders()
    text = OPS_HEADER + (
        "pop-place-valenciennes,Op,animation,1000,feder,100,,granted\n"
        "pop-place-valenciennes,Op,animation,2000,valenciennes-metropole,100,,granted\n"
    )
    errors = row_errors(OperationLineResource().import_data(dataset_from(text), dry_run=True))
    assert errors[0][:2] == (2, "operation_total_cost") and "ligne 1" in errors[0][2]


def test_operations_export_round_trip_including_an_operation_without_lines(demo_funding):
    dataset = OperationLineResource().export(FundedOperation.objects.all())
    lines, operations = FinancingLine.objects.count(), FundedOperation.objects.count()
    assert len(dataset) == lines + FundedOperation.objects.filter(lines=None).count()
    assert {row["operation_id"] for row in dataset.dict} == {
        str(pk) for pk in FundedOperation.objects.values_list("pk", flat=True)
    }
    text = CSVFormat().export_data(dataset)
    result = OperationLineResource().import_data(
        CSVFormat().create_dataset(text.encode()), dry_run=False
    )
    assert not row_errors(result)
    assert result.totals["new"] == result.totals["update"] == 0
    assert (FinancingLine.objects.count(), FundedOperation.objects.count()) == (lines, operations)


def test_scoped_editor_cannot_import_an_operation_elsewhere(demo_funding):
    user = editor(models=("fundedoperation", "financingline"))
    text = OPS_HEADER + "maison-numerique-innovation-calaisis,Nouvelle,running,,etat,100,,granted\n"
    errors = row_errors(OperationLineResource(user=user).import_data(dataset_from(text), user=user))
    # Another territory's hub reads as an unknown one (tests/test_import_scope_messages.py).
    assert errors[0][1] == "hub" and errors[0][2] == (
        "Aucun lieu « maison-numerique-innovation-calaisis » dans vos territoires."
    )
    assert not FundedOperation.objects.filter(title="Nouvelle").exists()


# ----------------------------------------------------------------------------- events
EVENTS_HEADER = "slug,title,kind,hub,commune,start,end\n"


def test_events_dates_venues_and_scope(demo_hubs):
    text = EVENTS_HEADER + (
        "journee,Journée,forum,pop-place-valenciennes,,2026-10-03,\n"
        "soiree,Soirée,rencontre,,59606,2026-10-03T18:30,2026-10-03T20:00\n"
    )
    result = EventResource().import_data(dataset_from(text), dry_run=False)
    assert not row_errors(result)
    journee, soiree = Event.objects.get(slug="journee"), Event.objects.get(slug="soiree")
    assert journee.all_day and journee.end.isoformat() == "2026-10-03T21:59:00+00:00"
    assert soiree.start.isoformat() == "2026-10-03T16:30:00+00:00"
    assert soiree.latitude == Commune.objects.get(insee="59606").latitude
    user = editor(models=("event",))
    text = EVENTS_HEADER + "calais,À Calais,atelier,,62193,2026-10-03,\n"
    errors = row_errors(EventResource(user=user).import_data(dataset_from(text), user=user))
    assert errors[0][2].startswith("hors de votre territoire")
    exported = EventResource().export(Event.objects.all())
    assert {row["slug"]: row["start"] for row in exported.dict}["journee"] == "2026-10-03"
    again = EventResource().import_data(
        CSVFormat().create_dataset(CSVFormat().export_data(exported).encode()), dry_run=False
    )
    assert not row_errors(again) and again.totals["skip"] == 2


# ----------------------------------------------------------------------------- admin
def upload(client, url, name, content):
    from django.core.files.uploadedfile import SimpleUploadedFile

    fmt = "1" if name.endswith(".xlsx") else "0"
    return client.post(
        url, {"format": fmt, "resource": "0", "import_file": SimpleUploadedFile(name, content)}
    )


def confirm(client, url, response):
    form = response.context["confirm_form"]
    return client.post(url, {name: form.initial[name] for name in form.fields})


@pytest.fixture
def superuser_client(client, demo_hubs):
    client.force_login(factories.superuser())
    return client


def test_admin_import_with_one_bad_row_shows_it_and_cannot_be_confirmed(superuser_client):
    before = Hub.objects.count()
    response = upload(
        superuser_client,
        "/admin/hubs/hub/import/",
        "lieux.csv",
        hub_rows(250, bad_row=137).encode(),
    )
    assert response.status_code == 200
    content = response.content.decode()
    assert "code INSEE de commune inconnu : « 99999 »" in content
    assert "<td>137 </td>" in content
    assert response.context.get("confirm_form") is None
    assert "process_import" not in content
    assert Hub.objects.count() == before


def test_admin_import_preview_then_confirm(superuser_client):
    response = upload(
        superuser_client, "/admin/hubs/hub/import/", "lieux.csv", hub_rows(3).encode()
    )
    assert response.status_code == 200 and response.context["confirm_form"] is not None
    assert not Hub.objects.filter(slug__startswith="lieu-importe-").exists()  # dry run
    response = confirm(superuser_client, "/admin/hubs/hub/process_import/", response)
    assert response.status_code == 302
    assert Hub.objects.filter(slug__startswith="lieu-importe-").count() == 3


def test_admin_import_xlsx(superuser_client):
    dataset = dataset_from(hub_rows(2))
    content = XLSX().export_data(dataset)
    response = upload(superuser_client, "/admin/hubs/hub/import/", "lieux.xlsx", content)
    assert response.context["confirm_form"] is not None, response.content.decode()[-3000:]
    confirm(superuser_client, "/admin/hubs/hub/process_import/", response)
    assert Hub.objects.filter(slug__startswith="lieu-importe-").count() == 2


def test_admin_offers_csv_and_xlsx_only(superuser_client):
    response = superuser_client.get("/admin/hubs/hub/import/")
    choices = [label for _value, label in response.context["form"].fields["format"].choices]
    assert choices == ["---", "csv", "xlsx"]


def test_admin_operations_and_events_import_templates(superuser_client):
    factories.demo_funders()
    for url, name in (
        ("/admin/funding/fundedoperation/", "operations_template.csv"),
        ("/admin/events/event/", "events_template.csv"),
    ):
        content = (DOCS / name).read_bytes()
        response = upload(superuser_client, url + "import/", name, content)
        assert response.context["confirm_form"] is not None, name
        assert confirm(superuser_client, url + "process_import/", response).status_code == 302
    assert Event.objects.filter(slug="beam-me-up-2017").exists()


def test_admin_scoped_editor_import_refused_and_export_limited(client, demo_hubs):
    user = editor()
    client.force_login(user)
    text = "slug,name,kinds,summary,commune\na-calais,À Calais,fablab,Ailleurs.,62193\n"
    response = upload(client, "/admin/hubs/hub/import/", "lieux.csv", text.encode())
    assert response.status_code == 200
    assert "hors de votre territoire" in response.content.decode()
    assert response.context.get("confirm_form") is None
    assert not Hub.objects.filter(slug="a-calais").exists()
    response = client.post("/admin/hubs/hub/export/", {"format": "0", "resource": "0"})
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="lieux-')
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows and {row["commune"] for row in rows} <= set(
        Commune.objects.filter(epci_id=VALENCIENNES_METROPOLE).values_list("insee", flat=True)
    )
    assert "maison-numerique-innovation-calaisis" not in {row["slug"] for row in rows}


def test_import_needs_add_and_change_permissions_export_needs_view(client, demo_hubs):
    viewer = User.objects.create_user("lecteur", password="x", is_staff=True)
    viewer.user_permissions.set(Permission.objects.filter(codename="view_hub"))
    TerritoryScope.objects.create(user=viewer, epci=EPCI.objects.get(pk=VALENCIENNES_METROPOLE))
    client.force_login(viewer)
    assert client.get("/admin/hubs/hub/import/").status_code == 403
    assert client.get("/admin/hubs/hub/export/").status_code == 200
    page = client.get("/admin/hubs/hub/").content.decode()
    assert "/admin/hubs/hub/export/" in page and "/admin/hubs/hub/import/" not in page


def test_admin_confirm_of_a_file_changed_after_the_preview_saves_nothing(superuser_client):
    import os
    import tempfile

    response = upload(
        superuser_client, "/admin/hubs/hub/import/", "lieux.csv", hub_rows(3).encode()
    )
    name = response.context["confirm_form"].initial["import_file_name"]
    with open(os.path.join(tempfile.gettempdir(), name), "wb") as handle:
        handle.write(hub_rows(3, bad_row=2).encode())
    response = confirm(superuser_client, "/admin/hubs/hub/process_import/", response)
    assert response.status_code == 302 and response["Location"].endswith("/import/")
    assert not Hub.objects.filter(slug__startswith="lieu-importe-").exists()
    messages = [str(m) for m in response.wsgi_request._messages]
    assert messages and "ligne 2, colonne « commune »" in messages[0]
