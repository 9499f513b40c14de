"""'Localiser d'après l'adresse' in the admin's point picker, against a local stub.

The live server asks a tiny HTTP server started here (tests/stub_server.py,
``GEOCODER_URL``), never the real Base Adresse Nationale.
"""

import re

import pytest
from playwright.sync_api import expect

from events.models import Event
from hubs.models import Hub
from tests import factories, otp
from tests.browser.second_factor import enter_code
from tests.stub_server import ANY, serve

PASSWORD = "correct horse battery staple"
FOUND = (
    "Position trouvée : 99 Rue Paul Bert 62300 Lens (Base Adresse Nationale). "
    "Déplacez le marqueur pour préciser."
)
FALLBACK = (
    "Adresse introuvable ou service indisponible : position de la commune utilisée. "
    "Déplacez le marqueur sur le bâtiment."
)


@pytest.fixture
def ban_stub(settings):
    """A BAN look-alike on 127.0.0.1; ``ban_stub.answer(ANY, body, status=)``."""
    with serve() as stub:
        stub.answer(ANY, {"message": "stub: no answer set"}, status=503)
        settings.GEOCODER_URL = stub.url("/search/")
        settings.GEOCODER_TIMEOUT = 2
        yield stub


def ban_answer(label, lat, lon, citycode, score=0.87):
    return {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [lon, lat]},
                "properties": {
                    "label": label,
                    "score": score,
                    "citycode": citycode,
                    "postcode": "62300",
                    "city": "Lens",
                    "type": "housenumber",
                },
            }
        ],
    }


@pytest.fixture
def admin_page(live_demo, page):
    device = otp.app_device(factories.superuser("gestion", PASSWORD))
    page.goto(live_demo.url + "/admin/")
    page.get_by_label("Nom d’utilisateur").fill("gestion")
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Connexion").click()
    enter_code(page, device)
    expect(page.get_by_role("heading", name="Back-office des territoires")).to_be_visible()
    return page


def open_hub(page, live_demo, **changes):
    hub = Hub.objects.get(slug="louvre-lens-vallee")
    Hub.objects.filter(pk=hub.pk).update(**changes)
    page.goto(f"{live_demo.url}/admin/hubs/hub/{hub.pk}/change/")
    picker = page.locator(".point-picker")
    expect(picker).to_have_attribute("data-ready", "true")
    return hub, picker


def test_locate_from_the_address_then_drag_the_marker(live_demo, admin_page, ban_stub):
    page = admin_page
    ban_stub.answer(ANY, ban_answer("99 Rue Paul Bert 62300 Lens", 50.4321, 2.8411, "62498"))
    hub, picker = open_hub(page, live_demo, street_address="99 rue Paul Bert")
    latitude, longitude = page.get_by_label("Latitude"), page.get_by_label("Longitude")
    status = picker.get_by_role("status")
    expect(status).to_be_empty()

    # A real button, used here from the keyboard.
    picker.get_by_role("button", name="Localiser d'après l'adresse").focus()
    page.keyboard.press("Enter")

    expect(status).to_have_text(FOUND)
    expect(status).to_have_attribute("aria-live", "polite")
    expect(picker).to_have_attribute("data-located", "ban")
    expect(latitude).to_have_value("50.4321")
    expect(longitude).to_have_value("2.8411")
    assert ban_stub.queries == [
        {
            "q": ["99 rue Paul Bert 62300 Lens"],
            "limit": ["1"],
            "citycode": ["62498"],
            "postcode": ["62300"],
        }
    ]

    # Then drag the marker up and right, with the mouse.
    marker = picker.get_by_role("button", name="Position du lieu")
    expect(marker).to_be_visible()
    box = marker.bounding_box()
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] - 4
    page.mouse.move(x, y)
    page.mouse.down()
    page.mouse.move(x + 90, y - 70, steps=10)
    page.mouse.up()
    expect(latitude).not_to_have_value("50.4321")
    expect(longitude).not_to_have_value("2.8411")
    dragged_lat, dragged_lng = float(latitude.input_value()), float(longitude.input_value())
    assert dragged_lat > 50.4321  # up: north
    assert dragged_lng > 2.8411  # right: east

    page.get_by_role("button", name="Enregistrer", exact=True).click()
    expect(page.locator(".messagelist .success")).to_contain_text("Louvre-Lens Vallée")
    hub.refresh_from_db()
    assert hub.latitude == pytest.approx(dragged_lat, abs=1e-6)
    assert hub.longitude == pytest.approx(dragged_lng, abs=1e-6)


def test_an_unavailable_service_gives_the_commune_point(live_demo, admin_page, ban_stub):
    page = admin_page
    ban_stub.answer(ANY, {"message": "Service Unavailable"}, status=503)
    _hub, picker = open_hub(
        page, live_demo, street_address="99 rue Paul Bert", latitude=50.45, longitude=2.86
    )
    latitude, longitude = page.get_by_label("Latitude"), page.get_by_label("Longitude")
    expect(latitude).to_have_value("50.45")

    picker.get_by_role("button", name="Localiser d'après l'adresse").click()

    expect(picker.get_by_role("status")).to_have_text(FALLBACK)
    expect(picker).to_have_attribute("data-located", "commune")
    expect(latitude).to_have_value("50.42926")  # Lens, from the reference data
    expect(longitude).to_have_value("2.83243")
    assert len(ban_stub.queries) == 1


def test_an_event_at_its_hub_asks_for_a_commune(live_demo, admin_page, ban_stub):
    page = admin_page
    event = Event.objects.filter(hub__isnull=False, commune__isnull=True).first()
    page.goto(f"{live_demo.url}/admin/events/event/{event.pk}/change/")
    picker = page.locator(".point-picker")
    expect(picker).to_have_attribute("data-ready", "true")

    picker.get_by_role("button", name="Localiser d'après l'adresse").click()

    expect(picker.get_by_role("status")).to_have_text(
        re.compile(r"lieu organisateur.*choisissez d'abord une commune")
    )
    expect(page.get_by_label("Latitude")).to_have_value("")
    assert ban_stub.queries == []
