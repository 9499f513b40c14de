"""Who may write, seen in the browser: an elected official reads, an editor corrects.

- The viewer (an elected official) opens an older version of a financing line:
  the fields are read-only, there is no button to restore it, and the list offers
  no action that writes (issue 14).
- The editor places a hub in Sydney by mistake: the form says how far it is from
  its commune and keeps the hub where it was; restoring an older version of an
  event of their territory works.

With ``SCREENSHOTS=1`` each step is kept in ``artifacts/screenshots/``.
"""

import os
import re
from decimal import Decimal

from playwright.sync_api import expect

from backoffice.roles import EDITOR, VIEWER
from events.models import Event
from funding.models import FinancingLine, FundedOperation, Funder
from hubs.models import Hub
from tests import factories

PASSWORD = "sambre et meuse 2026"


def snap(request, page, name):
    if os.environ.get("SCREENSHOTS") != "1":
        return
    folder = request.config.rootpath / "artifacts" / "screenshots"
    folder.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(folder / f"admin-{name}.png"), full_page=True, animations="disabled")


def log_in(page, live_demo, role, username, **territories):
    user = factories.staff(role, username, **territories)
    user.set_password(PASSWORD)
    user.save()
    page.goto(live_demo.url + "/admin/")
    page.get_by_label("Nom d’utilisateur").fill(username)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Connexion").click()
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    return user


def test_an_elected_official_reads_the_history_and_can_change_nothing(live_demo, page, request):
    hub = Hub.objects.get(slug="serre-numerique")
    funder = Funder.objects.get_or_create(
        slug="region-hauts-de-france",
        defaults={"name": "Région Hauts-de-France", "category": "region"},
    )[0]
    operation = FundedOperation.objects.create(
        hub=hub, title="Animation du fablab 2019", purpose="animation", total_cost=Decimal(80000)
    )
    line = FinancingLine.objects.create(
        operation=operation, funder=funder, amount=Decimal(40000), status="requested"
    )
    line.status = "granted"
    line.save()
    line.status = "requested"  # the grant was withdrawn
    line.save()

    log_in(page, live_demo, VIEWER, "elue-valenciennes")
    page.goto(f"{live_demo.url}/admin/funding/financingline/{line.pk}/history/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Historique")
    page.locator("#change-history tbody tr").nth(1).get_by_role("link").first.click()
    expect(page.locator("#content")).to_contain_text(re.compile("accordé", re.IGNORECASE))
    snap(request, page, "viewer-history-version")
    expect(
        page.get_by_role("button", name=re.compile("Rétablir|Revert|Enregistrer"))
    ).to_have_count(0)
    expect(page.locator("input[name='amount']")).to_have_count(0)  # read-only, not a form
    snap(request, page, "viewer-history-version")

    page.goto(f"{live_demo.url}/admin/events/event/")
    expect(page.locator("#result_list")).to_be_visible()
    expect(page.locator("select[name='action']")).to_have_count(0)  # no action: all of them write
    snap(request, page, "viewer-events-list")
    line.refresh_from_db()
    assert line.status == "requested"
    assert Event.objects.filter(publication="draft", title__startswith="Atelier").count() == 0


def test_an_editor_cannot_place_a_hub_in_sydney_and_restores_an_event(live_demo, page, request):
    hub = Hub.objects.get(slug="serre-numerique")
    before = (hub.latitude, hub.longitude)
    log_in(page, live_demo, EDITOR, "agent-valenciennes", epci=[hub.commune.epci_id])

    page.goto(f"{live_demo.url}/admin/hubs/hub/{hub.pk}/change/")
    expect(page.locator(".point-picker")).to_have_attribute("data-ready", "true")
    page.get_by_label("Latitude").fill("-33.87")
    page.get_by_label("Longitude").fill("151.21")
    page.get_by_role("button", name="Enregistrer", exact=True).click()
    error = page.locator(".errorlist").filter(has_text="km de")
    expect(error).to_contain_text(f"km de {hub.commune.name}")
    expect(error).to_be_visible()
    error.scroll_into_view_if_needed()
    snap(request, page, "editor-hub-in-sydney")
    hub.refresh_from_db()
    assert (hub.latitude, hub.longitude) == before

    event = (
        Event.objects.filter(hub=hub).first()
        or Event.objects.filter(hub__commune__epci_id=hub.commune.epci_id).first()
    )
    old_title = event.title
    event.title = "Titre saisi par erreur"
    event.save()
    page.goto(f"{live_demo.url}/admin/events/event/{event.pk}/history/")
    page.locator("#change-history a").last.click()
    expect(page.get_by_label("Titre :")).to_have_value(old_title)
    snap(request, page, "editor-event-version")
    page.get_by_role("button", name=re.compile("Rétablir|Revert")).first.click()
    expect(page.locator(".messagelist .success")).to_be_visible()
    event.refresh_from_db()
    assert event.title == old_title
    assert event.history.latest().history_user.username == "agent-valenciennes"
