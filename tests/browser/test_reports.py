"""A resident reports an error from their phone, and suggests a place: no account,
the form's errors said where they are, the honeypot out of reach, axe satisfied.

With ``SCREENSHOTS=1`` each step is kept in ``$SCREENSHOTS_DIR`` (default
``artifacts/screenshots/``).
"""

import os
from pathlib import Path

import pytest
from django.core import mail
from playwright.sync_api import expect

from backoffice.roles import EDITOR
from reports.models import Report
from tests import factories

from .test_accessibility import BLOCKING, report, run_axe

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 800}


def shoot(page, name):
    if os.environ.get("SCREENSHOTS") != "1":
        return
    folder = Path(os.environ.get("SCREENSHOTS_DIR") or "artifacts/screenshots")
    folder.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(folder / f"reports-{name}.png"), full_page=True, animations="disabled")


def assert_no_axe_violation(page, live_server, name):
    violations = [v for v in run_axe(page, live_server) if v["impact"] in BLOCKING]
    assert not violations, report({name: violations})


@pytest.fixture
def allow_console_errors():
    return [r"status of 400 .*/signaler/"]  # the form sent empty, on purpose


@pytest.fixture
def editor(live_demo):
    user = factories.staff(EDITOR, "editeur-va", epci=["245901160"])
    user.email = "editeur-va@example.org"
    user.save()
    return user


def test_a_resident_reports_an_error_from_a_hub_page_on_a_phone(live_demo, editor, new_context):
    page = new_context(viewport=PHONE, reduced_motion="reduce").new_page()
    page.set_default_timeout(10_000)
    page.goto(live_demo.url + "/hubs/serre-numerique/")
    link = page.get_by_role("link", name="Signaler une erreur")
    link.scroll_into_view_if_needed()
    shoot(page, "1-hub-page-phone")
    link.click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Signaler une erreur")
    expect(page.get_by_role("link", name="Serre numérique").first).to_be_visible()
    assert_no_axe_violation(page, live_demo, "report form, phone")
    # Nothing wider than the phone.
    wide = page.evaluate(
        """() => [...document.querySelectorAll('body *')]
            .filter((e) => e.getBoundingClientRect().right > window.innerWidth + 1)
            .map((e) => e.tagName + '.' + e.className + '#' + e.id + ' ' + Math.round(e.getBoundingClientRect().right))
            .slice(0, 10)"""
    )
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], wide

    # Sent empty: the form says what is wrong, at the top and at the field.
    page.get_by_role("button", name="Envoyer").click()
    summary = page.get_by_role("alert")
    expect(summary).to_contain_text("Qu’est-ce qui est inexact ?")
    message = page.get_by_role("textbox", name="Qu’est-ce qui est inexact ?")
    expect(message).to_have_attribute("aria-invalid", "true")
    shoot(page, "2-form-error-phone")
    assert_no_axe_violation(page, live_demo, "report form with an error, phone")

    summary.get_by_role("link", name="Qu’est-ce qui est inexact ?").click()
    message.fill("Le lieu est fermé le samedi depuis septembre.")
    page.get_by_role("textbox", name="Votre adresse e-mail").fill("lea@example.org")
    page.get_by_role("checkbox", name="J’accepte que cette adresse soit gardée").check()
    shoot(page, "3-form-filled-phone")
    page.get_by_role("button", name="Envoyer").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Merci pour votre message")
    expect(page.get_by_role("status")).to_contain_text("transmis à l’équipe du territoire")
    shoot(page, "4-thanks-phone")
    assert_no_axe_violation(page, live_demo, "thanks, phone")

    saved = Report.objects.get()
    assert saved.hub.slug == "serre-numerique"
    assert saved.reporter_email == "lea@example.org"
    assert [m.to for m in mail.outbox] == [["editeur-va@example.org"]]


def test_the_honeypot_is_out_of_the_keyboards_reach(live_demo, new_context):
    page = new_context(viewport=DESKTOP).new_page()
    page.goto(live_demo.url + "/hubs/serre-numerique/signaler/")
    page.get_by_role("textbox", name="Qu’est-ce qui est inexact ?").focus()
    focused = []
    for _ in range(8):
        page.keyboard.press("Tab")
        focused.append(page.evaluate("document.activeElement.name || document.activeElement.id"))
    assert "homepage" not in focused, focused
    # Nor offered to screen readers.
    expect(page.get_by_role("textbox", name="Laissez ce champ vide")).to_have_count(0)


def test_a_resident_suggests_a_place_from_the_map(live_demo, new_context):
    page = new_context(viewport=DESKTOP, reduced_motion="reduce").new_page()
    page.set_default_timeout(10_000)
    page.goto(live_demo.url + "/hubs/")
    page.get_by_role("link", name="Proposer un lieu").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Proposer un lieu")
    assert_no_axe_violation(page, live_demo, "suggestion form, desktop")
    page.get_by_role("textbox", name="Nom du lieu").fill("Fablab du Beffroi")
    page.get_by_role("textbox", name="Adresse (facultatif)").fill("12 rue Royale")
    page.get_by_role("textbox", name="Code postal").fill("62100")
    page.get_by_role("textbox", name="Commune").fill("Calais")
    page.get_by_role("textbox", name="Ce que l’on y fait").fill("Un fablab ouvert le samedi.")
    shoot(page, "5-suggestion-desktop")
    page.get_by_role("button", name="Envoyer").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Merci pour votre message")
    suggestion = Report.objects.get()
    assert (suggestion.kind, suggestion.commune.name) == ("new_place", "Calais")
