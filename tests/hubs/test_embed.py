"""/embed/: the map for other sites' iframes, and the snippet the map page offers."""

import html
import re

import pytest

pytestmark = pytest.mark.django_db


def test_embed_can_be_framed_keeps_filters_and_opens_links_outside(client, demo_hubs):
    response = client.get("/embed/", {"territory": "245901160"})
    assert response.status_code == 200
    assert "X-Frame-Options" not in response  # the one page other sites may frame
    content = response.content.decode()
    assert '<base target="_blank">' in content
    assert 'class="site-nav"' not in content and 'class="embed-bar"' in content
    assert 'href="http://testserver/?territory=245901160"' in content
    assert "/api/v1/hubs.geojson?territory=245901160" in content
    names = [hub.name for hub in response.context["hubs"]]
    assert names and all(
        hub.commune.epci_id == "245901160" for hub in response.context["page_obj"].object_list
    )


def test_other_pages_still_refuse_framing(client, demo_hubs):
    assert client.get("/").headers["X-Frame-Options"] == "DENY"


def test_map_page_offers_the_iframe_snippet_of_its_selection(client, demo_hubs):
    content = client.get("/", {"kind": "fablab"}).content.decode()
    snippet = html.unescape(
        re.search(r'<textarea id="embed-snippet"[^>]*>(.*?)</textarea>', content, re.S)[1]
    )
    assert snippet.startswith('<iframe src="http://testserver/embed/?kind=fablab"')
    assert 'title="Carte des lieux numériques"' in snippet and 'loading="lazy"' in snippet


def test_embed_with_bad_filters_is_a_400_with_the_form_error(client, db):
    response = client.get("/embed/", {"bbox": "abc"})
    assert response.status_code == 400
