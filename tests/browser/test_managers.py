"""A hub's manager, end to end: an editor invites them from the hub's page, the
manager opens the e-mailed link on a phone, sets a password, changes the hours and
adds a photo; the editor reads the diff and accepts; the public page shows the
change. A change the editor rejects never reaches the public page.

With ``SCREENSHOTS=1`` each step is kept in ``$SCREENSHOTS_DIR`` (default
``artifacts/screenshots/``).
"""

import io
import os
import re
from pathlib import Path

import pytest
from django.core import mail
from PIL import Image
from playwright.sync_api import expect

from backoffice.roles import EDITOR
from hubs.models import Hub
from managers.models import ChangeRequest
from tests import factories

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 800}
EDITOR_PASSWORD = "escaut et rhonelle 2026"
MANAGER_PASSWORD = "une serre pleine de plantes"


def shoot(page, name):
    if os.environ.get("SCREENSHOTS") != "1":
        return
    folder = Path(os.environ.get("SCREENSHOTS_DIR") or "artifacts/screenshots")
    folder.mkdir(parents=True, exist_ok=True)
    page.screenshot(
        path=str(folder / f"managers-{name}.png"), full_page=True, animations="disabled"
    )


def no_wider_than(page, width):
    wide = page.evaluate(
        """() => [...document.querySelectorAll('body *')]
            .filter((e) => e.getBoundingClientRect().right > window.innerWidth + 1)
            .map((e) => e.tagName + '.' + e.className + '#' + e.id + ' '
                 + Math.round(e.getBoundingClientRect().right))
            .slice(0, 10)"""
    )
    assert page.evaluate("document.documentElement.scrollWidth") <= width, wide


@pytest.fixture
def allow_console_errors():
    return [r"status of 400 .*/gestion/lieux/"]  # the wrong hours, sent on purpose


@pytest.fixture
def photo_file(tmp_path):
    path = tmp_path / "atelier.jpg"
    image = Image.new("RGB", (1200, 800), (40, 110, 170))
    for x in range(0, 1200, 100):
        image.paste((230, 200, 60), (x, 300, x + 50, 500))
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=90)
    path.write_bytes(buffer.getvalue())
    return path


@pytest.fixture
def editor(live_demo):
    user = factories.staff(EDITOR, "agent-valenciennes", epci=["245901160"])
    user.email = "agent@example.org"
    user.set_password(EDITOR_PASSWORD)
    user.save()
    return user


def editor_page(new_context, live_server):
    page = new_context(viewport=DESKTOP).new_page()
    page.set_default_timeout(10_000)
    page.goto(live_server.url + "/admin/")
    page.get_by_label("Nom d’utilisateur").fill("agent-valenciennes")
    page.get_by_label("Mot de passe").fill(EDITOR_PASSWORD)
    page.get_by_role("button", name="Connexion").click()
    expect(page.get_by_role("link", name="Mon compte").first).to_be_visible()
    return page


