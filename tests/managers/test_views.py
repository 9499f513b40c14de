"""The managers' area: their own hubs only, changes held for review or published
when trusted, the model's rules at the form, safe photos, and no back-office."""

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from hubs.models import Hub, HubPhoto
from managers.models import ChangeRequest
from tests import factories

from .conftest import jpeg_bytes

pytestmark = pytest.mark.django_db


def edit_url(hub):
    return reverse("managers:hub", args=[hub.slug])


def form_data(hub, **changes):
    data = {
        "summary": hub.summary,
        "description": hub.description,
        "opening_hours": hub.opening_hours,
        "opening_hours_note": hub.opening_hours_note,
        "website": hub.website,
        "email": hub.email,
        "phone": hub.phone,
        "fees": hub.fees,
        "fees_details": hub.fees_details,
        "access_modes": hub.access_modes,
        "booking_url": hub.booking_url,
        "wheelchair": hub.wheelchair,
        "acceslibre_url": hub.acceslibre_url,
        "photo_alt_text": "",
    }
    data.update(changes)
    return data


def test_anonymous_visitors_are_sent_to_the_login(client, hub):
    for url in [reverse("managers:index"), edit_url(hub), reverse("managers:account")]:
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("managers:login"))


def test_a_manager_logs_in_and_sees_their_hubs_only(client, manager, hub, hub_calais):
    response = client.post(
        reverse("managers:login"),
        {"username": "lea@example.org", "password": "une serre pleine de plantes"},
    )
    assert response.status_code == 302 and response["Location"] == reverse("managers:index")
    page = client.get(reverse("managers:index")).content.decode()
    assert "Serre numérique test" in page and "Calais" not in page


def test_another_hub_is_a_404_for_every_method(client, manager, hub_calais):
    other = factories.hub("Autre lieu de Valenciennes", slug="autre-lieu")
    client.force_login(manager)
    for target in (hub_calais, other):
        assert client.get(edit_url(target)).status_code == 404
        response = client.post(edit_url(target), form_data(target, summary="Piraté"))
        assert response.status_code == 404
    assert client.get(reverse("managers:hub", args=["nexiste-pas"])).status_code == 404
    assert not Hub.objects.filter(summary="Piraté").exists()
    assert not ChangeRequest.objects.exists()


def test_a_manager_cannot_reach_the_back_office(client, manager, hub):
    client.force_login(manager)
    for url in ["/admin/", reverse("admin:hubs_hub_change", args=[hub.pk])]:
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("admin:login"))
    # Nor log into it with their password.
    client.logout()
    response = client.post(
        reverse("admin:login"),
        {"username": "lea@example.org", "password": "une serre pleine de plantes"},
    )
    assert response.status_code == 200  # the form again, with Django's refusal
    assert "_auth_user_id" not in client.session


def test_an_untrusted_change_waits_and_the_public_page_is_unchanged(
    client, manager, hub, editor, editor_calais, django_capture_on_commit_callbacks
):
    client.force_login(manager)
    page = client.get(edit_url(hub)).content.decode()
    assert "Envoyer pour relecture" in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            edit_url(hub), form_data(hub, opening_hours="Tu-Sa 10:15-18:45", fees="paid")
        )
    assert response.status_code == 302
    change = ChangeRequest.objects.get()
    assert change.is_pending and change.author == manager
    assert change.data == {"opening_hours": "Tu-Sa 10:15-18:45", "fees": "paid"}
    hub.refresh_from_db()
    assert hub.opening_hours == "Mo-Fr 09:00-17:00" and hub.fees == "free"
    public = client.get(hub.get_absolute_url()).content.decode()
    assert "18 h 45" not in public and "Payant" not in public
    # The territory's staff are told, Calais' are not.
    assert [m.to for m in mail.outbox] == [[editor.email]]
    assert reverse("admin:managers_changerequest_change", args=[change.pk]) in mail.outbox[0].body
    # The form shows what waits, and sending again replaces it.
    page = client.get(edit_url(hub)).content.decode()
    assert "en attente de relecture" in page and "Tu-Sa 10:15-18:45" in page
    client.post(edit_url(hub), form_data(hub, opening_hours="Tu-Sa 10:00-19:00"))
    change = ChangeRequest.objects.get()
    assert change.data == {"opening_hours": "Tu-Sa 10:00-19:00"}


