"""The agenda, an event page and the events layer of the home map, as a visitor uses them."""

import re

from playwright.sync_api import expect

from .waits import wait_for_flag

LENS_MEETUP = "Meetup culture et numérique"


def wait_for(page, flag, value="true"):
    wait_for_flag(page, flag, value)


def open_agenda(page, live_server, path="/events/"):
    page.goto(live_server.url + path)
    wait_for(page, "agendaReady")


def event_titles(page):
    return page.locator(".event-card__title")


def test_switch_the_events_layer_on_and_off(live_demo, page):
    page.goto(live_demo.url + "/")
    wait_for(page, "mapReady")
    wait_for(page, "eventsReady")
    map_region = page.get_by_role("region", name="Carte des lieux")
    events_markers = map_region.locator(".event-pin, .event-cluster")
    expect(events_markers).to_have_count(0)

    toggle = page.get_by_role("button", name="Événements à venir")
    expect(toggle).to_have_attribute("aria-pressed", "false")
    toggle.focus()
    page.keyboard.press("Enter")  # a real button: the keyboard works
    expect(toggle).to_have_attribute("aria-pressed", "true")
    wait_for(page, "eventsLayer", "on")
    wait_for(page, "eventsReady")
    expect(events_markers.first).to_be_visible()
    expect(page).to_have_url(re.compile(r"#map=.*&layers=events$"))
    hub_markers = map_region.locator(".hub-pin, .marker-cluster:not(.event-cluster)")
    expect(hub_markers.first).to_be_visible()  # the hubs stay

    toggle.click()
    expect(toggle).to_have_attribute("aria-pressed", "false")
    expect(events_markers).to_have_count(0)
    expect(page).not_to_have_url(re.compile(r"layers=events"))


def test_the_layer_state_is_in_the_url_and_a_cancelled_event_is_marked(live_demo, page):
    # Zoomed on Lens, where the only upcoming event is a cancelled meetup.
    page.goto(live_demo.url + "/#map=14/50.4320/2.8300&layers=events")
    wait_for(page, "mapReady")
    wait_for(page, "eventsReady")
    toggle = page.get_by_role("button", name="Événements à venir")
    expect(toggle).to_have_attribute("aria-pressed", "true")
    marker = page.locator(".event-pin--cancelled")
    expect(marker).to_have_count(1)
    expect(marker).to_have_attribute(
        "title", re.compile(rf"^{LENS_MEETUP} \(Annulé, \S+ (1er|\d+) ")
    )
    marker.click()
    popup = page.locator(".leaflet-popup")
    expect(popup.locator(".event-status--cancelled")).to_have_text("Annulé")
    expect(popup.locator(".popup__when")).to_have_text(
        # \s: the spaces around « h » are non-breaking.
        re.compile(
            r"^(lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche) (1er|\d+) \S+ 20\d\d, 18\sh\s30 – 20\sh\s30$"
        )
    )
    popup.get_by_role("link", name=LENS_MEETUP).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(LENS_MEETUP)
    expect(page.get_by_role("note").filter(has_text="Annulé.")).to_be_visible()
    expect(page.get_by_text("Cet événement n’aura pas lieu.")).to_be_visible()


def test_filter_the_agenda_by_kind_then_by_territory(live_demo, page):
    open_agenda(page, live_demo)
    expect(event_titles(page).first).to_be_visible()
    kinds = page.get_by_role("group", name="Type d’événement")
    kinds.get_by_role("checkbox", name="Atelier").check()
    expect(page).to_have_url(re.compile(r"\?(.*&)?kind=atelier(&|$)"))
    wait_for(page, "agendaReady")
    for text in event_titles(page).all_inner_texts():
        assert text in {
            "Atelier découverte : l'impression 3D",
            "Open lab du jeudi soir",
            "Le numérique et ses métiers, pour toutes",
        }, text
    expect(page.locator(".event-card__title", has_text="Open lab du jeudi soir")).to_have_count(4)

    place = page.get_by_role("combobox", name=re.compile(r"^Où\s\?$"))  # a thin no-break space
    place.press_sequentially("pas-de-ca")
    option = page.get_by_role("option", name=re.compile(r"^Pas-de-Calais \(62\)"))
    expect(option).to_be_visible()
    option.click()
    expect(page).to_have_url(re.compile(r"territory=dep(%3A|:)62"))
    wait_for(page, "agendaReady")
    expect(page.locator(".results-count")).to_contain_text("dans Pas-de-Calais (62)")
    texts = set(event_titles(page).all_inner_texts())
    assert texts == {"Open lab du jeudi soir", "Le numérique et ses métiers, pour toutes"}
    expect(kinds.get_by_role("checkbox", name="Atelier")).to_be_checked()


