"""Full-page screenshots for a human review (``SCREENSHOTS=1``).

They land in ``artifacts/screenshots/`` (git-ignored): every page at a desktop
and a phone size, taken once the page's maps say they are ready.
"""

import os
import re

import pytest
from playwright.sync_api import expect

from hubs.models import Hub
from tests import factories, otp
from tests.browser.second_factor import enter_code

from .waits import wait_for_flag

pytestmark = pytest.mark.skipif(
    os.environ.get("SCREENSHOTS") != "1", reason="screenshots are taken only with SCREENSHOTS=1"
)

VIEWPORTS = {
    "desktop": {"width": 1280, "height": 800},
    "phone": {"width": 390, "height": 844},
}
PASSWORD = "correct horse battery staple"


def settle(page):
    """Wait for what the page draws late: maps, tiles, web fonts, animations."""
    if page.locator("#map").count():
        wait_for_flag(page, "mapReady", None)
    if page.locator("#hub-map").count():
        expect(page.locator("#hub-map")).to_have_attribute("data-ready", "true")
    if page.locator(".point-picker").count():
        expect(page.locator(".point-picker")).to_have_attribute("data-ready", "true")
    for busy in (
        ".leaflet-zoom-anim",
        ".leaflet-cluster-anim",
        ".leaflet-tile:not(.leaflet-tile-loaded)",
    ):
        expect(page.locator(busy)).to_have_count(0)
    page.evaluate("document.fonts.ready.then(() => true)")


def shoot(page, folder, name):
    settle(page)
    page.screenshot(path=str(folder / f"{name}.png"), full_page=True, animations="disabled")


@pytest.fixture
def folder(request):
    path = request.config.rootpath / "artifacts" / "screenshots"
    path.mkdir(parents=True, exist_ok=True)
    return path


@pytest.mark.parametrize("size", VIEWPORTS)
def test_screenshots(live_demo, page, folder, size, allow_console_errors):
    # The error state is a 400 response, which Chromium logs.
    allow_console_errors.append(r"status of 400 .*/hubs/\?bbox=abc\)$")
    page.set_viewport_size(VIEWPORTS[size])
    base = live_demo.url

    for name, path in [
        ("home", "/"),
        ("list", "/hubs/"),
        ("hub", "/hubs/pop-school-valenciennes/"),
        ("list-error", "/hubs/?bbox=abc"),
        ("home-fablab", "/?kind=fablab"),
    ]:
        page.goto(base + path)
        shoot(page, folder, f"{name}-{size}")

    # The home's result list: below the form in the panel (desktop), or
    # behind the "Liste" toggle (phone).
    page.goto(base + "/")
    settle(page)
    if size == "phone":
        page.get_by_role("button", name="Liste", exact=True).click()
        page.screenshot(path=str(folder / f"home-list-{size}.png"), full_page=True)
    else:
        page.get_by_role("region", name="Résultats").scroll_into_view_if_needed()
        page.screenshot(path=str(folder / f"home-list-{size}.png"))

    # Focus: the skip link, then a kind chip reached with the keyboard.
    page.goto(base + "/")
    settle(page)
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Aller au contenu")).to_be_focused()
    page.screenshot(path=str(folder / f"focus-skip-link-{size}.png"))
    page.get_by_role("checkbox", name="Coworking").focus()
    page.keyboard.press("Shift+Tab")
    expect(page.get_by_role("checkbox", name="Fablab")).to_be_focused()
    page.screenshot(path=str(folder / f"focus-chip-{size}.png"))

    # The autocomplete, open.
    page.get_by_role("combobox", name="Où ?").press_sequentially("calai")
    expect(page.get_by_role("option").first).to_be_visible()
    page.keyboard.press("ArrowDown")
    page.screenshot(path=str(folder / f"place-suggestions-{size}.png"))

    device = otp.app_device(factories.superuser("gestion", PASSWORD))
    page.goto(base + "/admin/login/")
    page.get_by_label("Nom d’utilisateur").fill("gestion")
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Connexion").click()
    enter_code(page, device)
    expect(page).to_have_url(re.compile(r"/admin/$"))
    hub = Hub.objects.get(slug="pop-school-valenciennes")
    page.goto(f"{base}/admin/hubs/hub/{hub.pk}/change/")
    shoot(page, folder, f"admin-hub-change-{size}")


@pytest.mark.parametrize("size", VIEWPORTS)
def test_event_screenshots(live_demo, page, folder, size):
    """The agenda, the month view, event pages and the home map with its events layer."""
    from django.utils import timezone

    page.set_viewport_size(VIEWPORTS[size])
    base = live_demo.url
    today = timezone.localdate()
    for name, path in [
        ("agenda", "/events/"),
        ("agenda-past", "/events/?when=past"),
        ("agenda-month", f"/events/month/{today.year}/{today.month}/"),
        ("event", "/events/demo-serre-numerique-game-jam/"),
        ("event-cancelled", "/events/demo-louvre-lens-vallee-meetup-culture-numerique/"),
        ("hub-with-events", "/hubs/fablab-cote-opale-marcel-doret/"),
    ]:
        page.goto(base + path)
        shoot(page, folder, f"{name}-{size}")

    page.goto(base + "/#layers=events")
    wait_for_flag(page, "eventsReady", "true")
    expect(page.locator(".event-pin, .event-cluster").first).to_be_visible()
    shoot(page, folder, f"home-events-{size}")
    page.goto(base + "/#map=14/50.4320/2.8300&layers=events")
    page.reload()  # only the hash changed: goto alone would not reload the page
    wait_for_flag(page, "eventsReady", "true")
    page.locator(".event-pin").first.click()
    expect(page.locator(".leaflet-popup")).to_be_visible()
    page.screenshot(path=str(folder / f"home-events-popup-{size}.png"), animations="disabled")
