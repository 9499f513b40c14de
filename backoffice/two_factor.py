"""Two-factor login for staff: who must use it, and their devices.

After the password (the admin's login page, django-axes counting failures), a
staff account whose session has not passed the second factor is held by
:class:`backoffice.middleware.SecondFactorMiddleware`:

- with a confirmed device (an authenticator app, or its recovery codes), it
  enters a code on the verification page;
- without one, when its role requires it (:func:`is_required`: superusers and
  regional administrators, editors too with ``OTP_REQUIRED_FOR_EDITORS``), it
  sets one up from « Mon compte » first;
- otherwise (viewers, editors by default) nothing is asked until it sets one up
  of its own accord.

The devices are django-otp's TOTP device (RFC 6238, 6 digits every 30 seconds,
throttled after a wrong code) and our :class:`~backoffice.models.RecoveryCodeDevice`.
"""

from __future__ import annotations

from base64 import b32encode
from binascii import unhexlify

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.db import transaction
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from .models import RecoveryCodeDevice
from .roles import EDITOR, GROUP_NAMES, REGIONAL_ADMIN

#: The name of the one authenticator-app device of an account.
APP_DEVICE_NAME = "app"
RECOVERY_DEVICE_NAME = "recovery"


def is_required(user) -> bool:
    """Whether ``user`` may use the back-office only with a second factor."""
    if not (user.is_authenticated and user.is_active and user.is_staff):
        return False
    if user.is_superuser:
        return True
    groups = {GROUP_NAMES[REGIONAL_ADMIN]}
    if settings.OTP_REQUIRED_FOR_EDITORS:
        groups.add(GROUP_NAMES[EDITOR])
    return user.groups.filter(name__in=groups).exists()


def app_device(user, *, confirmed=True) -> TOTPDevice | None:
    """The account's authenticator app (``confirmed=False``: one being set up)."""
    return (
        TOTPDevice.objects.filter(user=user, name=APP_DEVICE_NAME, confirmed=confirmed)
        .order_by("-pk")
        .first()
    )


def recovery_device(user) -> RecoveryCodeDevice | None:
    return RecoveryCodeDevice.objects.filter(user=user, confirmed=True).first()


def has_device(user) -> bool:
    return app_device(user) is not None


def pending_app_device(user) -> TOTPDevice:
    """The device being set up (made on first call): its key goes into the app."""
    device = app_device(user, confirmed=False)
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=APP_DEVICE_NAME, confirmed=False)
    return device


def secret_text(device: TOTPDevice) -> str:
    """The key as typed into an app by hand: base32, in groups of four."""
    secret = b32encode(unhexlify(device.key)).decode()
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def qr_svg(device: TOTPDevice) -> str:
    """The device's otpauth:// address as an inline SVG QR code (no image request:
    nothing for the CSP to refuse, nothing sent to a third party)."""
    image = qrcode.make(
        device.config_url, image_factory=qrcode.image.svg.SvgPathImage, box_size=8, border=2
    )
    return image.to_string(encoding="unicode")


def confirm(request, device: TOTPDevice, code: str) -> list[str] | None:
    """Confirm the device being set up with its first code; the new recovery codes,
    or None when the code is wrong. The session counts as verified with it."""
    user = request.user
    with transaction.atomic():
        device = TOTPDevice.objects.select_for_update().get(pk=device.pk)
        if not device.verify_token(code):
            return None
        # One app per account: the one just confirmed replaces any other.
        TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        codes = new_recovery_codes(user)
    otp_login(request, device)
    return codes


def new_recovery_codes(user) -> list[str]:
    """Ten new recovery codes for ``user``, replacing the old ones."""
    device, _created = RecoveryCodeDevice.objects.get_or_create(
        user=user, defaults={"name": RECOVERY_DEVICE_NAME}
    )
    return device.make_codes()


def remaining_recovery_codes(user) -> int:
    device = recovery_device(user)
    return device.codes.count() if device else 0


def verify(request, code: str):
    """The device that accepts ``code`` (six digits: the app's; else a recovery
    code), or None. The session then counts as verified.

    Each device counts its failures and checks no code for a while after one
    (1, 2, 4, 8… seconds): six digits cannot be tried one after another.
    """
    user = request.user
    code = "".join(code.split())
    is_app_code = code.isdigit() and len(code) == 6
    device = app_device(user) if is_app_code else recovery_device(user)
    if device is None or not code:
        return None
    with transaction.atomic():
        device = type(device).objects.select_for_update().get(pk=device.pk)
        accepted = device.verify_token(code)
    if not accepted:
        return None
    otp_login(request, device)
    return device


def throttled_until(user):
    """When the account's app accepts a code again after wrong ones, or None."""
    device = app_device(user)
    if device is None:
        return None
    allowed, info = device.verify_is_allowed()
    return None if allowed else info.get("locked_until")


def reset(user) -> None:
    """Remove every device of ``user`` (the app and the recovery codes)."""
    TOTPDevice.objects.filter(user=user).delete()
    RecoveryCodeDevice.objects.filter(user=user).delete()


def forget_verification(request) -> None:
    request.session.pop(DEVICE_ID_SESSION_KEY, None)
