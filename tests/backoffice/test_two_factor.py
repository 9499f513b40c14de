"""Two-factor login for staff (backoffice/two_factor.py, backoffice/middleware.py).

The logins under test go through the admin's login form (django-axes counting);
``force_login``, whose test version passes the second factor (tests/otp.py),
only opens the pages of an account already verified.
"""

import re
from datetime import timedelta
from io import StringIO

import pytest
from axes.models import AccessAttempt
from django.contrib.sessions.models import Session
from django.core.management import CommandError, call_command
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from backoffice import two_factor
from backoffice.models import RecoveryCode, RecoveryCodeDevice
from backoffice.roles import EDITOR, REGIONAL_ADMIN, VIEWER
from hubs.models import Hub
from tests import factories, otp

PASSWORD = "not-used-with-force-login"  # noqa: S105 (the factories' password)
SETUP = "/admin/account/two-factor/"
VERIFY = "/admin/account/two-factor/verify/"
HUBS = "/admin/hubs/hub/"


def log_in(client, user, next_url="/admin/"):
    """The password step, through the admin's login form."""
    response = client.post(
        f"/admin/login/?next={next_url}",
        {"username": user.username, "password": PASSWORD, "next": next_url},
    )
    assert response.status_code == 302, "the password was refused"
    return response


def pass_throttle(model):
    """As if the seconds a device waits after a wrong code had gone by."""
    model.objects.update(throttling_failure_timestamp=timezone.now() - timedelta(hours=1))


def codes_on(response) -> list[str]:
    return re.findall(r"<code>([a-z0-9]{4}-[a-z0-9]{4}-[a-z0-9]{4})</code>", response.text)


@pytest.fixture
def admin(db):
    return factories.staff(REGIONAL_ADMIN, "region")


def test_a_regional_admin_without_an_app_must_set_one_up_first(client, admin):
    log_in(client, admin)
    for url in ["/admin/", HUBS, "/admin/account/", "/admin/password_change/", "/admin/geocode/"]:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(f"{SETUP}?next="), url
    # The set-up page opens, and says why.
    page = client.get(SETUP)
    assert page.status_code == 200
    assert "Votre rôle demande la double authentification" in page.text


def test_a_held_session_is_a_visitors_on_the_public_site(client, admin):
    draft = factories.hub("Brouillon", publication=Hub.Publication.DRAFT)
    log_in(client, admin)
    assert client.get(draft.get_absolute_url()).status_code == 404  # no preview yet
    otp.pass_second_factor(client, admin)
    assert client.get(draft.get_absolute_url()).status_code == 200


def test_set_up_confirms_the_app_and_shows_ten_recovery_codes_once(client, admin):
    log_in(client, admin, HUBS)
    page = client.get(f"{SETUP}?next={HUBS}")
    assert "<svg" in page.text  # the QR code, inline: no image for the CSP to refuse
    device = TOTPDevice.objects.get(user=admin, confirmed=False)
    assert two_factor.secret_text(device).replace(" ", "") in page.text.replace(" ", "")

    wrong = client.post(SETUP, {"code": "000000" if totp(device.bin_key) else "111111"})
    assert "Ce code ne correspond pas" in wrong.text
    pass_throttle(TOTPDevice)

    response = client.post(SETUP, {"code": f"{totp(device.bin_key):06d}", "next": HUBS})
    assert response.status_code == 200
    codes = codes_on(response)
    assert len(codes) == 10 and len(set(codes)) == 10
    device.refresh_from_db()
    assert device.confirmed
    # Stored hashed: no code in the database.
    digests = set(RecoveryCode.objects.values_list("digest", flat=True))
    assert len(digests) == 10
    assert not {c.replace("-", "") for c in codes} & digests
    assert f'href="{HUBS}"' in response.text  # « continuer » goes where the admin was going
    # The session has passed: the admin opens.
    assert client.get(HUBS).status_code == 200
    # The codes are never shown again.
    assert codes_on(client.get("/admin/account/")) == []


