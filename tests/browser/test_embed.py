"""The embeddable map inside another site's page."""

import re

from playwright.sync_api import expect


def test_the_embedded_map_works_inside_another_page(live_demo, page):
    page.set_content(
        "<!doctype html><html lang='fr'><body><h1>Valenciennes Métropole</h1>"
        f"<iframe src='{live_demo.url}/embed/?territory=245901160' title='Carte des lieux'"
        " width='900' height='520' style='border:0'></iframe></body></html>"
    )
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
