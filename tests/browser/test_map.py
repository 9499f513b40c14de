"""The home map, its filters and its list, as a visitor uses them."""

import re

import pytest
from playwright.sync_api import expect

from .waits import wait_for_flag

FABLABS = [
    "Pop Place — coworking et fab lab",
    "Fablab Côte d'Opale — zone Marcel-Doret",
    "Fablab Côte d'Opale — second site",
    "Campus des métiers du numérique",
]
CALAIS = [
    "Maison du numérique et de l'innovation du Calaisis",
    "Fablab Côte d'Opale — zone Marcel-Doret",
    "Fablab Côte d'Opale — second site",
]
MAUBEUGE = [
    "Agence du numérique du Val de Sambre (projet)",
    "Antenne universitaire de Maubeuge",
    "Ruche d'entreprises de Maubeuge",
]
ALL_HUBS = 13


def open_map(page, live_server, path="/"):
    page.goto(live_server.url + path)
    wait_for_flag(page, "mapReady", "true")
    # Ready means settled: no clusters still being swapped for those of the new zoom
    # level (a cluster focused then would vanish under the keyboard).
    assert page.evaluate("() => !document.querySelector('#map .leaflet-cluster-anim')")


def results(page):
    return page.get_by_role("region", name="Résultats")


def hub_names(page):
    return results(page).locator(".hub-card__name")


def expect_hubs(page, names):
    """Exactly these hubs are listed, in any order (each assertion retries)."""
    expect(hub_names(page)).to_have_count(len(names))
    for name in names:
        expect(hub_names(page).get_by_role("link", name=name, exact=True)).to_be_visible()


def test_home_shows_clustered_markers_and_lists_the_hubs_in_view(live_demo, page):
    open_map(page, live_demo)

    map_region = page.get_by_role("region", name="Carte des lieux")
    expect(map_region.locator(".marker-cluster").first).to_be_visible()
    expect(map_region.locator(".leaflet-marker-icon").first).to_be_visible()
    expect(hub_names(page)).to_have_count(ALL_HUBS)
    expect(results(page).get_by_role("status")).to_have_text(
        f"{ALL_HUBS} lieux dans cette zone de la carte."
    )
    expect(results(page).get_by_role("link", name="Louvre-Lens Vallée")).to_be_visible()


def test_the_list_follows_the_map_view(live_demo, page):
    # Zoomed on Maubeuge, only its hubs are listed.
    open_map(page, live_demo, "/#map=12/50.2787/3.97282")
    expect_hubs(page, MAUBEUGE)
    expect(results(page).get_by_role("status")).to_have_text(
        f"3 lieux dans cette zone de la carte (sur {ALL_HUBS} trouvés)."
    )


def test_filter_on_a_kind_of_place(live_demo, page):
    open_map(page, live_demo)

    kinds = page.get_by_role("group", name="Type de lieu")
    kinds.get_by_role("checkbox", name="Fablab").check()

    expect(page).to_have_url(re.compile(r"\?(.*&)?kind=fablab(&|#|$)"))
    expect(hub_names(page)).to_have_count(len(FABLABS))
    expect_hubs(page, FABLABS)
    for card in results(page).locator(".hub-card").all():
        expect(card.locator(".kind-badge", has_text="Fablab")).to_be_visible()


def test_search_by_words(live_demo, page):
    open_map(page, live_demo)

    search = page.get_by_label("Que cherchez-vous ?")
    search.fill("Calais")
    search.press("Enter")

    expect(page).to_have_url(re.compile(r"\?(.*&)?q=Calais(&|#|$)"))
    expect(hub_names(page)).to_have_count(len(CALAIS))
    expect_hubs(page, CALAIS)


