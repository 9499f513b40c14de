"""The national schema's fields on the hub: the admin's « Données nationales », the
hub page's SIRET, the footer's links to the national export."""

import pytest

from hubs.models import Hub
from tests import factories
from tests.admin_forms import change_form_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def serre(client, demo_hubs):
    client.force_login(factories.superuser())
    hub = Hub.objects.get(slug="serre-numerique")
    return hub, f"/admin/hubs/hub/{hub.pk}/change/"


def test_the_admin_has_the_fieldset_with_boxes_to_tick(client, serre):
    hub, url = serre
    content = client.get(url).content.decode()
    assert "Données nationales" in content
    assert 'name="siret"' in content
    assert 'type="checkbox" name="services" value="admin_procedures"' in content
    assert 'type="checkbox" name="national_programmes" value="france_services"' in content
    assert 'type="checkbox" name="support_modes" value="group"' in content
    assert 'type="checkbox" name="specific_support" value="deafness"' in content
    assert 'name="itinerance"' in content


def test_the_admin_saves_them_and_takes_the_spaces_out_of_the_siret(client, serre):
    hub, url = serre
    data = change_form_data(
        client,
        url,
        siret="434 933 123 00029",
        itinerance="both",
        services=["admin_procedures", "internet_access"],
        support_modes=["individual", "group"],
        specific_support=["illiteracy"],
        national_programmes=["conseillers_numeriques", "france_services"],
    )
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    hub.refresh_from_db()
    assert hub.siret == "43493312300029"
    assert hub.itinerance == Hub.Itinerance.BOTH
    assert hub.services == ["admin_procedures", "internet_access"]
    assert hub.support_modes == ["individual", "group"]
    assert hub.specific_support == ["illiteracy"]
    assert hub.national_programmes == ["conseillers_numeriques", "france_services"]


@pytest.mark.parametrize(
    ("siret", "message"),
    [
        ("434 933 123 00028", "clé de contrôle est fausse"),
        ("4349331230002", "14 chiffres"),
    ],
)
def test_a_bad_siret_is_a_form_error_and_nothing_is_saved(client, serre, siret, message):
    hub, url = serre
    response = client.post(url, change_form_data(client, url, siret=siret, itinerance="both"))
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert list(errors) == ["siret"] and message in errors["siret"][0]
    hub.refresh_from_db()
    assert hub.siret == "" and hub.itinerance == Hub.Itinerance.FIXED


def test_an_unknown_value_in_a_list_is_refused(client, serre):
    hub, url = serre
    response = client.post(url, change_form_data(client, url, services=["teleportation"]))
    assert response.status_code == 200
    assert "services" in response.context["adminform"].form.errors


def test_the_model_refuses_unknown_or_repeated_values():
    from django.core.exceptions import ValidationError

    hub = factories.hub(services=["leisure", "leisure"], national_programmes=["nasa"])
    with pytest.raises(ValidationError) as error:
        hub.full_clean()
    assert set(error.value.message_dict) == {"services", "national_programmes"}


def test_the_hub_page_shows_the_siret_with_a_link_to_the_directory(client, demo_territories):
    hub = factories.hub(siret="43493312300029")
    content = client.get(hub.get_absolute_url()).content.decode()
    assert "<dt>SIRET</dt>" in content
    assert (
        '<a href="https://annuaire-entreprises.data.gouv.fr/etablissement/43493312300029">'
        "434 933 123 00029</a>"
    ) in content
    other = factories.hub()
    assert "<dt>SIRET</dt>" not in client.get(other.get_absolute_url()).content.decode()


def test_the_footer_links_to_the_national_export(client, demo_territories):
    content = client.get("/hubs/").content.decode()
    assert 'href="/api/v1/lieux-mediation-numerique.csv"' in content
    assert 'href="/api/v1/lieux-mediation-numerique.json"' in content