def test_a_trusted_change_is_published_with_its_author_in_the_history(client, trusted_manager, hub):
    client.force_login(trusted_manager)
    assert "Publier les modifications" in client.get(edit_url(hub)).content.decode()
    response = client.post(edit_url(hub), form_data(hub, opening_hours="Sa 10:00-12:00"))
    assert response.status_code == 302
    hub.refresh_from_db()
    assert hub.opening_hours == "Sa 10:00-12:00"
    assert not ChangeRequest.objects.exists()
    last = hub.history.latest()
    assert last.history_user == trusted_manager
    assert "gestionnaire" in last.history_change_reason


def test_invalid_hours_are_refused_at_the_field(client, manager, hub):
    client.force_login(manager)
    response = client.post(edit_url(hub), form_data(hub, opening_hours="lundi matin"))
    assert response.status_code == 400
    form = response.context["form"]
    assert form.errors["opening_hours"]
    assert 'href="#id_opening_hours"' in response.content.decode()
    assert not ChangeRequest.objects.exists()


def test_the_model_rules_apply_online_booking_needs_its_address(client, manager, hub):
    client.force_login(manager)
    response = client.post(edit_url(hub), form_data(hub, access_modes=["online"]))
    assert response.status_code == 400
    assert "booking_url" in response.context["form"].errors
    assert not ChangeRequest.objects.exists()


def test_a_photo_is_checked_reencoded_and_held_with_its_alt_text(client, manager, hub, photo):
    client.force_login(manager)
    no_alt = client.post(edit_url(hub), {**form_data(hub), "photo": photo})
    assert no_alt.status_code == 400 and "photo_alt_text" in no_alt.context["form"].errors
    fake = SimpleUploadedFile("photo.jpg", b"<?php echo 1; ?>", content_type="image/jpeg")
    refused = client.post(edit_url(hub), {**form_data(hub, photo_alt_text="Salle"), "photo": fake})
    assert refused.status_code == 400 and "photo" in refused.context["form"].errors
    assert not ChangeRequest.objects.exists()

    upload = SimpleUploadedFile("atelier.jpg", jpeg_bytes(), content_type="image/jpeg")
    response = client.post(
        edit_url(hub),
        {**form_data(hub, photo_alt_text="La salle des imprimantes"), "photo": upload},
    )
    assert response.status_code == 302
    change = ChangeRequest.objects.get()
    assert (
        change.data == {} and change.photo and change.photo_alt_text == "La salle des imprimantes"
    )
    assert "atelier" not in change.photo.name  # never the uploaded name
    assert not HubPhoto.objects.filter(hub=hub).exists()


def test_a_trusted_manager_adds_a_photo_at_once(client, trusted_manager, hub, photo):
    client.force_login(trusted_manager)
    client.post(edit_url(hub), {**form_data(hub, photo_alt_text="La façade"), "photo": photo})
    added = HubPhoto.objects.get(hub=hub)
    assert added.alt_text == "La façade" and added.thumbnail and added.width == 800
    assert added.history.latest().history_user == trusted_manager


def test_nothing_changed_sends_nothing(client, manager, hub):
    client.force_login(manager)
    response = client.post(edit_url(hub), form_data(hub))
    assert response.status_code == 302
    assert not ChangeRequest.objects.exists()


def test_the_managers_account_page_lists_their_hubs_and_saves_preferences(client, manager, hub):
    client.force_login(manager)
    page = client.get(reverse("managers:account")).content.decode()
    assert "Serre numérique test" in page and "gestionnaire de lieu" in page
    response = client.post(
        reverse("managers:account"), {"email_language": "en", "notify_reminders": ""}
    )
    assert response.status_code == 302
    prefs = manager.staff_preferences
    assert prefs.email_language == "en" and not prefs.notify_reminders


def test_forms_are_csrf_protected(manager, hub):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(manager)
    assert client.post(edit_url(hub), form_data(hub, summary="Sans jeton")).status_code == 403
