"""One result card (issue 16, item 4): the map page's list, redrawn by its script after
a search, shows the same fields as the server's list (name, kinds, commune, distance,
open-now state, summary)."""

import re

import pytest
from playwright.sync_api import expect

from .test_map import open_map, results
from .test_map_phone import PHONE, choose_valenciennes

FIELDS = [
    ".hub-card__name",
    ".hub-card__meta",
    ".hub-card__place",
    ".hub-card__open",
    ".hub-card__summary",
]


def fields(card) -> dict[str, str]:
    return {
        field: " ".join(card.locator(field).inner_text().split())
        for field in FIELDS
        if card.locator(field).count()
    }


@pytest.mark.parametrize("viewport", [PHONE, {"width": 1280, "height": 800}])
def test_the_first_card_after_choosing_a_place_is_the_lists(live_demo, page, viewport):
    page.set_viewport_size(viewport)
    page.goto(live_demo.url + "/hubs/?place=Valenciennes")
    listed = fields(page.locator(".hub-card").first)
    # All the fields, the commune, distance and open-now state included.
    assert set(listed) == set(FIELDS), listed
    assert re.fullmatch(r"\S.* \(59\) · à [\d,]+\s(k?m)", listed[".hub-card__place"]), listed

    open_map(page, live_demo)
    choose_valenciennes(page)
    first = results(page).locator(".hub-card").first
    expect(first.locator(".hub-card__summary")).to_be_visible()
    assert fields(first) == listed
    # The map's own button besides, which finds the hub among the markers.
    expect(first.get_by_role("button", name="Voir sur la carte")).to_be_visible()


def test_moving_the_map_redraws_server_cards_of_the_view(live_demo, page):
    open_map(page, live_demo, "/#map=12/50.2787/3.97282")  # Maubeuge
    cards = results(page).locator(".hub-card")
    expect(cards).to_have_count(3)
    for card in cards.all():
        assert set(fields(card)) >= {".hub-card__name", ".hub-card__place", ".hub-card__summary"}
        expect(card.locator(".hub-card__place")).to_contain_text("(59)")


def test_the_next_cards_come_a_page_at_a_time(live_demo, page, settings):
    settings.HUBS_PER_PAGE = 5
    open_map(page, live_demo)
    cards = results(page).locator(".hub-card")
    expect(cards).to_have_count(5)
    expect(results(page).get_by_role("status")).to_have_text(
        "13 lieux dans cette zone de la carte ; les 5 premiers sont listés, zoomez pour affiner."
    )
    more = page.get_by_role("button", name="Afficher les lieux suivants")
    more.click()
    expect(cards).to_have_count(10)
    # The keyboard goes on from the first new card.
    expect(cards.nth(5).get_by_role("link")).to_be_focused()
    more.click()
    expect(cards).to_have_count(13)
    expect(more).to_be_hidden()
    names = cards.locator(".hub-card__name").all_inner_texts()
    assert len(set(names)) == 13


RECORD_READY = """
window.__readyFlags = [];
new MutationObserver(() => {
  const value = document.documentElement.dataset.mapReady;
  if (window.__readyFlags.at(-1) !== value) window.__readyFlags.push(value);
}).observe(document, { attributes: true, subtree: true, attributeFilter: ["data-map-ready"] });
"""


def test_the_ready_flag_is_down_while_a_new_search_loads(live_demo, page):
    """data-map-ready says "false" from a filter change until its results are drawn:
    a test (or a script) waiting on it reads the new results, not the old ones."""
    page.add_init_script(RECORD_READY)
    open_map(page, live_demo)
    page.evaluate("window.__readyFlags = []")
    page.get_by_role("group", name="Type de lieu").get_by_role("checkbox", name="Fablab").check()
    expect(page.locator("html[data-map-ready='true']")).to_be_attached()
    expect(results(page).locator(".hub-card")).to_have_count(4)  # the fablabs
    flags = page.evaluate("window.__readyFlags")
    assert flags[:1] == ["false"] and flags[-1] == "true", flags
