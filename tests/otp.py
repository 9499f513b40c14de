"""The second factor of staff logins, for the tests (backoffice/two_factor.py).

- :func:`app_device`: a confirmed authenticator app for an account;
- :func:`next_code`: the code that app shows now (one it has not used yet);
- :func:`pass_second_factor`: a logged-in test client's session marked as having
  passed it, as after typing the code. The ``client`` and ``admin_client``
  fixtures (tests/conftest.py) call it from ``force_login`` for the accounts
  that must use a second factor or have one; ``force_login(user,
  second_factor=False)`` leaves the session waiting for the code.
"""

from __future__ import annotations

import time

from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from backoffice import two_factor


def app_device(user) -> TOTPDevice:
    """The account's confirmed authenticator app (made if it has none)."""
    device = two_factor.app_device(user)
    if device is None:
        device = TOTPDevice.objects.create(
            user=user, name=two_factor.APP_DEVICE_NAME, confirmed=True
        )
    return device


def code_at(device: TOTPDevice, step: int) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits)
    totp.time = device.t0 + step * device.step
    return f"{totp.token():0{device.digits}d}"


def next_code(device: TOTPDevice) -> str:
    """The code of the current 30-second step, or of the next one when the current
    one was used (a code is accepted once, and one step early)."""
    device.refresh_from_db()
    now = int((time.time() - device.t0) // device.step) + device.drift
    return code_at(device, max(now, device.last_t + 1))


def pass_second_factor(client: Client, user) -> None:
    """Mark the client's session as verified, for an account that needs it or has an app."""
    if not (two_factor.is_required(user) or two_factor.has_device(user)):
        return
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = app_device(user).persistent_id
    session.save()


class StaffClient(Client):
    """Django's test client, whose ``force_login`` also passes the second factor."""

    def force_login(self, user, backend=None, *, second_factor=True):
        super().force_login(user, backend)
        if second_factor:
            pass_second_factor(self, user)
