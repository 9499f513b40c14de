import pytest
from django.contrib.auth.models import User

from hubs.models import Hub, HubKind
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client_demo(client, demo_hubs):
    client.force_login(factories.superuser())
    return client


def test_hub_changelist_columns_filters_and_search(admin_client_demo):
    response = admin_client_demo.get("/admin/hubs/hub/", {"q": "pepiniere"})
    assert response.status_code == 200
    content = response.content.decode()
    assert "Pépinière d&#x27;entreprises de la Nouvelle Forge" in content
    assert "Pop School" not in content
    assert "Par publication" in content or "publication" in content


def test_hub_change_page_has_the_point_picker(admin_client_demo):
    hub = Hub.objects.get(slug="serre-numerique")
    response = admin_client_demo.get(f"/admin/hubs/hub/{hub.pk}/change/")
    content = response.content.decode()
    assert response.status_code == 200
    assert 'class="point-picker"' in content and "admin_point_picker.js" in content
    assert "leaflet/leaflet.js" in content
    assert 'id="id_latitude"' in content and 'id="id_longitude"' in content


def test_add_hub_through_the_admin_form(admin_client_demo):
    from territories.models import Commune

    calais = Commune.objects.get(insee="62193")
    data = {
        "name": "Fablab de test",
        "slug": "fablab-de-test",
        "kinds": ["1"],
        "summary": "Un fablab.",
        "commune": calais.pk,
        "latitude": "50.95",
        "longitude": "1.86",
        "status": "open",
        "publication": "published",
        "photos-TOTAL_FORMS": "0",
        "photos-INITIAL_FORMS": "0",
        "indicators-TOTAL_FORMS": "0",
        "indicators-INITIAL_FORMS": "0",
        "targets-TOTAL_FORMS": "0",
        "targets-INITIAL_FORMS": "0",
    }
    response = admin_client_demo.post("/admin/hubs/hub/add/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    hub = Hub.objects.get(slug="fablab-de-test")
    assert hub.latitude == 50.95 and "fablab" in hub.search_text

    bad = dict(data, slug="autre", latitude="123")
    response = admin_client_demo.post("/admin/hubs/hub/add/", bad)
    assert response.status_code == 200 and not Hub.objects.filter(slug="autre").exists()


def test_commune_admin_search_ignores_accents(admin_client_demo):
    response = admin_client_demo.get("/admin/territories/commune/", {"q": "charbonnieres"})
    assert "Charbonnières-les-Bains" in response.content.decode()


def test_anonymous_is_sent_to_login(client, db):
    response = client.get("/admin/hubs/hub/")
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_staff_without_permission_cannot_edit_territories(client, demo_territories):
    staff = User.objects.create_user("agent", password="x", is_staff=True)
    client.force_login(staff)
    assert client.get("/admin/territories/commune/").status_code == 403


@pytest.mark.parametrize(
    ("color", "message"),
    [
        ("#fde047", "Couleur trop claire"),  # yellow: 1,5:1 with white
        ("#808080", "Couleur trop claire"),  # 3,9:1
        ("red", "#rrggbb"),
        ('"><b>', "#rrggbb"),
    ],
)
def test_kind_colour_must_carry_white_text(admin_client_demo, color, message):
    kind = HubKind.objects.get(slug="fablab")
    url = f"/admin/hubs/hubkind/{kind.pk}/change/"
    form = admin_client_demo.get(url).content.decode()
    assert 'type="color"' in form  # the browser's colour picker
    data = {"name": kind.name, "slug": kind.slug, "color": color, "position": kind.position}
    response = admin_client_demo.post(url, {**data, "description": kind.description})
    assert response.status_code == 200  # the form again, with the error
    assert message in response.content.decode()
    kind.refresh_from_db()
    assert kind.color == "#b42318"


def test_kind_colour_dark_enough_is_saved(admin_client_demo):
    kind = HubKind.objects.get(slug="fablab")
    data = {"name": kind.name, "slug": kind.slug, "color": "#767676", "position": kind.position}
    response = admin_client_demo.post(f"/admin/hubs/hubkind/{kind.pk}/change/", data)
    assert response.status_code == 302
    kind.refresh_from_db()
    assert kind.color == "#767676"
