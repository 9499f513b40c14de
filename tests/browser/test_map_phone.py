"""The map page on a phone (390 × 844): the first screen after choosing a place."""

import re

from playwright.sync_api import expect

from .test_map import open_map, results
from .waits import wait_for_flag

PHONE = {"width": 390, "height": 844}


def in_viewport(page, locator) -> bool:
    """At least a useful part (40 px) of the element is on the first screen."""
    box = locator.bounding_box()
    assert box is not None, f"{locator} is not rendered"
    viewport = page.viewport_size
    visible_height = min(box["y"] + box["height"], viewport["height"]) - max(box["y"], 0)
    visible_width = min(box["x"] + box["width"], viewport["width"]) - max(box["x"], 0)
    return visible_height >= 40 and visible_width >= 40


def choose_valenciennes(page):
    place = page.get_by_role("combobox", name="Où ?")
    place.press_sequentially("valenc")
    option = page.get_by_role("listbox", name="Suggestions de lieux").get_by_role(
        "option", name=re.compile(r"^Valenciennes \(59300\)")
    )
    option.click()
    expect(page).to_have_url(re.compile(r"[?&]near=50\.\d+(%2C|,)3\.\d+"))
    wait_for_flag(page, "mapReady", "true")
    # The list drawn for the new view, once the map has stopped moving.
    expect(results(page).locator(".hub-card").first.locator(".hub-card__distance")).to_be_visible()
    for busy in ("#map .leaflet-zoom-anim", "#map .leaflet-cluster-anim"):
        expect(page.locator(busy)).to_have_count(0)


def test_choosing_a_place_on_a_phone_shows_the_map_and_the_first_result(live_demo, page):
    page.set_viewport_size(PHONE)
    open_map(page, live_demo)
    choose_valenciennes(page)

    # Scrolled back to the top, as the visitor sees the page after choosing.
    page.evaluate("window.scrollTo(0, 0)")
    the_map = page.get_by_role("region", name="Carte des lieux")
    first = results(page).locator(".hub-card").first
    expect(first).to_be_visible()
    assert in_viewport(page, the_map), the_map.bounding_box()
    assert in_viewport(page, first), first.bounding_box()
    # The place field stays at the top, with what was chosen.
    expect(page.get_by_role("combobox", name="Où ?")).to_have_value(re.compile("^Valenciennes"))
    assert in_viewport(page, page.get_by_role("combobox", name="Où ?"))


def test_phone_filters_fold_into_one_control_that_counts_them(live_demo, page):
    page.set_viewport_size(PHONE)
    open_map(page, live_demo, "/?kind=fablab&kind=coworking")
    toggle = page.locator("#hub-filters summary", has_text="Filtres")
    expect(toggle).to_have_text(re.compile(r"Filtres\s*\(2\)"))
    kinds = page.get_by_role("group", name="Type de lieu")
    expect(kinds).to_be_hidden()

    toggle.click()
    expect(kinds).to_be_visible()
    kinds.get_by_role("checkbox", name="Fablab").uncheck()
    expect(page).not_to_have_url(re.compile(r"kind=fablab"))
    expect(toggle).to_have_text(re.compile(r"Filtres\s*\(1\)"))


def test_phone_kind_chips_wrap_inside_the_screen(live_demo, page):
    page.set_viewport_size(PHONE)
    open_map(page, live_demo)
    page.locator("#hub-filters summary", has_text="Filtres").click()
    chips = page.get_by_role("group", name="Type de lieu").locator(".chip")
    expect(chips.first).to_be_visible()
    for index in range(chips.count()):
        box = chips.nth(index).bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"], box


def test_embed_code_is_in_a_share_dialog(live_demo, page):
    page.set_viewport_size(PHONE)
    open_map(page, live_demo, "/?kind=fablab")
    snippet = page.get_by_role("textbox", name="Code d’intégration")
    expect(snippet).to_be_hidden()
    page.get_by_role("button", name="Partager").click()
    dialog = page.get_by_role("dialog", name="Partager cette carte")
    expect(dialog).to_be_visible()
    expect(snippet).to_be_visible()
    expect(snippet).to_have_value(re.compile(r"/embed/\?kind=fablab"))
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()
    expect(page.get_by_role("button", name="Partager")).to_be_focused()


def test_desktop_shows_every_filter_without_a_fold(live_demo, page):
    page.set_viewport_size({"width": 1280, "height": 800})
    open_map(page, live_demo)
    expect(page.locator("#hub-filters summary", has_text="Filtres")).to_be_hidden()
    expect(page.get_by_role("group", name="Type de lieu")).to_be_visible()
    expect(page.get_by_role("searchbox", name="Que cherchez-vous ?")).to_be_visible()


def test_the_list_page_opens_its_fold_on_a_wide_screen_and_keeps_it_on_a_phone(live_demo, page):
    # Opened by its script too, for browsers that cannot show a closed fold's content.
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(live_demo.url + "/hubs/?kind=fablab")
    expect(page.locator("#filters-fold")).to_have_attribute("open", "")
    expect(page.get_by_role("group", name="Type de lieu")).to_be_visible()
    page.set_viewport_size(PHONE)
    page.goto(live_demo.url + "/hubs/?kind=fablab")
    expect(page.locator("#hub-filters summary", has_text="Filtres")).to_have_text(
        re.compile(r"Filtres\s*\(1\)")
    )
    expect(page.get_by_role("group", name="Type de lieu")).to_be_hidden()
