"""« S'abonner »: a ``webcal://`` link whose feed parses, an address to copy, a one-time download."""

import re
from html import unescape
from urllib.parse import urlsplit

import icalendar
import pytest

from events.ical import event_uid
from events.templatetags.event_tags import webcal_url
from tests import factories

pytestmark = pytest.mark.django_db

WEBCAL_LINK = re.compile(r'<a class="button button--secondary" href="(webcal://[^"]+)">')
ADDRESS = re.compile(r'<input type="url" class="subscribe__address" id="([\w-]+)" value="([^"]+)"')
HELP = (
    "Collez cette adresse dans Google Agenda, Outlook ou Calendrier (Apple) : "
    "votre agenda se mettra à jour tout seul."
)


def subscription(content: str) -> dict:
    """The subscription block of a page: its webcal link, address, button and download."""
    block = content[content.index('<div class="subscribe"') :]
    block = block[: block.index("</div>\n<script")]
    webcal = WEBCAL_LINK.search(block)
    address = ADDRESS.search(block)
    assert webcal and address, block
    download = re.search(r'<a href="([^"]+)" type="text/calendar" download>([^<]+)</a>', block)
    return {
        "block": block,
        "webcal": unescape(webcal.group(1)),
        "address_id": address.group(1),
        "address": unescape(address.group(2)),
        "download": unescape(download.group(1)) if download else None,
        "download_label": download.group(2) if download else None,
    }


def fetch_webcal(client, url: str, **extra):
    """What a calendar app does with ``webcal://``: fetch it over http(s)."""
    assert url.startswith("webcal://")
    parts = urlsplit("http://" + url.removeprefix("webcal://"))
    assert parts.netloc == "testserver"
    response = client.get(f"{parts.path}?{parts.query}" if parts.query else parts.path, **extra)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return icalendar.Calendar.from_ical(response.content)


def uids(calendar) -> set[str]:
    return {str(component["UID"]) for component in calendar.walk("VEVENT")}


@pytest.fixture
def selection(db):
    """Two workshops and a forum to come, and a workshop at another hub."""
    hub = factories.hub(name="Pop Place", slug="pop-place")
    other = factories.hub(name="Serre numérique", slug="serre")
    return {
        "workshop": factories.event("Atelier 3D", hub=hub),
        "workshop_2": factories.event("Atelier soudure", hub=hub, hours=3),
        "forum": factories.event("Forum", hub=hub, kind="forum"),
        "elsewhere": factories.event("Atelier ailleurs", hub=other),
    }


def test_webcal_link_of_the_agenda_names_a_feed_of_the_selection_that_parses(client, selection):
    content = client.get("/events/", {"kind": "atelier", "hub": "pop-place"}).content.decode()
    block = subscription(content)
    assert block["webcal"] == "webcal://testserver/api/v1/events.ics?kind=atelier&hub=pop-place"
    calendar = fetch_webcal(client, block["webcal"])
    assert uids(calendar) == {
        event_uid(selection["workshop"]),
        event_uid(selection["workshop_2"]),
    }
    # The address to paste is the same feed over http(s); the download is the same feed too.
    assert block["address"] == "http://testserver/api/v1/events.ics?kind=atelier&hub=pop-place"
    assert block["download"] == "/api/v1/events.ics?kind=atelier&hub=pop-place"
    assert block["download_label"] == "Télécharger une seule fois (.ics, sans mise à jour)"


def test_the_month_view_subscribes_to_its_selection_too(client, selection):
    content = client.get("/events/month/2026/11/", {"kind": "forum"}).content.decode()
    calendar = fetch_webcal(client, subscription(content)["webcal"])
    assert uids(calendar) == {event_uid(selection["forum"])}


def test_behind_https_the_address_is_https_and_the_link_still_webcal(client, selection):
    content = client.get("/events/", secure=True).content.decode()
    block = subscription(content)
    assert block["address"] == "https://testserver/api/v1/events.ics"
    assert block["webcal"] == "webcal://testserver/api/v1/events.ics"
    assert len(uids(fetch_webcal(client, block["webcal"], secure=True))) == 4


def test_copy_button_help_and_live_region_without_javascript_a_readonly_address(client, selection):
    content = client.get("/events/").content.decode()
    block = subscription(content)["block"]
    # The button waits for its script (hidden without JavaScript), which says the
    # result in the live region; the address is in a read-only field to select.
    assert re.search(
        r'<button type="button" class="button button--small" '
        r'data-copy-target="agenda-subscribe-address" '
        r'data-copy-status="agenda-subscribe-status" hidden>Copier l’adresse</button>',
        block,
    )
    assert re.search(r'<input [^>]*id="agenda-subscribe-address"[^>]* readonly', block)
    assert '<label for="agenda-subscribe-address">' in block
    assert (
        '<p class="subscribe__status" id="agenda-subscribe-status" role="status" '
        'aria-live="polite"></p>' in block
    )
    assert f'<p class="help" id="agenda-subscribe-help">{HELP}</p>' in block
    assert '<script type="module" src="/static/js/subscribe.js"></script>' in content


def test_hub_page_and_event_page_subscribe_to_the_hub_feed(client, selection):
    hub = selection["workshop"].hub
    for url in (hub.get_absolute_url(), selection["workshop"].get_absolute_url()):
        content = client.get(url).content.decode()
        block = subscription(content)
        assert block["webcal"] == "webcal://testserver/hubs/pop-place/events.ics", url
        assert "S’abonner à l’agenda de ce lieu" in block["block"]
        calendar = fetch_webcal(client, block["webcal"])
        assert event_uid(selection["elsewhere"]) not in uids(calendar)
        assert event_uid(selection["forum"]) in uids(calendar)


def test_webcal_url_replaces_only_the_scheme():
    assert (
        webcal_url("https://example.org/a.ics?x=https://b")
        == "webcal://example.org/a.ics?x=https://b"
    )
    assert webcal_url("http://[::1]:8000/a.ics") == "webcal://[::1]:8000/a.ics"
