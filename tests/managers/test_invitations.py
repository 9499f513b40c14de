"""Inviting a hub's manager: who may, the e-mailed link (signed, single use, expiring),
and the account it makes (never staff, logged in, managing that hub only)."""

import datetime
import re

import pytest
from django.contrib.auth.models import User
from django.core import mail, signing
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from managers import services, tokens
from managers.models import HubManager, Invitation

pytestmark = pytest.mark.django_db

PASSWORD = "une serre pleine de plantes"
ADD_URL = reverse("admin:managers_invitation_add")


def link_in(message) -> str:
    return re.search(r"https?://\S+/gestion/invitation/\S+/", message.body).group(0)


def path_of(url: str) -> str:
    return "/" + url.split("/", 3)[3]


def invite(client, editor, hub, email="lea@example.org"):
    client.force_login(editor)
    return client.post(ADD_URL, {"hub": hub.pk, "email": email})


def test_an_editor_invites_from_the_admin_and_the_email_carries_the_link(
    client, editor, hub, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):  # sent once committed
        response = invite(client, editor, hub)
    assert response.status_code == 302
    invitation = Invitation.objects.get()
    assert (invitation.hub, invitation.email, invitation.invited_by) == (
        hub,
        "lea@example.org",
        editor,
    )
    assert invitation.expires_at - invitation.created_at == datetime.timedelta(days=7)
    [message] = mail.outbox
    assert message.to == ["lea@example.org"]
    assert "Serre numérique test" in message.subject
    assert tokens.read_token(link_in(message).rstrip("/").rsplit("/", 1)[1]) == invitation
    assert message.alternatives and link_in(message) in message.alternatives[0][0]


def test_the_hub_page_offers_the_invitation_to_its_editor(client, editor, hub):
    client.force_login(editor)
    page = client.get(reverse("admin:hubs_hub_change", args=[hub.pk])).content.decode()
    assert f"{ADD_URL}?hub={hub.pk}" in page
    form = client.get(ADD_URL, {"hub": hub.pk}).content.decode()
    assert f'<option value="{hub.pk}" selected>' in form


def test_an_editor_cannot_invite_for_another_territory(client, editor, hub_calais):
    response = invite(client, editor, hub_calais)
    assert response.status_code == 200  # the form again: Calais is not a choice
    assert "Maison du numérique de Calais" not in response.content.decode()
    assert not Invitation.objects.exists() and not mail.outbox
    with pytest.raises(PermissionDenied):
        services.invitation_create(hub=hub_calais, email="x@example.org", invited_by=editor)


def test_the_editor_of_calais_invites_for_calais(client, editor_calais, hub_calais):
    assert invite(client, editor_calais, hub_calais).status_code == 302
    assert Invitation.objects.get().hub == hub_calais


def test_a_viewer_cannot_invite(client, viewer, hub):
    assert invite(client, viewer, hub).status_code == 403
    assert not Invitation.objects.exists() and not mail.outbox


def test_a_staff_address_is_not_invited(client, editor, viewer, hub):
    response = invite(client, editor, hub, email=viewer.email.upper())
    assert response.status_code == 200
    assert "équipe du back-office" in response.content.decode()
    assert not Invitation.objects.exists()


@pytest.fixture
def invitation(editor, hub):
    invitation = services.invitation_create(hub=hub, email="lea@example.org", invited_by=editor)
    return invitation, tokens.make_token(invitation)


def url(token):
    return reverse("managers:invitation", args=[token])


def test_opening_the_link_changes_nothing(client, invitation):
    obj, token = invitation
    for _ in range(3):
        response = client.get(url(token))
        assert response.status_code == 200
    assert "Choisissez un mot de passe" in response.content.decode()
    obj.refresh_from_db()
    assert obj.used_at is None and not User.objects.filter(email="lea@example.org").exists()


def test_accepting_makes_a_manager_not_staff_logged_in(client, invitation, hub, editor):
    obj, token = invitation
    response = client.post(url(token), {"password1": PASSWORD, "password2": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == reverse("managers:hub", args=[hub.slug])
    user = User.objects.get(email="lea@example.org")
    assert not user.is_staff and not user.is_superuser and user.check_password(PASSWORD)
    link = HubManager.objects.get(user=user)
    assert (link.hub, link.trusted, link.invited_by) == (hub, False, editor)
    obj.refresh_from_db()
    assert obj.used_at is not None and obj.accepted_by == user
    assert client.get(reverse("managers:hub", args=[hub.slug])).status_code == 200


def test_the_link_works_once(client, invitation):
    _obj, token = invitation
    client.post(url(token), {"password1": PASSWORD, "password2": PASSWORD})
    client.logout()
    again = client.post(
        url(token), {"password1": "autre chose 123", "password2": "autre chose 123"}
    )
    assert again.status_code == 400
    assert "déjà été acceptée" in again.content.decode()
    assert client.get(url(token)).status_code == 400
    assert User.objects.get(email="lea@example.org").check_password(PASSWORD)


def test_an_expired_link_is_refused(client, invitation):
    obj, token = invitation
    now = timezone.now()
    Invitation.objects.filter(pk=obj.pk).update(
        created_at=now - datetime.timedelta(days=8), expires_at=now - datetime.timedelta(seconds=1)
    )
    response = client.post(url(token), {"password1": PASSWORD, "password2": PASSWORD})
    assert response.status_code == 400 and "a expiré" in response.content.decode()
    assert not User.objects.filter(email="lea@example.org").exists()


def test_a_link_older_than_its_signature_allows_is_refused(client, invitation, monkeypatch):
    _obj, token = invitation
    later = timezone.now() + datetime.timedelta(days=8)
    monkeypatch.setattr(signing.time, "time", lambda: later.timestamp())
    assert client.get(url(token)).status_code == 400


@pytest.mark.parametrize(
    "tamper",
    [lambda t: t[:-1], lambda t: ("8" if t[0] == "9" else "9") + t[1:], lambda t: "x"],
)
def test_a_tampered_link_is_refused(client, invitation, tamper):
    obj, token = invitation
    other = tamper(token)
    assert other != token
    response = client.post(url(other), {"password1": PASSWORD, "password2": PASSWORD})
    assert response.status_code == 400
    assert "incomplet ou a été modifié" in response.content.decode()
    obj.refresh_from_db()
    assert obj.used_at is None and not HubManager.objects.exists()


def test_a_weak_or_mismatched_password_is_refused(client, invitation):
    _obj, token = invitation
    weak = client.post(url(token), {"password1": "123", "password2": "123"})
    assert weak.status_code == 400
    mismatch = client.post(url(token), {"password1": PASSWORD, "password2": PASSWORD + "x"})
    assert mismatch.status_code == 400
    assert not User.objects.filter(email="lea@example.org").exists()


def test_an_existing_manager_accepts_a_second_hub_once_logged_in(client, manager, editor, hub):
    from tests import factories

    second = factories.hub("Fablab voisin", slug="fablab-voisin")
    obj = services.invitation_create(hub=second, email=manager.email, invited_by=editor)
    token = tokens.make_token(obj)
    # Logged out: asked to log in; a POST does nothing.
    assert "connectez-vous" in client.get(url(token)).content.decode()
    client.post(url(token))
    assert not HubManager.objects.filter(user=manager, hub=second).exists()
    client.force_login(manager)
    assert client.post(url(token)).status_code == 302
    assert set(HubManager.objects.filter(user=manager).values_list("hub__slug", flat=True)) == {
        hub.slug,
        second.slug,
    }
    assert User.objects.filter(email=manager.email).count() == 1