def test_the_next_login_asks_for_a_code_and_refuses_a_wrong_one(client, admin):
    device = otp.app_device(admin)
    log_in(client, admin, HUBS)
    assert client.get(HUBS)["Location"].startswith(f"{VERIFY}?next=")

    right = otp.next_code(device)
    wrong = "000000" if right != "000000" else "111111"
    refused = client.post(VERIFY, {"code": wrong, "next": HUBS})
    assert refused.status_code == 200
    assert "Code refusé" in refused.text
    device.refresh_from_db()
    assert device.throttling_failure_count == 1  # django-otp's throttle…
    assert AccessAttempt.objects.get(username="region").failures_since_start == 1  # …and axes
    # Right after a wrong code, even the right one waits.
    assert "Attendez" in client.post(VERIFY, {"code": right}).text
    assert client.get(HUBS).status_code == 302

    pass_throttle(TOTPDevice)
    response = client.post(VERIFY, {"code": right, "next": HUBS})
    assert response.status_code == 302 and response["Location"] == HUBS
    assert client.get(HUBS).status_code == 200
    # A code works once.
    client.post("/admin/logout/")
    log_in(client, admin)
    assert "Code refusé" in client.post(VERIFY, {"code": right}).text


def test_five_wrong_codes_lock_the_account_out_like_five_wrong_passwords(client, admin):
    otp.app_device(admin)
    log_in(client, admin)
    for _attempt in range(4):
        assert client.post(VERIFY, {"code": "123456"}).status_code == 200
    locked = client.post(VERIFY, {"code": "123456"})
    assert locked.status_code == 429  # django-axes' lock-out page
    assert client.get("/admin/")["Location"].startswith("/admin/login/")  # logged out
    # And the password no longer opens the door for the cool-off time.
    response = client.post("/admin/login/", {"username": "region", "password": PASSWORD})
    assert response.status_code == 429


def test_a_recovery_code_works_once(client, admin):
    otp.app_device(admin)
    first, second, *_others = two_factor.new_recovery_codes(admin)
    log_in(client, admin)
    response = client.post(VERIFY, {"code": first.upper(), "next": HUBS})  # case and dashes free
    assert response.status_code == 302
    assert client.get(HUBS).status_code == 200
    assert two_factor.remaining_recovery_codes(admin) == 9

    client.post("/admin/logout/")
    log_in(client, admin)
    assert "Code refusé" in client.post(VERIFY, {"code": first}).text
    pass_throttle(RecoveryCodeDevice)
    assert client.post(VERIFY, {"code": second.replace("-", " ")}).status_code == 302


def test_new_recovery_codes_replace_the_old_ones(client, admin):
    otp.app_device(admin)
    old = two_factor.new_recovery_codes(admin)
    client.force_login(admin)
    response = client.post("/admin/account/two-factor/recovery-codes/")
    new = codes_on(response)
    assert len(new) == 10 and not set(new) & set(old)
    client.post("/admin/logout/")
    log_in(client, admin)
    assert "Code refusé" in client.post(VERIFY, {"code": old[0]}).text
    pass_throttle(RecoveryCodeDevice)
    assert client.post(VERIFY, {"code": new[0]}).status_code == 302


def test_editors_are_asked_only_when_the_setting_says_so(client, settings, db):
    editor = factories.staff(EDITOR, "editeur", epci=["245901160"])
    viewer = factories.staff(VIEWER, "lecteur")
    log_in(client, editor)
    assert client.get(HUBS).status_code == 200

    settings.OTP_REQUIRED_FOR_EDITORS = True
    assert client.get(HUBS)["Location"].startswith(f"{SETUP}?next=")
    client.post("/admin/logout/")
    log_in(client, viewer)
    assert client.get(HUBS).status_code == 200  # viewers never must


