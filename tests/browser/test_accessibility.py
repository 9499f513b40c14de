"""axe-core on every public page, at a desktop and a phone width: 0 serious or critical violations.

axe (vendored in ``static/vendor/axe-core/``) is added to each page from its
same-origin static URL, as the Content-Security-Policy (``script-src 'self'``)
allows; no template loads it. One browser context per width visits all the
pages in turn. What axe cannot judge (keyboard use of the map, focus moves) is
tested in ``test_keyboard.py``.
"""

import os

import pytest
from django.templatetags.static import static
from django.utils import timezone
from playwright.sync_api import expect

from events.models import Event
from funding import demo as funding_demo
from hubs.models import Hub
from tests import factories

from .waits import wait_for_flag

AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
BLOCKING = {"serious", "critical"}
WIDTHS = {"desktop": {"width": 1280, "height": 800}, "phone": {"width": 390, "height": 844}}


def public_pages() -> list[tuple[str, str, str | None]]:
    """(name, path, the <html> flag to wait for) of every kind of public page."""
    hub = Hub.objects.published().order_by("name").first()
    event = Event.objects.published().filter(hub__isnull=False).order_by("start").first()
    today = timezone.localdate()
    return [
        ("home map", "/", "mapReady"),
        ("map filtered", "/?kind=fablab&kind=coworking", "mapReady"),
        ("map near a place", "/?near=50.3570,3.5230&radius_km=20", "mapReady"),
        ("hub list", "/hubs/", None),
        ("hub list filtered", "/hubs/?kind=fablab&equipment=imprimante-3d", None),
        ("hub list, page 2", "/hubs/?page=2", None),
        ("hub page", f"/hubs/{hub.slug}/", None),
        ("agenda", "/events/", None),
        ("agenda, past", "/events/?when=past", None),
        ("month view", f"/events/month/{today.year}/{today.month}/", None),
        ("event page", f"/events/{event.slug}/", None),
        ("funding dashboard", "/funding/", "chartsReady"),
        ("funding filtered", "/funding/?territory=dep%3A59", "chartsReady"),
        ("embed", "/embed/", "mapReady"),
        ("accessibility statement", "/accessibilite/", None),
        ("site map", "/plan-du-site/", None),
        ("404 page", "/hubs/there-is-no-such-place/", None),
        ("admin login", "/admin/login/", None),
    ]


def settle(page):
    """Leaflet's and MarkerCluster's animations over: half-faded markers fail the contrast rule."""
    for busy in (".leaflet-zoom-anim", ".leaflet-cluster-anim"):
        expect(page.locator(busy)).to_have_count(0)


def run_axe(page, live_server) -> list[dict]:
    page.add_script_tag(url=live_server.url + static("vendor/axe-core/axe.min.js"))
    return page.evaluate(
        """async (tags) => {
            const results = await axe.run(document, {
                runOnly: { type: "tag", values: tags },
                resultTypes: ["violations"],
            });
            return results.violations.map((v) => ({
                id: v.id,
                impact: v.impact,
                help: v.help,
                targets: v.nodes.map((n) => n.target.join(" ")),
                summary: v.nodes.length ? v.nodes[0].failureSummary : "",
            }));
        }""",
        AXE_TAGS,
    )


def report(found: dict[str, list[dict]]) -> str:
    lines = []
    for name, violations in found.items():
        for v in violations:
            targets = ", ".join(v["targets"][:5]) + (" …" if len(v["targets"]) > 5 else "")
            lines.append(f"- {name}: [{v['impact']}] {v['id']}: {v['help']} → {targets}")
    return "\n".join(lines)


@pytest.fixture
def allow_console_errors():
    return [r"status of 404 .*/hubs/there-is-no-such-place/"]


@pytest.fixture
def live_site(live_demo):
    funding_demo.load()
    # A second page of results on /hubs/ (the demo has fewer hubs than a page holds).
    for number in range(25):
        factories.hub(name=f"Lieu de test {number:02d}", slug=f"lieu-de-test-{number:02d}")
    return live_demo


@pytest.mark.parametrize("width", WIDTHS)
def test_no_serious_or_critical_axe_violation_on_public_pages(live_site, new_context, width):
    # Reduced motion: no transition left half-way when axe measures the colours.
    context = new_context(viewport=WIDTHS[width], reduced_motion="reduce")
    page = context.new_page()
    page.set_default_timeout(10_000)
    found = {}
    for name, path, flag in public_pages():
        response = page.goto(live_site.url + path)
        expected = 404 if name == "404 page" else 200
        assert response.status == expected, (name, response.status)
        if flag:
            wait_for_flag(page, flag, "true")
            settle(page)
        violations = run_axe(page, live_site)
        # AXE_ALL_IMPACTS=1: the moderate and minor ones too, to review them.
        if os.environ.get("AXE_ALL_IMPACTS") != "1":
            violations = [v for v in violations if v["impact"] in BLOCKING]
        found[name] = violations
    found = {name: violations for name, violations in found.items() if violations}
    assert not found, f"axe-core violations at {width} width:\n" + report(found)
