"""Reports in the back-office: scoped by territory like every record, handled by
the territory's editors, read by viewers, and every write door checked per role."""

import pytest
from django.contrib.auth.models import User
from django.core import mail
from django.urls import reverse

from backoffice.roles import EDITOR, role_permissions
from reports.models import Report
from tests import factories
from tests.admin_forms import change_form_data

pytestmark = pytest.mark.django_db

CHANGELIST = "admin:reports_report_changelist"


def make_report(hub, message="Les horaires sont faux.", **fields):
    return Report.objects.create(
        kind=Report.Kind.HUB,
        hub=hub,
        commune=hub.commune,
        subject_name=hub.name,
        message=message,
        reporter_email="lea@example.org",
        contact_consent=True,
        **fields,
    )


@pytest.fixture
def reports(hub_valenciennes, hub_calais):
    return {
        "valenciennes": make_report(hub_valenciennes, "Erreur à Valenciennes"),
        "calais": make_report(hub_calais, "Erreur à Calais"),
    }


def change_url(report):
    return reverse("admin:reports_report_change", args=[report.pk])


def delete_url(report):
    return reverse("admin:reports_report_delete", args=[report.pk])


def state():
    return sorted(
        Report.objects.values_list("pk", "status", "reporter_email", "staff_note", "closed_at")
    )


def run_action(client, action, *reports):
    return client.post(
        reverse(CHANGELIST),
        {"action": action, "_selected_action": [r.pk for r in reports], "index": 0},
    )


def test_the_roles_permissions():
    perms = role_permissions()
    assert {("reports", "view_report"), ("reports", "change_report")} <= perms[EDITOR]
    assert ("reports", "delete_report") in perms[EDITOR]
    assert ("reports", "view_report") in perms["viewer"]
    assert not {("reports", "change_report"), ("reports", "delete_report")} & perms["viewer"]
    assert not any(code == "add_report" for _, code in set().union(*perms.values()))


def test_an_editor_of_valenciennes_sees_only_valenciennes_reports(
    client, reports, editor_valenciennes
):
    client.force_login(editor_valenciennes)
    page = client.get(reverse(CHANGELIST)).content.decode()
    assert "Serre numérique test" in page
    assert "Maison du numérique de Calais" not in page
    assert client.get(change_url(reports["valenciennes"])).status_code == 200
    # Another territory's report: as if it did not exist.
    response = client.get(change_url(reports["calais"]))
    assert response.status_code == 302 and response["Location"] == reverse("admin:index")
    history = reverse("admin:reports_report_history", args=[reports["calais"].pk])
    assert client.get(history).status_code in {302, 403, 404}


def test_a_regional_administrator_and_a_viewer_see_every_report(
    client, reports, regional_admin, viewer
):
    for user in (regional_admin, viewer):
        client.force_login(user)
        page = client.get(reverse(CHANGELIST)).content.decode()
        assert "Serre numérique test" in page and "Maison du numérique de Calais" in page


def test_nobody_adds_a_report_in_the_back_office(client, reports):
    client.force_login(factories.superuser())
    assert client.get(reverse("admin:reports_report_add")).status_code == 403


def test_the_editor_closes_a_report_from_its_form_and_the_reporter_hears(
    client, reports, editor_valenciennes
):
    report = reports["valenciennes"]
    client.force_login(editor_valenciennes)
    data = change_form_data(
        client,
        change_url(report),
        status="rejected",
        staff_note="Les horaires sont justes.",
        message="Réécrit par l’équipe",
    )
    response = client.post(change_url(report), data)
    assert response.status_code == 302
    report.refresh_from_db()
    assert (report.status, report.reporter_email) == ("rejected", "")
    assert report.closed_at is not None
    [message] = mail.outbox
    assert message.to == ["lea@example.org"] and "Les horaires sont justes." in message.body
    # Only the status and the note are editable: the resident's words stay theirs.
    assert report.message == "Erreur à Valenciennes"


def test_the_editor_marks_reports_done_or_rejects_them_by_action(
    client, reports, editor_valenciennes, hub_valenciennes
):
    other = make_report(hub_valenciennes, "Autre erreur")
    client.force_login(editor_valenciennes)
    assert run_action(client, "mark_done", reports["valenciennes"]).status_code == 302
    assert run_action(client, "reject", other).status_code == 302
    statuses = dict(Report.objects.values_list("pk", "status"))
    assert statuses[reports["valenciennes"].pk] == "done"
    assert statuses[other.pk] == "rejected"
    assert statuses[reports["calais"].pk] == "new"
    assert not Report.objects.exclude(status="new").exclude(reporter_email="").exists()
    assert [m.to for m in mail.outbox] == [["lea@example.org"], ["lea@example.org"]]


def test_the_editor_deletes_a_report_of_their_territory(client, reports, editor_valenciennes):
    client.force_login(editor_valenciennes)
    response = client.post(delete_url(reports["valenciennes"]), {"post": "yes"})
    assert response.status_code == 302
    assert not Report.objects.filter(pk=reports["valenciennes"].pk).exists()


@pytest.fixture(params=["viewer", "other_editor", "no_role"])
def refused_client(request, client, reports, viewer, editor_calais):
    """An account that may not write Valenciennes' report: a reader, Calais' editor,
    staff without a role."""
    user = {
        "viewer": viewer,
        "other_editor": editor_calais,
        "no_role": User.objects.create_user("sans-role", is_staff=True),
    }[request.param]
    client.force_login(user)
    client.role = request.param
    return client


def test_no_write_door_is_open_to_those_who_may_not_write(refused_client, reports):
    client = refused_client
    target = reports["valenciennes"]
    before = state()
    # The change form (as a superuser would post it).
    data = {"status": "done", "staff_note": "Pirate"}
    response = client.post(change_url(target), data)
    assert response.status_code in {302, 403}
    if response.status_code == 302:  # Calais' editor: « does not exist », to the admin home
        assert response["Location"] == reverse("admin:index")
    # Deleting.
    response = client.post(delete_url(target), {"post": "yes"})
    assert response.status_code in {302, 403}
    # Every action, Django's « delete selected » included.
    for action in ["mark_done", "reject", "delete_selected"]:
        response = run_action(client, action, target)
        assert response.status_code in {200, 302, 403}
    # The history's revert form.
    version = target.history.first()
    revert = reverse("admin:reports_report_simple_history", args=[target.pk, version.history_id])
    assert client.post(revert, data).status_code in {302, 403, 404}
    assert state() == before
    assert mail.outbox == []


def test_a_viewer_reads_a_report_without_inputs_or_actions(client, reports, viewer):
    client.force_login(viewer)
    response = client.get(change_url(reports["valenciennes"]))
    assert response.status_code == 200
    page = response.content.decode()
    assert 'name="status"' not in page and 'name="staff_note"' not in page
    changelist = client.get(reverse(CHANGELIST))
    assert changelist.context["action_form"] is None  # no action offered at all


def test_an_editor_of_calais_cannot_run_an_action_on_valenciennes(client, reports, editor_calais):
    client.force_login(editor_calais)
    run_action(client, "mark_done", reports["valenciennes"], reports["calais"])
    statuses = dict(Report.objects.values_list("pk", "status"))
    assert statuses[reports["valenciennes"].pk] == "new"
    assert statuses[reports["calais"].pk] == "done"  # their own, done
