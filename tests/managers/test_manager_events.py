"""A manager's events and photos: their hub's only, drafts for review unless trusted,
the model's rules at the form, and nothing the request may set beyond its fields."""

import datetime

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from events.models import Event
from hubs.models import HubPhoto
from tests import factories

from .conftest import jpeg_bytes

pytestmark = pytest.mark.django_db


def create_url(hub):
    return reverse("managers:event_create", args=[hub.slug])


def edit_url(event):
    return reverse("managers:event_edit", args=[event.hub.slug, event.pk])


def local(moment):
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


def event_data(**changes):
    start = timezone.now() + datetime.timedelta(days=10)
    data = {
        "title": "Atelier tablette pour les seniors",
        "kind": Event.Kind.WORKSHOP,
        "summary": "Prendre en main sa tablette.",
        "description": "",
        "start": local(start),
        "end": local(start + datetime.timedelta(hours=2)),
        "status": Event.Status.SCHEDULED,
        "venue_name": "Salle du fond",
        "registration_url": "",
        "is_free": "on",
        "price": "",
        "price_details": "",
        "accessibility": "",
    }
    data.update(changes)
    return data


@pytest.fixture
def logged_in(client, manager):
    client.force_login(manager)
    return client


@pytest.fixture(autouse=True)
def _mail_on_commit(client, django_capture_on_commit_callbacks):
    """The e-mails go once the transaction commits: send them at each POST."""
    post = client.post

    def post_and_commit(*args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return post(*args, **kwargs)

    client.post = post_and_commit


def test_an_untrusted_managers_event_is_a_draft_and_the_staff_hear_of_it(
    logged_in, hub, editor, editor_calais
):
    mail.outbox.clear()
    response = logged_in.post(create_url(hub), event_data())
    assert response.status_code == 302
    event = Event.objects.get(title="Atelier tablette pour les seniors")
    assert event.hub == hub and event.publication == Event.Publication.DRAFT
    assert event.venue_name == "Salle du fond" and event.is_free
    record = event.history.latest()
    assert record.history_user.email == "lea@example.org"
    assert "gestionnaire" in record.history_change_reason
    recipients = {address for message in mail.outbox for address in message.to}
    assert editor.email in recipients and editor_calais.email not in recipients
    message = next(m for m in mail.outbox if editor.email in m.to)
    assert "Atelier tablette" in message.subject
    assert reverse("admin:events_event_change", args=[event.pk]) in message.body
    # The public agenda does not show it.
    assert logged_in.get(event.get_absolute_url()).status_code == 404
    assert "Atelier tablette" not in logged_in.get(reverse("events:agenda")).content.decode()


def test_a_trusted_managers_event_is_published_without_e_mail(client, trusted_manager, hub, editor):
    client.force_login(trusted_manager)
    mail.outbox.clear()
    assert client.post(create_url(hub), event_data()).status_code == 302
    event = Event.objects.get(title="Atelier tablette pour les seniors")
    assert event.publication == Event.Publication.PUBLISHED and event.hub == hub
    assert event.history.latest().history_user == trusted_manager
    assert mail.outbox == []
    assert client.get(event.get_absolute_url()).status_code == 200
    assert "Atelier tablette" in client.get(reverse("events:agenda")).content.decode()


def test_another_hubs_event_is_a_404(logged_in, hub, hub_calais):
    other = factories.event("Forum de Calais", hub=hub_calais)
    url = reverse("managers:event_edit", args=[hub_calais.slug, other.pk])
    assert logged_in.get(url).status_code == 404
    assert logged_in.post(url, event_data(title="Piraté")).status_code == 404
    # Nor through their own hub's address.
    url = reverse("managers:event_edit", args=[hub.slug, other.pk])
    assert logged_in.get(url).status_code == 404
    assert logged_in.post(url, event_data(title="Piraté")).status_code == 404
    assert logged_in.get(create_url(hub_calais)).status_code == 404
    other.refresh_from_db()
    assert other.title == "Forum de Calais"


def test_an_end_before_the_start_is_refused_and_nothing_is_saved(logged_in, hub):
    start = timezone.now() + datetime.timedelta(days=5)
    data = event_data(start=local(start), end=local(start - datetime.timedelta(hours=1)))
    response = logged_in.post(create_url(hub), data)
    assert response.status_code == 400
    assert "La fin doit être postérieure" in response.content.decode()
    response = logged_in.post(create_url(hub), event_data(price="12"))  # free with a price
    assert response.status_code == 400
    assert not Event.objects.filter(hub=hub).exists()


def test_the_publication_and_hub_cannot_be_forced(logged_in, hub, hub_calais):
    data = event_data(publication="published", hub=str(hub_calais.pk), slug="force")
    assert logged_in.post(create_url(hub), data).status_code == 302
    event = Event.objects.get(title="Atelier tablette pour les seniors")
    assert event.publication == Event.Publication.DRAFT and event.hub == hub
    assert event.slug != "force"
    # Editing its draft neither.
    data = event_data(title="Atelier tablette (2)", publication="published")
    assert logged_in.post(edit_url(event), data).status_code == 302
    event.refresh_from_db()
    assert event.title == "Atelier tablette (2)"
    assert event.publication == Event.Publication.DRAFT


def test_an_untrusted_manager_edits_drafts_not_published_events(logged_in, hub):
    published = factories.event("Portes ouvertes", hub=hub)
    page = logged_in.get(reverse("managers:hub", args=[hub.slug])).content.decode()
    assert "Proposer un événement" in page
    assert edit_url(published) not in page and "modifier un événement publié" in page
    assert logged_in.get(edit_url(published)).status_code == 403
    assert logged_in.post(edit_url(published), event_data(title="Changé")).status_code == 403
    published.refresh_from_db()
    assert published.title == "Portes ouvertes"

    draft = factories.event("Brouillon", hub=hub, publication=Event.Publication.DRAFT)
    assert logged_in.get(edit_url(draft)).status_code == 200
    mail.outbox.clear()
    assert logged_in.post(edit_url(draft), event_data(title="Brouillon revu")).status_code == 302
    draft.refresh_from_db()
    assert draft.title == "Brouillon revu" and draft.publication == Event.Publication.DRAFT
    assert mail.outbox  # the staff hear of it


def test_a_trusted_manager_edits_a_published_event_which_stays_published(
    client, trusted_manager, hub
):
    client.force_login(trusted_manager)
    event = factories.event("Portes ouvertes", hub=hub)
    page = client.get(reverse("managers:hub", args=[hub.slug])).content.decode()
    assert edit_url(event) in page
    response = client.post(edit_url(event), event_data(title="Portes ouvertes de printemps"))
    assert response.status_code == 302
    event.refresh_from_db()
    assert event.title == "Portes ouvertes de printemps"
    assert event.publication == Event.Publication.PUBLISHED
    assert event.history.latest().history_user == trusted_manager


def test_imported_events_are_not_edited_here(client, trusted_manager, hub):
    client.force_login(trusted_manager)
    event = factories.event("Importé", hub=hub, source_uid="abc@example.org")
    assert client.get(edit_url(event)).status_code == 403


def _photo(hub):
    return factories_photo(hub)


def factories_photo(hub):
    from django.core.files.base import ContentFile

    photo = HubPhoto(hub=hub, alt_text="La salle des ordinateurs", width=800, height=600)
    photo.image.save("salle.jpg", ContentFile(jpeg_bytes()), save=False)
    photo.save()
    return photo


def test_a_trusted_manager_removes_a_photo_at_once(client, trusted_manager, hub):
    client.force_login(trusted_manager)
    photo = _photo(hub)
    url = reverse("managers:photo_remove", args=[hub.slug, photo.pk])
    assert client.get(url).status_code == 405
    mail.outbox.clear()
    assert client.post(url).status_code == 302
    assert not HubPhoto.objects.filter(pk=photo.pk).exists()
    record = HubPhoto.history.filter(id=photo.pk).latest()
    assert record.history_type == "-" and record.history_user == trusted_manager
    assert mail.outbox == []


def test_an_untrusted_manager_asks_the_staff_to_remove_a_photo(
    logged_in, hub, editor, editor_calais
):
    photo = _photo(hub)
    mail.outbox.clear()
    response = logged_in.post(reverse("managers:photo_remove", args=[hub.slug, photo.pk]))
    assert response.status_code == 302
    assert HubPhoto.objects.filter(pk=photo.pk).exists()
    recipients = {address for message in mail.outbox for address in message.to}
    assert editor.email in recipients and editor_calais.email not in recipients
    assert "La salle des ordinateurs" in mail.outbox[0].body


def test_another_hubs_photo_is_a_404(client, trusted_manager, hub, hub_calais):
    client.force_login(trusted_manager)
    photo = _photo(hub_calais)
    for slug in [hub.slug, hub_calais.slug]:
        url = reverse("managers:photo_remove", args=[slug, photo.pk])
        assert client.post(url).status_code == 404
    assert HubPhoto.objects.filter(pk=photo.pk).exists()