def test_open_an_event_page_from_the_agenda(live_demo, page):
    open_agenda(page, live_demo, "/events/?kind=hackathon")
    page.get_by_role("link", name="Game jam de la Serre : 48 heures pour créer un jeu").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Game jam de la Serre : 48 heures pour créer un jeu"
    )
    expect(page.locator(".event__when")).to_have_text(
        re.compile(r"^\s*Du (1er|\d+) \S+( 20\d\d)?, 18\sh, au (1er|\d+) \S+ 20\d\d, 18\sh\s*$")
    )
    expect(page.get_by_role("link", name="Ajouter à mon agenda")).to_have_attribute(
        "href", "/events/demo-serre-numerique-game-jam.ics"
    )
    expect(page.locator("#hub-map")).to_have_attribute("data-ready", "true")
    page.get_by_role("link", name="La Serre numérique").click()
    expect(page.get_by_role("heading", name="Prochains événements")).to_be_visible()


def test_a_cancelled_event_is_visibly_marked_in_the_agenda(live_demo, page):
    open_agenda(page, live_demo, "/events/?territory=62498")
    card = page.locator(".event-card", has_text=LENS_MEETUP)
    expect(card.locator(".event-status")).to_have_text("Annulé")
    expect(card.locator(".event-status")).to_be_visible()
    assert card.evaluate("e => getComputedStyle(e).borderLeftColor") == "rgb(180, 35, 24)"


def test_copy_the_calendar_address_and_see_it_said(live_demo, page):
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_demo.url)
    open_agenda(page, live_demo, "/events/?kind=atelier")
    wait_for(page, "subscribeReady")
    block = page.get_by_role("group", name="S’abonner à cette sélection")
    expect(block.get_by_role("link", name="S’abonner dans mon agenda")).to_have_attribute(
        "href",
        re.compile(r"^webcal://(127\.0\.0\.1|localhost):\d+/api/v1/events\.ics\?kind=atelier$"),
    )
    address = block.get_by_role("textbox", name="Ou copiez l’adresse de l’agenda :")
    expect(address).to_have_value(re.compile(r"^http://.+/api/v1/events\.ics\?kind=atelier$"))
    status = block.get_by_role("status")
    expect(status).to_have_text("")
    block.get_by_role("button", name="Copier l’adresse").click()
    expect(status).to_have_text("Adresse copiée : collez-la dans votre agenda.")
    assert page.evaluate("navigator.clipboard.readText()") == address.input_value()
    expect(block).to_contain_text("Collez cette adresse dans Google Agenda, Outlook ou Calendrier")


def test_without_javascript_the_address_waits_in_a_field_to_select(live_demo, new_context):
    page = new_context(java_script_enabled=False).new_page()
    page.goto(live_demo.url + "/events/month/")
    block = page.get_by_role("group", name="S’abonner à cette sélection")
    expect(block.get_by_role("button", name="Copier l’adresse")).to_be_hidden()
    address = block.get_by_role("textbox", name="Ou copiez l’adresse de l’agenda :")
    expect(address).to_be_visible()
    expect(address).to_have_attribute("readonly", "")
    expect(address).to_have_value(re.compile(r"^http://.+/api/v1/events\.ics$"))


def test_on_a_phone_the_first_events_come_in_the_first_screen(live_demo, page):
    from .test_map_phone import PHONE

    page.set_viewport_size(PHONE)
    open_agenda(page, live_demo, "/events/?kind=atelier&free=1")
    # Everything but « Où ? » under one « Filtres (n) », as on the map.
    toggle = page.locator("#event-filters summary", has_text="Filtres")
    expect(toggle).to_have_text(re.compile(r"Filtres\s*\(2\)"))
    kinds = page.get_by_role("group", name="Type d’événement")
    expect(kinds).to_be_hidden()
    # The subscription's other ways fold under one line.
    block = page.get_by_role("group", name="S’abonner à cette sélection")
    address = block.get_by_role("textbox", name="Ou copiez l’adresse de l’agenda :")
    expect(address).to_be_hidden()
    # The answer in the first screen: the first event's title whole.
    title = event_titles(page).first.bounding_box()
    assert title["y"] + title["height"] <= PHONE["height"], title

    block.get_by_text("Copier l’adresse ou télécharger").click()
    expect(address).to_be_visible()
    toggle.click()
    expect(kinds).to_be_visible()
    kinds.get_by_role("checkbox", name="Atelier").uncheck()  # the page reloads without it
    expect(page).not_to_have_url(re.compile(r"kind=atelier"))
    expect(page.locator("#event-filters summary", has_text="Filtres")).to_have_text(
        re.compile(r"Filtres\s*\(1\)")
    )


def test_on_a_wide_screen_nothing_is_folded(live_demo, page):
    page.set_viewport_size({"width": 1280, "height": 800})
    open_agenda(page, live_demo, "/events/?kind=atelier")
    expect(page.locator("#event-filters summary", has_text="Filtres")).to_be_hidden()
    expect(page.get_by_role("group", name="Type d’événement")).to_be_visible()
    expect(page.get_by_role("searchbox", name="Quoi ?")).to_be_visible()
    block = page.get_by_role("group", name="S’abonner à cette sélection")
    expect(block.get_by_text("Copier l’adresse ou télécharger")).to_be_hidden()
    expect(block.get_by_role("textbox", name="Ou copiez l’adresse de l’agenda :")).to_be_visible()