def test_search_around_a_commune_with_the_place_autocomplete(live_demo, page):
    open_map(page, live_demo)

    place = page.get_by_role("combobox", name="Où ?")
    place.press_sequentially("calai")
    suggestions = page.get_by_role("listbox", name="Suggestions de lieux")
    calais = suggestions.get_by_role("option", name=re.compile(r"^Calais \(62100\)"))
    expect(calais).to_be_visible()
    expect(suggestions.get_by_role("option").first).to_have_text(re.compile(r"^Calais \(62100\)"))

    place.press("ArrowDown")
    expect(calais).to_have_attribute("aria-selected", "true")
    expect(place).to_have_attribute("aria-activedescendant", calais.get_attribute("id"))
    place.press("Enter")

    expect(suggestions).to_be_hidden()
    expect(place).to_have_value("Calais (62100)")
    expect(page).to_have_url(re.compile(r"[?&]near=50\.\d+(%2C|,)1\.\d+"))
    expect(hub_names(page)).to_have_count(len(CALAIS))
    expect_hubs(page, CALAIS)
    distances = results(page).locator(".hub-card__distance")
    expect(distances).to_have_count(len(CALAIS))
    for text in distances.all_inner_texts():
        assert re.fullmatch(r"à (moins de 100|\d+(,\d)?)\sk?m", text.strip()), text


