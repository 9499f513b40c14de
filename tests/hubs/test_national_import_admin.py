"""The admin's import of national-schema files: preview (nothing saved), confirm,
permissions and territories; the list of possible duplicates and its actions."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import DatabaseError

from backoffice.roles import EDITOR, REGIONAL_ADMIN, VIEWER
from hubs.imports.bulk import BulkHubWriter
from hubs.models import Hub, PossibleDuplicate
from tests import factories

pytestmark = pytest.mark.django_db

URL = "/admin/hubs/hub/import-national/"
CSV = (
    "id,nom,commune,code_postal,adresse,latitude,longitude,typologie,source\n"
    "1,Espace Lille,Lille,59000,1 place,50.6365,3.0635,EPN,Test\n"
    "2,Fablab de Valenciennes,Valenciennes,59300,2 rue,,,FABLAB,Test\n"
    "3,Nulle part,Atlantide,99999,3 rue,,,,Test\n"
)
VALENCIENNES_METROPOLE = "245901160"


def upload(content=CSV, name="lieux.csv"):
    data = content.encode("utf-8") if isinstance(content, str) else content
    return SimpleUploadedFile(name, data, content_type="text/csv")


def logged_in(client, role, **scope):
    client.force_login(factories.staff(role, **scope))
    return client


def test_preview_saves_nothing_then_confirm_imports(client, demo_territories):
    client = logged_in(client, REGIONAL_ADMIN)
    response = client.post(URL, {"import_file": upload()})
    assert response.status_code == 200
    page = response.content.decode()
    assert "rien n’est encore enregistré" in page
    assert "2 à créer, 0 à mettre à jour, 0 inchangées, 1 refusées" in page
    assert "commune « Atlantide » introuvable" in page
    assert not Hub.objects.exists()
    token = response.context["token"]
    response = client.post(URL, {"token": token})
    assert response.status_code == 302 and response.url == "/admin/hubs/hub/"
    assert set(Hub.objects.values_list("name", flat=True)) == {
        "Espace Lille",
        "Fablab de Valenciennes",
    }
    assert all(h.publication == Hub.Publication.DRAFT for h in Hub.objects.all())
    # The token is used up: posting it again imports nothing more.
    response = client.post(URL, {"token": token})
    assert response.status_code == 302 and Hub.objects.count() == 2


def test_a_database_error_on_confirm_imports_nothing_and_says_so(
    client, demo_territories, monkeypatch
):
    client = logged_in(client, REGIONAL_ADMIN)
    token = client.post(URL, {"import_file": upload()}).context["token"]

    def fail(self, batch):
        raise DatabaseError("disque plein")

    monkeypatch.setattr(BulkHubWriter, "write", fail)
    response = client.post(URL, {"token": token}, follow=True)
    shown = [str(m) for m in response.context["messages"]]
    assert any(m.startswith("Import annulé, rien n") and "disque plein" in m for m in shown)
    assert not Hub.objects.exists()


def test_the_changelist_links_to_the_national_import(client, demo_territories):
    client = logged_in(client, REGIONAL_ADMIN)
    assert URL in client.get("/admin/hubs/hub/").content.decode()


def test_a_viewer_cannot_import(client, demo_territories):
    client = logged_in(client, VIEWER)
    assert client.get(URL).status_code == 403
    assert client.post(URL, {"import_file": upload()}).status_code == 403
    assert URL not in client.get("/admin/hubs/hub/").content.decode()
    assert not Hub.objects.exists()


def test_an_editor_imports_only_in_their_territory(client, demo_territories):
    client = logged_in(client, EDITOR, epci=[VALENCIENNES_METROPOLE])
    response = client.post(URL, {"import_file": upload()})
    page = response.content.decode()
    assert "hors de votre territoire (Lille)" in page
    client.post(URL, {"token": response.context["token"]})
    assert list(Hub.objects.values_list("name", flat=True)) == ["Fablab de Valenciennes"]


def test_another_users_token_is_refused(client, demo_territories):
    first = logged_in(client, REGIONAL_ADMIN)
    token = first.post(URL, {"import_file": upload()}).context["token"]
    other = logged_in(client, REGIONAL_ADMIN)
    response = other.post(URL, {"token": token}, follow=True)
    assert "Aperçu expiré" in response.content.decode()
    assert not Hub.objects.exists()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("nom,commune\nLieu,Lille\n".encode("utf-16"), "ni CSV ni JSON"),
        (b"%PDF-1.4\x00\x01", "ni CSV ni JSON"),
        ("slug,name\nx,X\n", "importez-le par « Importer »"),
    ],
)
def test_bad_files_are_a_form_error(client, demo_territories, content, message):
    client = logged_in(client, REGIONAL_ADMIN)
    response = client.post(URL, {"import_file": upload(content)})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert "token" not in response.context
    assert not Hub.objects.exists()


def test_a_huge_file_is_a_form_error(client, demo_territories, settings):
    settings.IMPORT_MAX_FILE_BYTES = 50
    client = logged_in(client, REGIONAL_ADMIN)
    response = client.post(URL, {"import_file": upload()})
    assert "Fichier trop volumineux" in response.content.decode()
    assert not Hub.objects.exists()


def test_possible_duplicates_list_is_scoped_and_marked_by_staff(client, demo_territories):
    lille = factories.commune("59350", "Lille")
    valenciennes = factories.commune()
    in_lille = [factories.hub("A", commune_obj=lille), factories.hub("A", commune_obj=lille)]
    in_val = [factories.hub("B"), factories.hub("B")]
    lille_pair = PossibleDuplicate.objects.create(
        hub=in_lille[1], other=in_lille[0], reason="name_nearby"
    )
    val_pair = PossibleDuplicate.objects.create(hub=in_val[1], other=in_val[0], reason="siret")
    assert valenciennes.epci_id == VALENCIENNES_METROPOLE
    client = logged_in(client, EDITOR, epci=[VALENCIENNES_METROPOLE])
    response = client.get("/admin/hubs/possibleduplicate/")
    assert response.status_code == 200
    assert list(response.context["cl"].queryset) == [val_pair]
    assert client.get(f"/admin/hubs/possibleduplicate/{lille_pair.pk}/change/").status_code in (
        302,
        403,
        404,
    )
    client.post(
        "/admin/hubs/possibleduplicate/",
        {"action": "mark_not_duplicate", "_selected_action": [val_pair.pk, lille_pair.pk]},
    )
    val_pair.refresh_from_db()
    lille_pair.refresh_from_db()
    assert val_pair.status == PossibleDuplicate.Status.NOT_DUPLICATE
    assert lille_pair.status == PossibleDuplicate.Status.OPEN
    assert Hub.objects.count() == 4  # nothing merged, nothing deleted


def test_a_viewer_sees_duplicates_but_cannot_mark_them(client, demo_territories):
    pair = PossibleDuplicate.objects.create(
        hub=factories.hub("B"), other=factories.hub("B"), reason="siret"
    )
    client = logged_in(client, VIEWER)
    assert client.get("/admin/hubs/possibleduplicate/").status_code == 200
    client.post(
        "/admin/hubs/possibleduplicate/",
        {"action": "mark_not_duplicate", "_selected_action": [pair.pk]},
    )
    pair.refresh_from_db()
    assert pair.status == PossibleDuplicate.Status.OPEN
