"""Every hub is reachable from the map: hubs at one address spread out
(spiderfy) at whatever zoom they still overlap, by mouse, touch and keyboard;
events look different from hubs and a legend says which is which."""

import re

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError
from playwright.sync_api import expect

from hubs.models import Hub, HubKind

from .test_map import MAUBEUGE, open_map, results
from .waits import wait_for_flag

# The Nouvelle Forge (Anzin): four hubs within 20 m of one another.
NOUVELLE_FORGE = [
    "La Nouvelle Forge",
    "Pop School Valenciennes",
    "Pop Place — coworking et fab lab",
    "Pépinière d'entreprises de la Nouvelle Forge",
]


def slug_of(name: str) -> str:
    return Hub.objects.get(name=name).slug


def settled(page):
    """No zoom or cluster animation running."""
    for busy in ("#map .leaflet-zoom-anim", "#map .leaflet-cluster-anim"):
        expect(page.locator(busy)).to_have_count(0)


def cluster_nearest_the_centre(page):
    """The hubs' cluster nearest the middle of the map (the map opens centred on the
    place asked for; a click on a cluster zooms in around it): not the first in
    the DOM, whose order follows the order the hubs came in."""
    index = page.evaluate(
        """() => {
          const map = document.getElementById("map").getBoundingClientRect();
          const x = map.left + map.width / 2, y = map.top + map.height / 2;
          const clusters = [...document.querySelectorAll("#map .marker-cluster:not(.event-cluster)")];
          const distance = (c) => {
            const r = c.getBoundingClientRect();
            return Math.hypot(r.left + r.width / 2 - x, r.top + r.height / 2 - y);
          };
          return clusters.reduce((best, c, i) => (distance(c) < distance(clusters[best]) ? i : best), 0);
        }"""
    )
    return page.locator("#map .marker-cluster:not(.event-cluster)").nth(index)


def focused_marker(page) -> dict:
    return page.evaluate(
        """() => {
          const e = document.activeElement;
          return {
            cluster: e.classList.contains("marker-cluster"),
            marker: e.classList.contains("leaflet-marker-icon"),
            title: e.getAttribute("title") || "",
            inMap: Boolean(e.closest("#map")),
          };
        }"""
    )


def wait_focus_moves_from_cluster(page):
    for _ in range(100):
        state = focused_marker(page)
        if state["inMap"] and state["marker"] and not state["cluster"]:
            return
        if state["cluster"]:  # a smaller cluster, after a zoom
            settled(page)
            return
        page.wait_for_timeout(50)
    pytest.fail(f"the focus did not move to a marker after Enter on a cluster: {state}")


def open_by_keyboard(page, name: str, limit: int = 40):
    """Tab into the map; Enter on clusters (zoom or spread) until the hub's marker
    has the focus; Enter opens its popup, Enter on its link opens its page."""
    page.locator("#map").focus()
    page.keyboard.press("Tab")
    for _ in range(limit):
        state = focused_marker(page)
        if state["title"] == name:
            page.keyboard.press("Enter")
            link = page.locator(".leaflet-popup").get_by_role("link", name=name, exact=True)
            expect(link).to_be_focused()
            page.keyboard.press("Enter")
            return
        if state["cluster"]:
            page.keyboard.press("Enter")
            wait_focus_moves_from_cluster(page)
            continue
        page.keyboard.press("Tab")
    pytest.fail(f"{name}: never reached from the keyboard")


def test_at_maubeuge_every_hub_page_is_reached_from_the_map_by_keyboard(live_demo, page):
    open_map(page, live_demo, "/?place=Maubeuge")
    names = results(page).locator(".hub-card__name").all_inner_texts()
    assert sorted(n.strip() for n in names) == sorted(MAUBEUGE)
    for name in MAUBEUGE:
        open_map(page, live_demo, "/?place=Maubeuge")
        open_by_keyboard(page, name)
        expect(page).to_have_url(re.compile(rf"/hubs/{slug_of(name)}/$"))


