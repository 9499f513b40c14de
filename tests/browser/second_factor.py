"""The second step of a staff login in the browser (backoffice/two_factor.py)."""

import re

from playwright.sync_api import expect

from tests import otp


def enter_code(page, device):
    """Type the code of ``device`` (``otp.app_device(user)``, made before the login)
    on the page that asks for it, right after the password."""
    expect(page).to_have_url(re.compile(r"/admin/account/two-factor/verify/"))
    field = page.locator("input[name=code]")
    field.fill(otp.next_code(device))
    field.press("Enter")
