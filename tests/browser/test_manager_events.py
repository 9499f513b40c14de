"""A hub's manager proposes an event from their hub's page, on a phone and a desktop:
the form fits the screen, a wrong end date is named at the top, and the draft is
listed on the hub's page. ``SCREENSHOTS=1`` keeps each step."""

import datetime

import pytest
from django.contrib.auth.models import User
from playwright.sync_api import expect

from events.models import Event
from hubs.models import Hub
from managers.models import HubManager

from .test_managers import DESKTOP, PHONE, no_wider_than, shoot

PASSWORD = "une serre pleine de plantes"


@pytest.fixture
def allow_console_errors():
    return [r"status of 400 .*/gestion/lieux/"]  # the wrong dates, sent on purpose


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_a_manager_proposes_an_event(live_demo, new_context, viewport):
    hub = Hub.objects.get(slug="serre-numerique")
    user = User.objects.create_user("lea@example.org", email="lea@example.org", password=PASSWORD)
    HubManager.objects.create(user=user, hub=hub)
    name = "phone" if viewport is PHONE else "desktop"

    page = new_context(viewport=viewport).new_page()
    page.set_default_timeout(10_000)
    page.goto(live_demo.url + "/gestion/connexion/")
    page.get_by_label("Adresse e-mail").fill("lea@example.org")
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.goto(f"{live_demo.url}/gestion/lieux/{hub.slug}/")
    page.get_by_role("link", name="Proposer un événement").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Proposer un événement")

    day = datetime.date.today() + datetime.timedelta(days=12)
    page.get_by_label("Titre").fill("Café numérique")
    page.get_by_label("Type").select_option("atelier")
    page.get_by_label("Début").fill(f"{day:%Y-%m-%d}T14:00")
    page.get_by_label("Fin", exact=True).fill(f"{day:%Y-%m-%d}T12:00")
    page.get_by_role("button", name="Envoyer pour relecture").click()
    expect(page.locator("#form-errors")).to_contain_text("La fin doit être postérieure")
    no_wider_than(page, viewport["width"])
    shoot(page, f"event-error-{name}")

    page.get_by_label("Fin", exact=True).fill(f"{day:%Y-%m-%d}T16:00")
    page.get_by_role("button", name="Envoyer pour relecture").click()
    expect(page.get_by_role("status")).to_contain_text("brouillon")
    expect(page.locator("#events-title + p + ul")).to_contain_text("Café numérique")
    no_wider_than(page, viewport["width"])
    shoot(page, f"event-hub-{name}")
    assert Event.objects.get(title="Café numérique").publication == Event.Publication.DRAFT