def test_open_a_hub_page_from_a_marker_popup(live_demo, page):
    # Zoomed on Lens, the Louvre-Lens Vallée marker stands alone.
    open_map(page, live_demo, "/#map=11/50.42926/2.83243")
    page.get_by_role("button", name="Louvre-Lens Vallée").click()

    popup = page.locator(".leaflet-popup")
    expect(popup.get_by_role("heading", name="Louvre-Lens Vallée")).to_be_visible()
    # The details the compact GeoJSON leaves out arrive when the popup opens.
    expect(popup.locator(".popup__place")).to_contain_text("62300 Lens")
    expect(popup.locator(".popup__summary")).not_to_be_empty()
    popup.get_by_role("link", name="Voir la fiche").click()

    expect(page).to_have_url(re.compile(r"/hubs/louvre-lens-vallee/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Louvre-Lens Vallée")
    expect(page.locator("#hub-map")).to_have_attribute("data-ready", "true")
    expect(page.locator("#hub-map .leaflet-marker-icon")).to_be_visible()


def test_show_on_map_reaches_a_marker_inside_a_cluster(live_demo, page):
    open_map(page, live_demo)
    card = results(page).locator(".hub-card", has_text="Pop School Valenciennes")
    card.get_by_role("button", name="Voir sur la carte").click()

    popup = page.locator(".leaflet-popup")
    expect(popup.get_by_role("heading", name="Pop School Valenciennes")).to_be_visible()
    link = popup.get_by_role("link", name="Voir la fiche")
    link.click()

    expect(page).to_have_url(re.compile(r"/hubs/pop-school-valenciennes/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Pop School Valenciennes")
    expect(page.locator("#hub-map")).to_have_attribute("data-ready", "true")


def test_view_and_filters_are_kept_in_the_url(live_demo, page):
    open_map(page, live_demo, "/?kind=fablab#map=12/50.95300/1.87000")
    expect(page).to_have_url(re.compile(r"#map=12/50\.95300/1\.87000$"))
    expect_hubs(page, [name for name in FABLABS if name in CALAIS])

    page.get_by_role("button", name="Dézoomer").click()
    expect(page).to_have_url(re.compile(r"\?kind=fablab#map=11/50\.95300/1\.87000$"))

    page.reload()
    wait_for_flag(page, "mapReady", "true")
    expect(page).to_have_url(re.compile(r"\?kind=fablab#map=11/50\.95300/1\.87000$"))
    kinds = page.get_by_role("group", name="Type de lieu")
    expect(kinds.get_by_role("checkbox", name="Fablab")).to_be_checked()
    expect(kinds.get_by_role("checkbox", name="Coworking")).not_to_be_checked()
    expect_hubs(page, [name for name in FABLABS if name in CALAIS])
    expect(results(page).get_by_role("status")).to_have_text(
        "2 lieux dans cette zone de la carte (sur 4 trouvés)."
    )


def test_phone_toggles_between_map_and_list(live_demo, page):
    page.set_viewport_size({"width": 390, "height": 844})
    open_map(page, live_demo)

    show_map = page.get_by_role("button", name="Carte", exact=True)
    show_list = page.get_by_role("button", name="Liste", exact=True)
    the_map = page.get_by_role("region", name="Carte des lieux")
    expect(show_map).to_have_attribute("aria-pressed", "true")
    expect(the_map).to_be_visible()
    # The map view has the results under the map (the first one on the first screen).
    expect(results(page)).to_be_visible()

    show_list.click()
    expect(show_list).to_have_attribute("aria-pressed", "true")
    expect(show_map).to_have_attribute("aria-pressed", "false")
    expect(results(page)).to_be_visible()
    expect(hub_names(page)).to_have_count(ALL_HUBS)
    expect(the_map).to_be_hidden()

    show_map.click()
    expect(show_map).to_have_attribute("aria-pressed", "true")
    expect(the_map).to_be_visible()
    expect(the_map.locator(".marker-cluster").first).to_be_visible()


@pytest.mark.parametrize("path", ["/", "/hubs/", "/hubs/louvre-lens-vallee/"])
def test_skip_link_is_first_and_moves_focus_to_main(live_demo, page, path):
    page.goto(live_demo.url + path)
    page.evaluate("window.notReloaded = true")

    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Aller au contenu")
    expect(skip).to_be_focused()
    expect(skip).to_be_in_viewport()
    page.keyboard.press("Enter")

    expect(page.get_by_role("main")).to_be_focused()
    assert page.evaluate("window.notReloaded") is True


def test_without_javascript_the_list_and_the_form_still_work(live_demo, new_context):
    context = new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(live_demo.url + "/")

    # (Playwright's text selectors skip <noscript>, hence the class.)
    expect(page.locator(".map__noscript")).to_contain_text("La carte a besoin de JavaScript")
    expect(page.get_by_role("button", name="Autour de moi")).to_be_hidden()
    expect(hub_names(page)).to_have_count(ALL_HUBS)
    expect(results(page).get_by_role("status")).to_have_text(f"{ALL_HUBS} lieux trouvés")

    page.get_by_label("Où ?").fill("Maubeuge")
    page.get_by_role("button", name="Rechercher").click()

    expect(page).to_have_url(re.compile(r"[?&]place=Maubeuge(&|#|$)"))
    expect_hubs(page, MAUBEUGE)
    expect(results(page).get_by_role("status")).to_have_text(
        re.compile(r"\b3 lieux trouvés — autour de Maubeuge \(59600\)")
    )

    page.goto(live_demo.url + "/?place=Maubeuge&kind=campus")
    expect(page.get_by_role("checkbox", name="Campus numérique")).to_be_checked()
    expect(hub_names(page)).to_have_text(["Antenne universitaire de Maubeuge"])


def test_invalid_criteria_are_explained(live_demo, page, allow_console_errors):
    allow_console_errors.append(r"status of 400 .*bbox=abc\)$")  # the page and its GeoJSON
    page.goto(live_demo.url + "/?bbox=abc")
    wait_for_flag(page, "mapReady", "error")

    alerts = page.get_by_role("alert")
    expect(alerts.filter(has_text="Certains critères ne sont pas valides")).to_be_visible()
    expect(alerts.filter(has_text="Paramètre invalide : bbox.")).to_be_visible()


def test_the_page_preloads_its_geojson_and_downloads_it_once(live_demo, page):
    open_map(page, live_demo, "/?kind=fablab")
    downloads = page.evaluate(
        "performance.getEntriesByType('resource')"
        ".filter((entry) => entry.name.includes('/api/v1/hubs.geojson')).length"
    )
    assert downloads == 1  # the preloaded response is the one map.js reads
    preload = page.locator('link[rel="preload"][as="fetch"]')
    expect(preload).to_have_attribute("href", "/api/v1/hubs.geojson?kind=fablab")
    expect(hub_names(page).first).to_be_visible()
