"""The embeddable map inside another site's page."""

import os
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.stub_server import ANY, serve


@pytest.fixture
def agglomeration_site(live_demo):
    """An agglomeration's page framing the map, served from another origin (port)."""
    body = (
        "<!doctype html><html lang='fr'><head><meta name='viewport'"
        " content='width=device-width, initial-scale=1'><title>Valenciennes Métropole</title>"
        "</head><body style='font-family:sans-serif;margin:1rem'><h1>Valenciennes Métropole</h1>"
        "<p>Les lieux numériques de l’agglomération :</p>"
        f"<iframe src='{live_demo.url}/embed/?territory=245901160' title='Carte des lieux'"
        " style='border:0;width:100%;max-width:900px;height:520px'></iframe></body></html>"
    ).encode()

    # A real local server, not a routed page: Chromium's local network access
    # checks keep a page of unknown address from framing a local one.
    with serve() as server:
        server.answer(ANY, body, content_type="text/html; charset=utf-8")
        yield server.url("/carte.html")


def test_the_embedded_map_works_inside_another_page(live_demo, agglomeration_site, page):
    # Another origin than the directory's: the CSP's frame-ancestors lets any
    # web origin frame /embed/ (and only it).
    page.goto(agglomeration_site)
    frame = page.frame_locator("iframe")
    expect(frame.locator("html[data-map-ready='true']")).to_have_count(1)
    expect(frame.locator(".leaflet-marker-icon").first).to_be_visible()
    expect(frame.locator("#results-status")).to_contain_text(re.compile(r"\b5 lieux\b"))
    expect(frame.get_by_role("link", name="Voir sur le site (nouvel onglet)")).to_have_attribute(
        "href", f"{live_demo.url}/?territory=245901160"
    )
    # Links leave the frame: a hub page opens in a new tab, not inside the map.
    with page.context.expect_page() as new_tab:
        frame.locator(".hub-card__name a").first.click()
    expect(new_tab.value).to_have_url(re.compile(r"/hubs/[\w-]+/$"))


@pytest.mark.skipif(
    os.environ.get("SCREENSHOTS") != "1", reason="screenshots are taken only with SCREENSHOTS=1"
)
@pytest.mark.parametrize("width", [1280, 390])
def test_embed_screenshots(live_demo, agglomeration_site, page, width, request):
    folder = Path(
        os.environ.get("SCREENSHOTS_DIR") or request.config.rootpath / "artifacts" / "screenshots"
    )
    folder.mkdir(parents=True, exist_ok=True)
    page.set_viewport_size({"width": width, "height": 800})
    page.goto(agglomeration_site)
    frame = page.frame_locator("iframe")
    expect(frame.locator("html[data-map-ready='true']")).to_have_count(1)
    expect(frame.locator(".leaflet-marker-icon").first).to_be_visible()
    page.wait_for_timeout(500)  # the tiles' fade-in
    page.screenshot(path=str(folder / f"embed-in-a-page-{width}.png"), full_page=True)
