"""The site with the keyboard alone: skip link, filters, the map's markers and popups.

The list beside the map is the map's accessible alternative: « Voir sur la carte »
opens the hub's popup and moves the focus into it; Escape closes it and gives the
focus back. Markers and clusters are buttons reached with Tab; a visible focus
ring on everything the keyboard reaches.
"""

import re
import time

import pytest
from playwright.sync_api import expect

from hubs.models import Hub

from .test_map import ALL_HUBS, FABLABS, hub_names, open_map, results
from .waits import wait_for_flag


def focused(page):
    return page.locator(":focus")


def tab_until(page, locator, limit=60):
    """Press Tab until ``locator`` has the focus (fails after ``limit`` presses)."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if locator.evaluate("element => element === document.activeElement"):
            return
    pytest.fail(f"{locator} never got the focus in {limit} presses of Tab")


def outline_of(locator) -> tuple[str, str]:
    return locator.evaluate(
        "element => [getComputedStyle(element).outlineStyle, getComputedStyle(element).outlineWidth]"
    )


def assert_focus_ring(locator):
    style, width = outline_of(locator)
    assert style == "solid" and float(width.removesuffix("px")) >= 2, (style, width)


@pytest.mark.parametrize("path", ["/accessibilite/", "/plan-du-site/", "/funding/", "/events/"])
def test_skip_link_then_tab_stays_in_main(live_demo, page, path):
    page.goto(live_demo.url + path)
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Aller au contenu")
    expect(skip).to_be_focused()
    assert_focus_ring(skip)
    page.keyboard.press("Enter")
    expect(page.get_by_role("main")).to_be_focused()
    # The next Tab lands inside the main content, past the header's links.
    page.keyboard.press("Tab")
    assert focused(page).evaluate("element => Boolean(element.closest('main'))")
    assert_focus_ring(focused(page))


def test_the_map_filters_work_from_the_keyboard(live_demo, page):
    open_map(page, live_demo)
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")  # skip link
    fablab = page.get_by_role("group", name="Type de lieu").get_by_role("checkbox", name="Fablab")
    tab_until(page, fablab)
    assert_focus_ring(fablab.locator("xpath=ancestor::label[1]"))  # the chip around it
    page.keyboard.press("Space")

    expect(page).to_have_url(re.compile(r"\?(.*&)?kind=fablab(&|#|$)"))
    expect(hub_names(page)).to_have_count(len(FABLABS))
    expect(fablab).to_be_focused()


def test_the_list_filters_work_from_the_keyboard(live_demo, page):
    page.goto(live_demo.url + "/hubs/")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    fablab = page.get_by_role("checkbox", name="Fablab")
    tab_until(page, fablab)
    page.keyboard.press("Space")
    search = page.get_by_role("button", name="Rechercher")
    tab_until(page, search)
    assert_focus_ring(search)
    page.keyboard.press("Enter")

    expect(page).to_have_url(re.compile(r"/hubs/\?(.*&)?kind=fablab"))
    expect(page.locator(".hub-card__name")).to_have_count(len(FABLABS))


def test_show_on_map_moves_the_focus_into_the_popup_and_escape_brings_it_back(live_demo, page):
    open_map(page, live_demo)
    expect(hub_names(page)).to_have_count(ALL_HUBS)
    card = results(page).locator(".hub-card", has_text="Pop School Valenciennes")
    button = card.get_by_role("button", name="Voir sur la carte")
    button.focus()
    page.keyboard.press("Enter")

    popup = page.locator(".leaflet-popup")
    link = popup.get_by_role("link", name="Pop School Valenciennes")
    expect(link).to_be_focused()
    assert_focus_ring(link)
    expect(popup.get_by_role("button", name="Fermer la fenêtre")).to_be_visible()

    page.keyboard.press("Escape")
    expect(popup).to_have_count(0)
    # The list followed the map (zoomed in on the hub): its button has the focus again.
    card = results(page).locator(".hub-card", has_text="Pop School Valenciennes")
    expect(card.get_by_role("button", name="Voir sur la carte")).to_be_focused()


def test_show_on_map_on_a_phone_returns_to_the_list(live_demo, page):
    page.set_viewport_size({"width": 390, "height": 844})
    # The popup's details arrive late, once the map has panned the popup into view.
    page.route("**/api/v1/hubs/*.json", lambda route: (time.sleep(0.6), route.continue_()))
    open_map(page, live_demo)
    page.get_by_role("button", name="Liste", exact=True).click()
    card = results(page).locator(".hub-card", has_text="Louvre-Lens Vallée")
    card.get_by_role("button", name="Voir sur la carte").focus()
    page.keyboard.press("Enter")

    link = page.locator(".leaflet-popup").get_by_role("link", name="Louvre-Lens Vallée")
    expect(link).to_be_focused()
    # The popup's details arrive and it grows: the map keeps the hub in view (on a
    # short phone map it used to pan the hub out, and the list lost its card).
    expect(page.locator(".leaflet-popup .popup__summary")).not_to_be_empty()
    expect(results(page).locator(".hub-card", has_text="Louvre-Lens Vallée")).to_have_count(1)
    assert page.evaluate(
        """() => {
            const map = document.getElementById("map").getBoundingClientRect();
            const pin = [...document.querySelectorAll("#map .leaflet-marker-icon")]
                .find((icon) => icon.getAttribute("aria-label") === "Louvre-Lens Vallée" || icon.title === "Louvre-Lens Vallée")
                .getBoundingClientRect();
            return pin.top >= map.top && pin.bottom <= map.bottom;
        }"""
    )
    page.keyboard.press("Escape")
    expect(results(page)).to_be_visible()
    card = results(page).locator(".hub-card", has_text="Louvre-Lens Vallée")
    expect(card.get_by_role("button", name="Voir sur la carte")).to_be_focused()


def test_markers_are_reached_with_tab_and_open_their_popup(live_demo, page):
    hub = Hub.objects.get(slug="louvre-lens-vallee")
    open_map(page, live_demo, f"/#map=16/{hub.latitude:.5f}/{hub.longitude:.5f}")
    the_map = page.get_by_role("region", name="Carte des lieux")
    marker = the_map.get_by_role("button", name="Louvre-Lens Vallée")
    expect(marker).to_be_visible()

    page.locator("#map").focus()
    tab_until(page, marker, limit=10)
    assert_focus_ring(marker)
    page.keyboard.press("Enter")

    popup = page.locator(".leaflet-popup")
    expect(popup.get_by_role("link", name="Louvre-Lens Vallée")).to_be_focused()
    page.keyboard.press("Escape")
    expect(popup).to_have_count(0)
    expect(marker).to_be_focused()


def test_clusters_are_named_buttons_that_zoom_in(live_demo, page):
    open_map(page, live_demo)
    clusters = page.locator("#map .marker-cluster")
    expect(clusters.first).to_be_visible()
    for index in range(clusters.count()):
        expect(clusters.nth(index)).to_have_attribute("role", "button")
        expect(clusters.nth(index)).to_have_accessible_name(
            re.compile(r"^\d+ lieux, zoomer pour les voir$")
        )
    # The largest cluster, which holds several places: a cluster of hubs sharing
    # one address (three in one building at Maubeuge in the demo) spreads them out
    # on Enter instead of zooming.
    counts = [int(text) for text in clusters.locator("[aria-hidden=true]").all_inner_texts()]
    largest = clusters.nth(counts.index(max(counts)))
    zoom = page.evaluate("() => location.hash")

    largest.focus()
    assert_focus_ring(largest)
    page.keyboard.press("Enter")
    expect(page).not_to_have_url(re.compile(re.escape(zoom) + "$"))
    wait_for_flag(page, "mapReady", "true")


def test_zoom_buttons_have_french_names_and_a_focus_ring(live_demo, page):
    open_map(page, live_demo)
    zoom_in = page.get_by_role("button", name="Zoomer", exact=True)
    zoom_in.focus()
    assert_focus_ring(zoom_in)
    expect(page.get_by_role("button", name="Dézoomer")).to_be_visible()
