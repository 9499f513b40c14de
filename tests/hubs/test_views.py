import json
import re

import pytest

from backoffice.roles import EDITOR
from hubs.models import Hub, HubIndicator
from tests import factories

pytestmark = pytest.mark.django_db


def _jsonld(content: str) -> dict:
    match = re.search(r'<script type="application/ld\+json">(.*?)</script>', content, re.S)
    assert match, "no JSON-LD block"
    return json.loads(match.group(1))


def test_home_has_the_map_its_config_and_a_server_rendered_list(client, demo_hubs):
    response = client.get("/")
    assert response.status_code == 200
    content = response.content.decode()
    assert 'id="map"' in content and "leaflet.markercluster.js" in content
    config = json.loads(re.search(r'id="map-config"[^>]*>(.*?)</script>', content, re.S).group(1))
    assert config["geojsonUrl"] == "/api/v1/hubs.geojson"
    assert {k["slug"] for k in config["kinds"]} >= {"fablab", "coworking"}
    assert config["maxZoom"] == 18
    # Without JavaScript the list is there, with links to the hub pages.
    assert 'href="/hubs/pop-school-valenciennes/"' in content
    assert "13 lieux trouvés" in content
    assert 'lang="fr"' in content


def test_home_keeps_filters_in_the_form(client, demo_hubs):
    content = client.get(
        "/", {"q": "forge", "kind": "fablab", "place": "Maubeuge"}
    ).content.decode()
    assert 'value="forge"' in content
    assert re.search(r'value="fablab"\s+checked', content)
    assert 'value="Maubeuge"' in content


def test_list_sorted_by_distance_with_distance_shown(client, demo_hubs):
    response = client.get("/hubs/", {"place": "Calais", "radius_km": "20"})
    content = response.content.decode()
    hubs = list(response.context["hubs"])
    assert [h.commune.name for h in hubs] == ["Calais"] * 3
    assert [h.distance for h in hubs] == sorted(h.distance for h in hubs)
    assert "autour de Calais" in content
    # Two of them on the commune's point: « à moins de 100 m », never « à 0 m ».
    assert "à moins de 100\u00a0m" in content
    assert re.search(r"à \d+(,\d)?\u00a0km", content)
    assert "à 0\u00a0m" not in content


def test_list_paginates(client, demo_hubs, settings):
    settings.HUBS_PER_PAGE = 5
    first = client.get("/hubs/")
    assert len(first.context["hubs"]) == 5 and "Page 1 sur 3" in first.content.decode()
    last = client.get("/hubs/", {"page": "3"})
    assert len(last.context["hubs"]) == 3
    # A page number out of range or nonsense falls back instead of failing.
    assert client.get("/hubs/", {"page": "999"}).status_code == 200
    assert client.get("/hubs/", {"page": "abc"}).status_code == 200


def test_list_by_territory_shows_the_territory(client, demo_hubs):
    content = client.get("/hubs/", {"place": "Pas-de-Calais"}).content.decode()
    assert "4 lieux trouvés" in content and "dans Pas-de-Calais" in content


def test_hub_page_shows_what_a_visitor_needs(client, demo_hubs):
    response = client.get("/hubs/pepiniere-nouvelle-forge/")
    assert response.status_code == 200
    content = response.content.decode()
    assert "<h1>Pépinière d&#x27;entreprises de la Nouvelle Forge</h1>" in content
    assert "Pépinière d&#x27;entreprises</span>" in content  # kind badge
    assert "Fibre optique" in content and "Porteurs de projet" in content
    assert 'href="/hubs/nouvelle-forge/"' in content  # parent
    assert "entreprises hébergées" in content and ">11<" in content and ">25<" in content
    assert "800 m²" in content and "novembre 2016" in content
    assert 'id="hub-map"' in content and "hub-map-config" in content


def test_parent_lists_its_children(client, demo_hubs):
    content = client.get("/hubs/nouvelle-forge/").content.decode()
    for child in ("pop-school-valenciennes", "pop-place-valenciennes", "pepiniere-nouvelle-forge"):
        assert f'href="/hubs/{child}/"' in content


def test_hub_page_jsonld_is_schema_org(client, demo_hubs):
    data = _jsonld(client.get("/hubs/pop-school-valenciennes/").content.decode())
    assert data["@context"] == "https://schema.org" and data["@type"] == "Place"
    assert data["name"] == "Pop School Valenciennes"
    assert data["address"]["addressLocality"] == "Anzin"
    assert data["address"]["postalCode"] == "59410"
    assert data["geo"]["latitude"] == pytest.approx(50.364, abs=0.01)
    assert data["containedInPlace"]["name"] == "La Nouvelle Forge"


def test_jsonld_cannot_break_out_of_its_script(client, demo_hubs):
    Hub.objects.filter(slug="serre-numerique").update(name="</script><script>alert(1)</script>")
    content = client.get("/hubs/serre-numerique/").content.decode()
    assert "<script>alert(1)" not in content
    assert _jsonld(content)["name"] == "</script><script>alert(1)</script>"


def test_drafts_are_hidden_from_the_public_but_previewed_by_staff(client, demo_hubs):
    Hub.objects.filter(slug="serre-numerique").update(publication=Hub.Publication.DRAFT)
    assert client.get("/hubs/serre-numerique/").status_code == 404
    assert "serre-numerique" not in client.get("/hubs/").content.decode()
    client.force_login(factories.staff(EDITOR, departement=["62"]))  # another territory
    assert client.get("/hubs/serre-numerique/").status_code == 404
    client.force_login(factories.staff(EDITOR, epci=["245901160"]))
    response = client.get("/hubs/serre-numerique/")
    assert response.status_code == 200
    assert "Aperçu réservé à l'équipe" in response.content.decode()


def test_unknown_hub_is_404(client, db):
    assert client.get("/hubs/nowhere/").status_code == 404


def test_indicator_table_when_several_years(client, demo_hubs):
    hub = Hub.objects.get(slug="pepiniere-nouvelle-forge")
    HubIndicator.objects.create(hub=hub, year=2018, companies_hosted=14, jobs=40)
    content = client.get(hub.get_absolute_url()).content.decode()
    assert "Indicateurs par année" in content and ">2017<" in content and ">40<" in content


@pytest.mark.parametrize("url", ["/hubs/pop-school-valenciennes/", "/hubs/nouvelle-forge/"])
def test_hub_page_query_count_is_bounded(client, demo_hubs, django_assert_max_num_queries, url):
    with django_assert_max_num_queries(14):
        assert client.get(url).status_code == 200


def test_post_is_not_allowed_on_public_pages(client, db):
    assert client.post("/").status_code == 405
    assert client.post("/api/v1/hubs.geojson").status_code == 405


def test_autocomplete_endpoint(client, demo_territories):
    response = client.get("/api/v1/territories/autocomplete", {"q": "valencienne"})
    assert response.status_code == 200
    first = response.json()["results"][0]
    assert first["name"] == "Valenciennes" and first["label"] == "Valenciennes (59300)"
    assert client.get("/api/v1/territories/autocomplete").json() == {"results": []}
    assert client.get("/api/v1/territories/autocomplete", {"q": "x" * 5000}).status_code == 200