@pytest.mark.parametrize("role", [VIEWER, EDITOR])
def test_viewers_and_editors_may_set_it_up_and_are_then_asked(client, db, role):
    user = factories.staff(role, "volontaire", epci=["245901160"] if role == EDITOR else ())
    log_in(client, user)
    assert "facultative pour votre rôle" in client.get("/admin/account/").text
    client.get(SETUP)
    device = TOTPDevice.objects.get(user=user)
    assert len(codes_on(client.post(SETUP, {"code": f"{totp(device.bin_key):06d}"}))) == 10

    client.post("/admin/logout/")
    log_in(client, user)
    assert client.get(HUBS)["Location"].startswith(f"{VERIFY}?next=")
    assert client.post(VERIFY, {"code": otp.next_code(device)}).status_code == 302
    assert client.get(HUBS).status_code == 200

    # Turned off again: no code asked at the next login.
    client.post("/admin/account/two-factor/reset/")
    assert not TOTPDevice.objects.filter(user=user).exists()
    assert not RecoveryCodeDevice.objects.filter(user=user).exists()
    client.post("/admin/logout/")
    log_in(client, user)
    assert client.get(HUBS).status_code == 200


def test_a_regional_admin_who_resets_sets_up_again(client, admin):
    client.force_login(admin)
    response = client.post("/admin/account/two-factor/reset/")
    assert response["Location"] == SETUP
    assert client.get(HUBS)["Location"].startswith(f"{SETUP}?next=")


def test_a_second_app_replaces_the_first_once_confirmed(client, admin):
    first = otp.app_device(admin)
    client.force_login(admin)
    client.get(SETUP)
    second = TOTPDevice.objects.get(user=admin, confirmed=False)
    assert second.key != first.key
    client.post(SETUP, {"code": f"{totp(second.bin_key):06d}"})
    assert list(TOTPDevice.objects.filter(user=admin)) == [second]


def test_the_next_address_stays_on_this_site(client, admin):
    device = otp.app_device(admin)
    log_in(client, admin)
    response = client.post(VERIFY, {"code": otp.next_code(device), "next": "https://evil.example/"})
    assert response["Location"] == "/admin/"


def test_a_verified_staff_session_ends_after_a_working_day_idle(client, admin, settings):
    assert settings.SESSION_COOKIE_AGE == 8 * 3600
    device = otp.app_device(admin)
    log_in(client, admin)
    client.post(VERIFY, {"code": otp.next_code(device)})
    response = client.get(HUBS)
    assert response.status_code == 200
    # Each request pushes the end back to eight hours from now.
    assert response.cookies["sessionid"]["max-age"] == 8 * 3600
    session = Session.objects.get(session_key=client.session.session_key)
    left = (session.expire_date - timezone.now()).total_seconds()
    assert 8 * 3600 - 60 < left <= 8 * 3600
    # Eight hours without a request: the password and the code again.
    Session.objects.update(expire_date=timezone.now() - timedelta(seconds=1))
    assert client.get(HUBS)["Location"].startswith("/admin/login/")


def test_totp_codes_are_those_of_any_authenticator_app(admin):
    """RFC 6238's test vector, through django-otp: SHA-1, 30 s, the ASCII key."""
    device = TOTPDevice(user=admin, key=b"12345678901234567890".hex(), digits=8)
    assert otp.code_at(device, 59 // 30) == "94287082"


def test_a_lost_phone_is_reset_from_the_command_line(client, admin):
    otp.app_device(admin)
    two_factor.new_recovery_codes(admin)
    call_command("reset_two_factor", "region", stdout=StringIO())
    assert not TOTPDevice.objects.filter(user=admin).exists()
    assert not RecoveryCodeDevice.objects.filter(user=admin).exists()
    log_in(client, admin)
    assert client.get(HUBS)["Location"].startswith(f"{SETUP}?next=")  # a new app, then
    with pytest.raises(CommandError):
        call_command("reset_two_factor", "personne")
