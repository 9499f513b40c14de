"""A regional administrator's first login sets up the second factor; the next asks for it.

The set-up page's key (as typed by hand into an app) gives the code, as an
authenticator app would. With ``SCREENSHOTS=1`` the pages are kept in
``artifacts/screenshots/``.
"""

import os
import re
from base64 import b32decode
from datetime import timedelta

from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from backoffice.roles import REGIONAL_ADMIN
from tests import factories, otp

PASSWORD = "escaut et sambre 2026"


def snap(request, page, name):
    if os.environ.get("SCREENSHOTS") != "1":
        return
    folder = request.config.rootpath / "artifacts" / "screenshots"
    folder.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(folder / f"2fa-{name}.png"), full_page=True, animations="disabled")


def log_in(page, url):
    page.goto(url + "/admin/hubs/hub/")
    page.get_by_label("Nom d’utilisateur").fill("regionale")
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Connexion").click()


def test_a_regional_admin_sets_up_the_second_factor_then_logs_in_with_a_code(
    live_demo, new_context, request
):
    admin = factories.staff(REGIONAL_ADMIN, "regionale")
    admin.set_password(PASSWORD)
    admin.save()
    page = new_context(viewport={"width": 1280, "height": 800}).new_page()

    # First login: the password, then straight to the set-up, nowhere else.
    log_in(page, live_demo.url)
    expect(page).to_have_url(re.compile(r"/admin/account/two-factor/\?next="))
    expect(page.get_by_role("heading", level=1)).to_have_text("Double authentification")
    expect(page.locator(".account-qr svg")).to_be_visible()
    snap(request, page, "setup")
    page.goto(live_demo.url + "/admin/hubs/hub/")
    expect(page).to_have_url(re.compile(r"/admin/account/two-factor/\?next="))

    # The key shown for typing by hand gives the app's code.
    secret = page.locator(".account-secret").inner_text().replace(" ", "")
    page.get_by_label("Tapez le code à six chiffres affiché par l’application").fill(
        f"{totp(b32decode(secret)):06d}"
    )
    page.get_by_role("button", name="Activer").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Vos codes de secours")
    expect(page.locator(".account-codes li")).to_have_count(10)
    snap(request, page, "recovery-codes")
    page.get_by_role("link", name="J’ai noté mes codes, continuer").click()
    expect(page).to_have_url(re.compile(r"/admin/hubs/hub/$"))  # where the login was going

    # « Mon compte », from the header.
    page.get_by_role("link", name="Mon compte").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mon compte")
    expect(page.locator("#content-main")).to_contain_text("Administrateur régional")
    expect(page.locator("#content-main")).to_contain_text("10 codes de secours inutilisés")
    snap(request, page, "account")

    # Log out, log in: this time a code is asked for.
    page.get_by_role("button", name="Déconnexion").click()
    log_in(page, live_demo.url)
    expect(page).to_have_url(re.compile(r"/admin/account/two-factor/verify/"))
    snap(request, page, "verify")
    device = otp.app_device(admin)
    right = otp.next_code(device)
    page.get_by_label("Code").fill("000000" if right != "000000" else "111111")
    page.get_by_role("button", name="Valider").click()
    expect(page.locator(".errorlist")).to_contain_text("Code refusé")
    # django-otp makes the next code wait a second: as if it had gone by.
    TOTPDevice.objects.update(throttling_failure_timestamp=timezone.now() - timedelta(minutes=1))
    page.get_by_label("Code").fill(right)
    page.get_by_role("button", name="Valider").click()
    expect(page).to_have_url(re.compile(r"/admin/hubs/hub/$"))
