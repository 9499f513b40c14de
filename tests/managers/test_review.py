"""Staff review a manager's change: the diff, accept (applied, history by the
manager, reason naming the reviewer), reject (hub untouched), the manager told with
the message; who may decide, by role and territory; the « trusted » switch."""

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from hubs.models import HubPhoto
from managers import services
from managers.models import ChangeRequest, HubManager

from .conftest import jpeg_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture
def change(manager, hub):
    return services.changes_submit(
        hub=hub,
        author=manager,
        values={"opening_hours": "Tu-Sa 10:15-18:45", "fees": "paid", "access_modes": ["walk_in"]},
    )


def change_url(change):
    return reverse("admin:managers_changerequest_change", args=[change.pk])


def decide_url(change):
    return reverse("admin:managers_changerequest_decide", args=[change.pk])


def test_the_editor_sees_a_readable_diff(client, editor, change):
    client.force_login(editor)
    page = client.get(change_url(change)).content.decode()
    # Human labels, choices by their label, current → proposed.
    assert "Horaires d&#x27;ouverture" in page or "Horaires d'ouverture" in page
    assert "<del>Mo-Fr 09:00-17:00<br>" in page and "<ins>Tu-Sa 10:15-18:45<br>" in page
    assert "Mardi : 10 h 15 – 18 h 45" in page  # the hours as the public page reads them
    assert "<del>gratuit</del>" in page and "<ins>payant</ins>" in page
    assert "sans rendez-vous : présentez-vous" in page
    assert "Accepter et publier" in page and "Refuser" in page


def test_accepting_applies_with_the_manager_as_author(
    client, editor, manager, hub, change, django_capture_on_commit_callbacks
):
    client.force_login(editor)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(decide_url(change), {"decision": "accept", "message": "Merci !"})
    assert response.status_code == 302
    hub.refresh_from_db()
    assert (hub.opening_hours, hub.fees, hub.access_modes) == (
        "Tu-Sa 10:15-18:45",
        "paid",
        ["walk_in"],
    )
    last = hub.history.latest()
    assert last.history_user == manager
    assert editor.username in last.history_change_reason
    change.refresh_from_db()
    assert (change.status, change.reviewer, change.message) == ("accepted", editor, "Merci !")
    assert "18 h 45" in client.get(hub.get_absolute_url()).content.decode()
    [message] = mail.outbox
    assert message.to == [manager.email] and "Merci !" in message.body
    assert "publiée" in message.subject


def test_rejecting_leaves_the_hub_and_tells_the_manager_why(
    client, editor, manager, hub, change, django_capture_on_commit_callbacks
):
    client.force_login(editor)
    before = hub.history.count()
    # A refusal says why.
    client.post(decide_url(change), {"decision": "reject", "message": "  "})
    change.refresh_from_db()
    assert change.is_pending
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            decide_url(change), {"decision": "reject", "message": "Le samedi est fermé en août."}
        )
    change.refresh_from_db()
    assert change.status == "rejected" and change.decided_at
    hub.refresh_from_db()
    assert hub.opening_hours == "Mo-Fr 09:00-17:00" and hub.fees == "free"
    assert hub.history.count() == before
    assert "18 h 45" not in client.get(hub.get_absolute_url()).content.decode()
    [message] = mail.outbox
    assert message.to == [manager.email]
    assert "Le samedi est fermé en août." in message.body
    assert "Le samedi est fermé en août." in message.alternatives[0][0]
    # Decided is decided.
    client.post(decide_url(change), {"decision": "accept"})
    hub.refresh_from_db()
    assert hub.fees == "free"


@pytest.mark.parametrize("who", ["viewer", "editor_calais"])
def test_who_may_not_decide_cannot(client, request, who, hub, change):
    user = request.getfixturevalue(who)
    client.force_login(user)
    page = client.get(change_url(change))
    if who == "viewer":
        assert page.status_code == 200 and "Accepter et publier" not in page.content.decode()
    else:  # another territory: not even shown
        assert page.status_code == 302
        assert (
            client.get(reverse("admin:managers_changerequest_changelist"))
            .context["cl"]
            .result_count
            == 0
        )
    for decision in ["accept", "reject"]:
        response = client.post(decide_url(change), {"decision": decision, "message": "x"})
        assert response.status_code in {403, 404}
    change.refresh_from_db()
    hub.refresh_from_db()
    assert change.is_pending and hub.fees == "free"


def test_the_regional_administrator_decides_anywhere(client, regional_admin, hub, change):
    client.force_login(regional_admin)
    assert client.post(decide_url(change), {"decision": "accept"}).status_code == 302
    hub.refresh_from_db()
    assert hub.fees == "paid"


def test_deciding_is_a_post(client, editor, change):
    client.force_login(editor)
    assert client.get(decide_url(change)).status_code == 405


def test_an_accepted_photo_joins_the_hub(client, editor, manager, hub):
    upload = SimpleUploadedFile("x.jpg", jpeg_bytes(), content_type="image/jpeg")
    from hubs.images import process_photo

    change = services.changes_submit(
        hub=hub, author=manager, values={}, photo=process_photo(upload), photo_alt_text="La salle"
    )
    client.force_login(editor)
    assert 'class="change-photo"' in client.get(change_url(change)).content.decode()
    client.post(decide_url(change), {"decision": "accept"})
    photo = HubPhoto.objects.get(hub=hub)
    assert photo.alt_text == "La salle" and photo.thumbnail
    assert photo.history.latest().history_user == manager
    change.refresh_from_db()
    assert not change.photo  # the pending file is gone with the decision


def test_an_accept_that_no_longer_validates_changes_nothing(client, editor, manager, hub):
    change = services.changes_submit(hub=hub, author=manager, values={"access_modes": ["online"]})
    client.force_login(editor)
    client.post(decide_url(change), {"decision": "accept"})
    change.refresh_from_db()
    hub.refresh_from_db()
    assert change.is_pending and hub.access_modes == []


def test_editors_switch_trust_for_their_territory_only(client, editor, editor_calais, manager, hub):
    link = HubManager.objects.get(user=manager)
    url = reverse("admin:managers_hubmanager_change", args=[link.pk])
    client.force_login(editor_calais)
    client.post(url, {"trusted": "on"})
    link.refresh_from_db()
    assert not link.trusted
    client.force_login(editor)
    assert client.post(url, {"trusted": "on"}).status_code == 302
    link.refresh_from_db()
    assert link.trusted
    assert link.history.latest().history_user == editor


def test_a_viewer_cannot_switch_trust(client, viewer, manager):
    link = HubManager.objects.get(user=manager)
    client.force_login(viewer)
    client.post(reverse("admin:managers_hubmanager_change", args=[link.pk]), {"trusted": "on"})
    link.refresh_from_db()
    assert not link.trusted


def test_change_requests_cannot_be_added_in_the_admin(client, editor):
    client.force_login(editor)
    assert client.get(reverse("admin:managers_changerequest_add")).status_code == 403
    assert ChangeRequest.objects.count() == 0