def test_an_invited_manager_edits_hours_and_a_photo_the_editor_accepts_or_rejects(
    live_demo, editor, new_context, photo_file, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path / "media"
    hub = Hub.objects.get(slug="serre-numerique")
    public_url = live_demo.url + hub.get_absolute_url()

    # The editor invites the manager from the hub's page.
    staff = editor_page(new_context, live_demo)
    staff.goto(f"{live_demo.url}/admin/hubs/hub/{hub.pk}/change/")
    staff.get_by_role("link", name="Inviter un gestionnaire").click()
    staff.get_by_label("E-mail du gestionnaire").fill("lea@example.org")
    shoot(staff, "1-invite-desktop")
    staff.get_by_role("button", name="Enregistrer", exact=True).click()
    expect(staff.locator(".messagelist")).to_contain_text("Invitation envoyée à lea@example.org")

    # The link, read from the outbox.
    [message] = [m for m in mail.outbox if m.to == ["lea@example.org"]]
    link = re.search(r"https?://\S+/gestion/invitation/\S+/", message.body).group(0)
    path = "/gestion/" + link.split("/gestion/", 1)[1]

    # The manager, on a phone: sets a password, lands on the hub's form.
    phone = new_context(viewport=PHONE).new_page()
    phone.set_default_timeout(10_000)
    phone.goto(live_demo.url + path)
    expect(phone.get_by_role("heading", level=1)).to_contain_text("Serre numérique")
    shoot(phone, "2-invitation-phone")
    phone.get_by_label("Choisissez un mot de passe").fill(MANAGER_PASSWORD)
    phone.get_by_label("Le même, une seconde fois").fill(MANAGER_PASSWORD)
    phone.get_by_role("button", name="Créer mon compte").click()
    expect(phone.get_by_role("status")).to_contain_text("Votre compte est créé")
    no_wider_than(phone, PHONE["width"])

    # Wrong hours first: the form says so at the field.
    hours = phone.get_by_label("Horaires d'ouverture")
    hours.fill("lundi matin")
    phone.get_by_role("button", name="Envoyer pour relecture").click()
    expect(phone.get_by_role("alert")).to_contain_text("Horaires d'ouverture")
    shoot(phone, "3-hours-error-phone")

    phone.get_by_label("Horaires d'ouverture").fill("Tu-Sa 10:15-18:45")
    phone.locator("input[name=photo]").set_input_files(str(photo_file))
    phone.get_by_label("Ce que montre la photo").fill("L’atelier et ses imprimantes 3D")
    phone.get_by_role("button", name="Envoyer pour relecture").click()
    expect(phone.get_by_role("status")).to_contain_text("envoyées à l’équipe du territoire")
    expect(phone.locator(".manager-pending")).to_contain_text("Tu-Sa 10:15-18:45")
    shoot(phone, "4-pending-phone")
    no_wider_than(phone, PHONE["width"])
    assert "18 h 45" not in phone.goto(public_url).text()

    # The editor reads the diff and accepts.
    staff.goto(live_demo.url + "/admin/managers/changerequest/")
    staff.get_by_role("link", name="La Serre numérique").first.click()
    diff = staff.locator("table.change-diff")
    expect(diff.locator("ins")).to_contain_text("Tu-Sa 10:15-18:45")
    expect(staff.locator("img.change-photo")).to_be_visible()
    shoot(staff, "5-diff-desktop")
    no_wider_than(staff, DESKTOP["width"])
    staff.get_by_label("Message au gestionnaire").fill("Merci, c’est publié.")
    staff.get_by_role("button", name="Accepter et publier").click()
    expect(staff.locator(".messagelist")).to_contain_text("Modification acceptée et publiée")

    # The public page shows the change, and the photo.
    phone.goto(public_url)
    expect(phone.locator("table.hours")).to_contain_text("18 h 45")
    expect(phone.get_by_alt_text("L’atelier et ses imprimantes 3D")).to_be_visible()
    shoot(phone, "6-public-phone")
    decided = [m for m in mail.outbox if m.to == ["lea@example.org"]][-1]
    assert "Merci, c’est publié." in decided.body

    # A second change, rejected: never public.
    phone.goto(live_demo.url + f"/gestion/lieux/{hub.slug}/")
    phone.get_by_label("Précisions sur les horaires").fill("Fermé tout le mois d’août")
    phone.get_by_role("button", name="Envoyer pour relecture").click()
    expect(phone.get_by_role("status")).to_contain_text("envoyées")
    change = ChangeRequest.objects.get(status="pending")
    staff.goto(f"{live_demo.url}/admin/managers/changerequest/{change.pk}/change/")
    staff.get_by_label("Message au gestionnaire").fill("Le lieu reste ouvert en août.")
    staff.get_by_role("button", name="Refuser").click()
    expect(staff.locator(".messagelist")).to_contain_text("Modification refusée")
    phone.goto(public_url)
    expect(phone.locator("table.hours")).to_contain_text("18 h 45")
    assert "Fermé tout le mois" not in phone.content()
    rejected = [m for m in mail.outbox if m.to == ["lea@example.org"]][-1]
    assert "Le lieu reste ouvert en août." in rejected.body
