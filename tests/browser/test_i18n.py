"""The English site in the browser: the header's switcher, the scripts' strings.

With ``SCREENSHOTS=1`` the English pages are also photographed, at a desktop
and a phone size, into ``$SCREENSHOTS_DIR`` (default ``artifacts/screenshots-en/``).
"""

import os
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from funding import demo as funding_demo
from hubs.models import Hub
from tests import factories, otp
from tests.browser.second_factor import enter_code

from .test_screenshots import VIEWPORTS, settle
from .waits import wait_for_flag


def test_switch_to_english_with_the_keyboard(live_demo, page):
    page.goto(live_demo.url + "/?kind=fablab")
    wait_for_flag(page, "mapReady", "true")
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    switcher = page.get_by_role("button", name="English")
    for _ in range(20):  # skip link, brand, navigation… then the switcher
        page.keyboard.press("Tab")
        if switcher.evaluate("button => button === document.activeElement"):
            break
    expect(switcher).to_be_focused()
    expect(switcher).to_have_attribute("lang", "en")
    page.keyboard.press("Enter")

    expect(page).to_have_url(re.compile(r"/\?kind=fablab$"))  # same page, same filters
    wait_for_flag(page, "mapReady", "true")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", level=1)).to_have_text("Digital hubs near you")
    nav = page.get_by_role("navigation", name="Main navigation")
    expect(nav.get_by_role("link", name="All hubs")).to_be_visible()
    # Strings written by map.js come from the JavaScript catalog.
    results = page.get_by_role("region", name="Results")
    expect(results.get_by_role("status")).to_have_text(
        re.compile(r"^\d+ hubs? in this area of the map\.$")
    )
    # The cards are the server's (/hubs/cards/), in the page's language.
    expect(results.get_by_role("button", name="See on the map").first).to_be_visible()
    expect(page.locator(".leaflet-control-zoom-in")).to_have_attribute("title", "Zoom in")
    expect(page.get_by_role("checkbox", name="Third place")).to_be_attached()

    # And back to French, from any page.
    page.goto(live_demo.url + "/events/")
    page.get_by_role("button", name="Français").click()
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    expect(page).to_have_url(re.compile(r"/events/$"))


ENGLISH_VISITOR = {
    "locale": "en-GB",
    "timezone_id": "Europe/Paris",
    "extra_http_headers": {"Accept-Language": "en-GB,en;q=0.9"},
}


@pytest.mark.browser_context_args(**ENGLISH_VISITOR)
def test_english_dates_on_the_events_layer(live_demo, page):
    page.goto(live_demo.url + "/#map=14/50.4320/2.8300&layers=events")
    wait_for_flag(page, "eventsReady", "true")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    pin = page.locator(".event-pin").first
    expect(pin).to_have_attribute(
        "title",
        re.compile(
            r"\((?:(?:Cancelled|Postponed|Full), )?[A-Z][a-z]+day \d{1,2} [A-Z][a-z]+ 20\d\d\)$"
        ),
    )


def test_the_scripts_count_in_each_languages_rule(live_demo, page, browser):
    """French says « 0 lieu » (the singular for 0 and 1), English « 0 hubs »: the map's
    plurals (static/js/i18n.js), such as the events toggle's title with no event."""
    check = """async () => {
        const { ngettext } = await import("/static/js/i18n.js");
        return [0, 1, 2].map((n) => ngettext("%(count)s lieu", "%(count)s lieux", n));
    }"""
    page.goto(live_demo.url + "/")
    wait_for_flag(page, "mapReady", "true")
    assert page.evaluate(check) == ["%(count)s lieu", "%(count)s lieu", "%(count)s lieux"]
    english = browser.new_page(**ENGLISH_VISITOR)
    english.goto(live_demo.url + "/")
    wait_for_flag(english, "mapReady", "true")
    expect(english.locator("html")).to_have_attribute("lang", "en")
    assert english.evaluate(check) == ["%(count)s lieux", "%(count)s lieu", "%(count)s lieux"]
    english.close()


# ------------------------------------------------------------------ screenshots
@pytest.mark.skipif(
    os.environ.get("SCREENSHOTS") != "1", reason="screenshots are taken only with SCREENSHOTS=1"
)
@pytest.mark.browser_context_args(**ENGLISH_VISITOR)
@pytest.mark.parametrize("size", VIEWPORTS)
def test_english_screenshots(live_demo, page, size, request):
    folder = Path(
        os.environ.get("SCREENSHOTS_DIR")
        or request.config.rootpath / "artifacts" / "screenshots-en"
    )
    folder.mkdir(parents=True, exist_ok=True)
    funding_demo.load()  # the dashboard with figures
    page.set_viewport_size(VIEWPORTS[size])
    base = live_demo.url

    def shoot(name):
        settle(page)
        page.screenshot(path=str(folder / f"{name}-{size}.png"), full_page=True)

    for name, path in [
        ("home", "/"),
        ("list", "/hubs/"),
        ("hub", "/hubs/pop-school-valenciennes/"),
        ("agenda", "/events/"),
        ("event", "/events/demo-serre-numerique-game-jam/"),
        ("funding", "/funding/"),
    ]:
        page.goto(base + path)
        expect(page.locator("html")).to_have_attribute("lang", "en")
        shoot(name)

    page.goto(base + "/")
    settle(page)
    if size == "phone":
        page.get_by_role("button", name="List", exact=True).click()
    else:
        page.get_by_role("region", name="Results").scroll_into_view_if_needed()
    page.screenshot(path=str(folder / f"home-list-{size}.png"))

    password = "correct horse battery staple"
    device = otp.app_device(factories.superuser("gestion", password))
    page.goto(base + "/admin/login/")
    page.get_by_label("Username").fill("gestion")
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    enter_code(page, device)
    expect(page).to_have_url(re.compile(r"/admin/$"))
    shoot("admin-home")
    hub = Hub.objects.get(slug="pop-school-valenciennes")
    page.goto(f"{base}/admin/hubs/hub/{hub.pk}/change/")
    shoot("admin-hub-change")
