"""The admin point picker: place a hub by clicking its map, then save."""

import math
import re

import pytest
from playwright.sync_api import expect

from hubs.models import Hub
from tests import factories, otp
from tests.browser.second_factor import enter_code

PASSWORD = "correct horse battery staple"


def project(lat, lng, zoom):
    """Web Mercator pixel coordinates (Leaflet's EPSG:3857) at ``zoom``."""
    scale = 256 * 2**zoom
    x = (lng + 180) / 360 * scale
    sin = math.sin(math.radians(lat))
    y = (0.5 - math.log((1 + sin) / (1 - sin)) / (4 * math.pi)) * scale
    return x, y


def unproject(x, y, zoom):
    scale = 256 * 2**zoom
    lng = x / scale * 360 - 180
    lat = math.degrees(math.atan(math.sinh(math.pi * (1 - 2 * y / scale))))
    return lat, lng


@pytest.fixture
def admin_page(live_demo, page):
    device = otp.app_device(factories.superuser("gestion", PASSWORD))
    page.goto(live_demo.url + "/admin/")
    expect(page).to_have_url(re.compile(r"/admin/login/"))
    page.get_by_label("Nom d’utilisateur").fill("gestion")
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Connexion").click()
    enter_code(page, device)
    expect(page.get_by_role("heading", name="Back-office des territoires")).to_be_visible()
    return page


def test_place_a_hub_by_clicking_the_point_picker(live_demo, admin_page):
    page = admin_page
    hub = Hub.objects.get(slug="louvre-lens-vallee")
    page.goto(f"{live_demo.url}/admin/hubs/hub/{hub.pk}/change/")

    picker = page.locator(".point-picker")
    expect(picker).to_have_attribute("data-ready", "true")
    the_map = picker.get_by_role("application", name=re.compile("cliquez pour placer le lieu"))
    expect(picker.get_by_role("button", name="Position du lieu")).to_be_visible()

    # The map opens at zoom 15 centred on the hub: the point clicked 150 px
    # right of and 80 px below the centre is known.
    box = the_map.bounding_box()
    dx, dy = 150, 80
    the_map.click(position={"x": box["width"] / 2 + dx, "y": box["height"] / 2 + dy})
    x, y = project(hub.latitude, hub.longitude, 15)
    expected_lat, expected_lng = unproject(x + dx, y + dy, 15)

    latitude, longitude = page.get_by_label("Latitude"), page.get_by_label("Longitude")
    expect(picker).to_have_attribute("data-picked", "true")
    shown_lat, shown_lng = float(latitude.input_value()), float(longitude.input_value())
    assert shown_lat == pytest.approx(expected_lat, abs=1e-4)
    assert shown_lng == pytest.approx(expected_lng, abs=1e-4)

    page.get_by_role("button", name="Enregistrer", exact=True).click()
    expect(page.locator(".messagelist .success")).to_contain_text("Louvre-Lens Vallée")

    hub.refresh_from_db()
    assert hub.latitude == pytest.approx(shown_lat, abs=1e-6)
    assert hub.longitude == pytest.approx(shown_lng, abs=1e-6)
    assert hub.latitude < 50.42926 - 1e-3  # moved south
    assert hub.longitude > 2.83243 + 1e-3  # and east


def test_drag_the_marker_of_the_point_picker(live_demo, admin_page):
    page = admin_page
    hub = Hub.objects.get(slug="ruche-entreprises-maubeuge")
    page.goto(f"{live_demo.url}/admin/hubs/hub/{hub.pk}/change/")
    picker = page.locator(".point-picker")
    expect(picker).to_have_attribute("data-ready", "true")

    marker = picker.get_by_role("button", name="Position du lieu")
    marker.drag_to(
        picker.locator(".point-picker__map"), target_position={"x": 60, "y": 60}, steps=8
    )
    expect(picker).to_have_attribute("data-picked", "true")
    page.get_by_role("button", name="Enregistrer", exact=True).click()
    expect(page.locator(".messagelist .success")).to_be_visible()

    hub.refresh_from_db()
    assert hub.latitude > 50.2787 + 1e-3  # dragged up: north
    assert hub.longitude < 3.97282 - 1e-3  # and left: west


def test_the_add_page_shows_the_map(live_demo, admin_page):
    page = admin_page
    page.goto(live_demo.url + "/admin/hubs/hub/add/")

    picker = page.locator(".point-picker")
    expect(picker).to_have_attribute("data-ready", "true")
    the_map = picker.get_by_role("application", name=re.compile("cliquez pour placer le lieu"))
    expect(the_map).to_be_visible()
    expect(the_map.locator(".leaflet-tile-loaded").first).to_be_visible()
    expect(picker.get_by_role("button", name="Position du lieu")).to_have_count(0)
    expect(page.get_by_label("Latitude")).to_have_value("")

    the_map.click()
    expect(picker.get_by_role("button", name="Position du lieu")).to_be_visible()
    expect(page.get_by_label("Latitude")).to_have_value(re.compile(r"^\d+\.\d+$"))
    expect(page.get_by_label("Longitude")).to_have_value(re.compile(r"^-?\d+\.\d+$"))