@pytest.mark.parametrize("layers", ["", "#layers=events"])
def test_at_maubeuge_every_hub_page_is_reached_from_the_map_by_touch(
    live_demo, new_context, layers
):
    context = new_context(viewport={"width": 390, "height": 844}, has_touch=True, is_mobile=True)
    page = context.new_page()
    for name in MAUBEUGE:
        open_map(page, live_demo, "/?place=Maubeuge" + layers)
        if layers:
            wait_for_flag(page, "eventsReady", "true")
            expect(page.locator("#map .event-pin, #map .event-cluster").first).to_be_visible()
        the_map = page.get_by_role("region", name="Carte des lieux")
        marker = the_map.get_by_role("button", name=name, exact=True)
        # One cluster holds the three hubs of one address: a tap spreads them out.
        hubs_cluster = the_map.locator(".marker-cluster:not(.event-cluster)")
        expect(hubs_cluster).to_have_count(1)
        hubs_cluster.tap()
        settled(page)
        marker.tap()  # fails when anything else (another marker, an event) covers it
        popup = page.locator(".leaflet-popup")
        popup.get_by_role("link", name="Voir la fiche").tap()
        expect(page).to_have_url(re.compile(rf"/hubs/{slug_of(name)}/$"))


def test_at_the_nouvelle_forge_every_hub_is_reached_by_mouse_at_any_zoom(live_demo, page):
    hub = Hub.objects.get(slug="nouvelle-forge")
    for zoom in (13, 16, 18):
        for name in NOUVELLE_FORGE:
            page.goto("about:blank")  # a new page, not a same-document hash change
            open_map(page, live_demo, f"/#map={zoom}/{hub.latitude:.5f}/{hub.longitude:.5f}")
            the_map = page.get_by_role("region", name="Carte des lieux")
            marker = the_map.get_by_role("button", name=name, exact=True)
            for _ in range(6):
                if marker.count() and marker.is_visible():
                    break
                # The cluster nearest the Forge: zooms in, or spreads its hubs out.
                cluster_nearest_the_centre(page).click()
                settled(page)
            link = page.locator(".leaflet-popup").get_by_role("link", name=name, exact=True)
            for attempt in range(2):  # a click during the spread's animation may land beside it
                settled(page)
                marker.click()
                try:
                    link.wait_for(state="visible", timeout=4_000)
                    break
                except PlaywrightTimeoutError:
                    if attempt:
                        raise
            expect(link).to_be_visible()
            assert link.get_attribute("href").endswith(f"/hubs/{slug_of(name)}/")


def test_escape_folds_a_spread_cluster_and_gives_it_the_focus_back(live_demo, page):
    open_map(page, live_demo, "/?place=Maubeuge")
    cluster = page.locator("#map .marker-cluster")
    cluster.focus()
    page.keyboard.press("Space")
    wait_focus_moves_from_cluster(page)
    assert focused_marker(page)["title"] in MAUBEUGE
    page.keyboard.press("Tab")
    assert focused_marker(page)["title"] in MAUBEUGE
    page.keyboard.press("Escape")
    expect(cluster).to_be_focused()


def test_a_legend_explains_kinds_and_layers(live_demo, page):
    open_map(page, live_demo)
    legend = page.locator("details.map-legend")
    toggle = legend.locator("summary", has_text="Légende")
    expect(toggle).to_be_visible()
    if not legend.evaluate("details => details.open"):
        toggle.click()
    for kind in HubKind.objects.all():
        expect(legend.get_by_text(kind.label, exact=True)).to_be_visible()
    for layer in ("Lieu", "Plusieurs lieux", "Événement", "Plusieurs événements"):
        expect(legend.get_by_text(layer, exact=True)).to_be_visible()
    toggle.click()
    expect(legend.get_by_text("Plusieurs lieux", exact=True)).to_be_hidden()


def test_event_clusters_and_markers_do_not_look_like_hubs(live_demo, page):
    hub = Hub.objects.get(slug="ruche-entreprises-maubeuge")
    open_map(page, live_demo, f"/#map=12/{hub.latitude:.5f}/{hub.longitude:.5f}&layers=events")
    wait_for_flag(page, "eventsReady", "true")
    hub_cluster = page.locator("#map .marker-cluster:not(.event-cluster)").first
    event_mark = page.locator("#map .event-cluster, #map .event-pin").first
    expect(hub_cluster).to_be_visible()
    expect(event_mark).to_be_visible()

    def shape(locator):
        return locator.evaluate(
            """e => { const s = getComputedStyle(e); return [s.borderTopLeftRadius, s.borderBottomRightRadius].join(" "); }"""
        )

    assert shape(hub_cluster) != shape(event_mark)
    # Beside, not on top: the hubs' cluster still takes a click at its centre.
    hub_cluster.click()
