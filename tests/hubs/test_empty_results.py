"""An empty search says so and offers a way out (issue 16): « Aucun lieu à moins de
10 km de Lille » with larger radii and the whole département, on the list and on
the map page, without JavaScript; never the « critères signalés » of a bad query."""

import re

import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("url", ["/hubs/", "/"])
def test_no_hub_near_lille_says_so_and_offers_wider_searches(client, demo_hubs, url):
    response = client.get(url, {"place": "Lille"})
    assert response.status_code == 200
    content = response.content.decode()
    assert "critères signalés" not in content
    assert "0 lieu trouvé" in content  # the count, without JavaScript (French: 0 is singular)
    assert "Aucun lieu à moins de 10 km de Lille (59000)." in content
    links = {
        label: href.replace("&amp;", "&")
        for href, label in re.findall(
            r'<a href="([^"]+)">([^<]+)</a>',
            content.split('class="empty__wider"')[1].split("</p>")[0],
        )
    }
    assert links["à moins de 20 km"].endswith("place=Lille&radius_km=20")
    assert links["à moins de 50 km"].endswith("place=Lille&radius_km=50")
    assert links["dans tout le département (Nord)"].endswith("?territory=dep%3A59")
    # The way out finds the Nord's hubs.
    wider = client.get(links["dans tout le département (Nord)"])
    assert "Aucun lieu" not in wider.content.decode() and wider.context["page_obj"].paginator.count


def test_a_bad_query_still_names_its_error(client, demo_hubs):
    response = client.get("/hubs/", {"radius_km": "abc"})
    assert response.status_code == 400
    assert "critères signalés" in response.content.decode()


def test_an_empty_filter_without_a_place_offers_all_hubs(client, demo_hubs):
    response = client.get("/hubs/", {"q": "introuvable-xyz"})
    content = response.content.decode()
    assert (
        "Aucun lieu ne correspond à ces critères." in content and "critères signalés" not in content
    )
    assert "empty__wider" not in content
