"""The permission matrix: an editor of territory A against the records of territory B.

Valenciennes Métropole (EPCI 245901160) is territory A; Calais (Pas-de-Calais)
is territory B. Every admin URL, action and autocomplete the editor can reach
either refuses B's records (403, 404, or Django's "not found" redirect to the
admin home) or leaves them out; the same editor succeeds on A's.
"""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from backoffice.roles import EDITOR, REGIONAL_ADMIN, VIEWER
from events.models import Event
from funding.models import FinancingLine, FundedOperation
from hubs.models import Hub
from tests import factories
from tests.admin_forms import change_form_data

from .conftest import CALAIS, EPCI_A

pytestmark = pytest.mark.django_db


def _admin_url(obj, view, *args):
    opts = obj._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_{view}", args=[obj.pk, *args])


def _refused(response):
    """403, 404, or the admin's "this object does not exist" redirect home."""
    if response.status_code in (403, 404):
        return True
    return response.status_code == 302 and response.url == reverse("admin:index")


def _records_of(world, side):
    keys = ["hub", "operation", "line", "event"] + (["venue_event"] if side == "b" else [])
    return [world[side][key] for key in keys]


def _snapshot(obj):
    obj.refresh_from_db()
    return {f.attname: getattr(obj, f.attname) for f in obj._meta.concrete_fields}


def test_changelists_show_only_the_editor_territory(editor_client, world):
    for key in ["hub", "operation", "line", "event"]:
        a, b = world["a"][key], world["b"][key]
        url = reverse(f"admin:{a._meta.app_label}_{a._meta.model_name}_changelist")
        response = editor_client.get(url)
        assert response.status_code == 200, url
        shown = {obj.pk for obj in response.context["cl"].result_list}
        assert a.pk in shown and b.pk not in shown, url
    events = editor_client.get(reverse("admin:events_event_changelist")).context["cl"]
    assert world["b"]["venue_event"].pk not in {e.pk for e in events.result_list}


@pytest.mark.parametrize("view", ["change", "delete", "history"])
def test_other_territory_pages_are_refused(editor_client, world, view):
    for obj in _records_of(world, "b"):
        response = editor_client.get(_admin_url(obj, view))
        assert _refused(response), (obj, view, response.status_code)
        assert str(obj) not in response.content.decode()


def test_other_territory_history_versions_are_refused(editor_client, world):
    for obj in _records_of(world, "b"):
        version = obj.history.latest()
        response = editor_client.get(_admin_url(obj, "simple_history", version.history_id))
        assert _refused(response), obj


def test_posts_on_other_territory_change_nothing(editor_client, world):
    for obj in _records_of(world, "b"):
        before = _snapshot(obj)
        for view in ["change", "delete"]:
            response = editor_client.post(_admin_url(obj, view), {"post": "yes", "title": "X"})
            assert _refused(response), (obj, view)
        assert type(obj).objects.filter(pk=obj.pk).exists()
        assert _snapshot(obj) == before


@pytest.mark.parametrize(
    "action", ["delete_selected", "publish", "archive", "unpublish", "duplicate_as_next_session"]
)
def test_actions_skip_other_territory(editor_client, world, action):
    for key in ["hub", "operation", "line", "event"]:
        b = world["b"][key]
        opts = b._meta
        before = _snapshot(b)
        editor_client.post(
            reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist"),
            {"action": action, "_selected_action": [b.pk], "post": "yes", "apply": "1"},
        )
        assert _snapshot(b) == before, (key, action)
    assert Event.objects.count() == 3  # no duplicate of B's event either


def test_autocomplete_leaves_out_other_territory(editor_client, world):
    def results(app, model, field, term):
        response = editor_client.get(
            "/admin/autocomplete/",
            {"app_label": app, "model_name": model, "field_name": field, "term": term},
        )
        assert response.status_code == 200
        return {item["text"] for item in response.json()["results"]}

    assert results("events", "event", "hub", "Maison") == set()
    assert "La Serre numérique" in results("events", "event", "hub", "Serre")
    assert results("hubs", "hub", "commune", "Calais") == set()
    assert any("Valenciennes" in text for text in results("hubs", "hub", "commune", "Valenc"))
    assert results("funding", "financingline", "operation", "Opération") == {"Opération A"}


def test_foreign_keys_cannot_point_to_other_territory(editor_client, world):
    start = timezone.localtime() + datetime.timedelta(days=3)
    event = {
        "title": "Intrus",
        "slug": "intrus",
        "kind": "atelier",
        "start_0": start.strftime("%d/%m/%Y"),
        "start_1": "10:00",
        "end_0": start.strftime("%d/%m/%Y"),
        "end_1": "12:00",
        "status": "scheduled",
        "publication": "draft",
        "is_free": "on",
        "hub": world["b"]["hub"].pk,
    }
    response = editor_client.post(reverse("admin:events_event_add"), event)
    assert response.status_code == 200 and "hub" in response.context["adminform"].form.errors
    response = editor_client.post(
        reverse("admin:events_event_add"),
        dict(event, hub="", commune=CALAIS, latitude="50.95", longitude="1.86"),
    )
    assert response.status_code == 200 and "commune" in response.context["adminform"].form.errors
    assert not Event.objects.filter(slug="intrus").exists()

    response = editor_client.post(
        reverse("admin:funding_fundedoperation_add"),
        {
            "hub": world["b"]["hub"].pk,
            "title": "Intruse",
            "purpose": "investment",
            "lines-TOTAL_FORMS": "0",
            "lines-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 200 and "hub" in response.context["adminform"].form.errors
    response = editor_client.post(
        reverse("admin:funding_financingline_add"),
        {
            "operation": world["b"]["operation"].pk,
            "funder": world["funder"].pk,
            "amount": "10",
            "status": "granted",
            "nature": "subsidy",
        },
    )
    assert response.status_code == 200 and "operation" in response.context["adminform"].form.errors
    assert FinancingLine.objects.count() == 2 and not FundedOperation.objects.filter(
        title="Intruse"
    )


def _change_form(client, obj, **changes):
    return change_form_data(client, _admin_url(obj, "change"), **changes)


def test_editor_edits_own_territory_but_cannot_move_a_hub_out(editor_client, world):
    hub = world["a"]["hub"]
    response = editor_client.get(_admin_url(hub, "change"))
    assert response.status_code == 200
    moved = _change_form(editor_client, hub, commune=CALAIS, latitude="50.95", longitude="1.86")
    response = editor_client.post(_admin_url(hub, "change"), moved)
    assert response.status_code == 200 and "commune" in response.context["adminform"].form.errors
    hub.refresh_from_db()
    assert hub.commune.epci_id == EPCI_A

    response = editor_client.post(
        _admin_url(hub, "change"), _change_form(editor_client, hub, summary="Neuf.")
    )
    assert response.status_code == 302
    hub.refresh_from_db()
    assert hub.summary == "Neuf."
    # The history records who did it, field by field.
    latest = hub.history.latest()
    assert latest.history_user.username == "editeur-cavm"
    assert [change.field for change in latest.diff_against(latest.prev_record).changes] == [
        "summary"
    ]
    history = editor_client.get(_admin_url(hub, "history"))
    assert history.status_code == 200 and "editeur-cavm" in history.content.decode()

    for obj in _records_of(world, "a"):
        assert editor_client.get(_admin_url(obj, "change")).status_code == 200, obj
        assert editor_client.get(_admin_url(obj, "history")).status_code == 200, obj


def test_editor_without_territory_sees_nothing(client, world):
    client.force_login(factories.staff(EDITOR, "sans-territoire"))
    for key in ["hub", "operation", "line", "event"]:
        obj = world["a"][key]
        url = reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_changelist")
        assert list(client.get(url).context["cl"].result_list) == []


def test_departement_and_region_scopes(client, world):
    client.force_login(factories.staff(EDITOR, "pas-de-calais", departement=["62"]))
    shown = client.get(reverse("admin:hubs_hub_changelist")).context["cl"].result_list
    assert {hub.commune.departement_id for hub in shown} == {"62"}
    client.force_login(factories.staff(EDITOR, "hauts-de-france", region=["32"]))
    shown = client.get(reverse("admin:hubs_hub_changelist")).context["cl"].result_list
    assert {hub.commune.departement_id for hub in shown} == {"59", "62"}


def test_viewer_reads_everything_and_changes_nothing(client, world):
    client.force_login(factories.staff(VIEWER, "elue"))
    hub_b = world["b"]["hub"]
    changelist = client.get(reverse("admin:hubs_hub_changelist")).context["cl"]
    assert hub_b in changelist.result_list
    page = client.get(_admin_url(hub_b, "change"))
    assert page.status_code == 200 and not page.context["has_change_permission"]
    before = _snapshot(hub_b)
    client.post(_admin_url(hub_b, "change"), _change_form(client, hub_b, summary="Changé"))
    assert client.post(_admin_url(hub_b, "delete"), {"post": "yes"}).status_code == 403
    assert _snapshot(hub_b) == before
    assert client.get(reverse("admin:hubs_hub_add")).status_code == 403


def test_regional_admin_edits_everywhere(client, world):
    client.force_login(factories.staff(REGIONAL_ADMIN, "region"))
    hub_b = world["b"]["hub"]
    response = client.post(
        _admin_url(hub_b, "change"), _change_form(client, hub_b, summary="Relu.")
    )
    assert response.status_code == 302
    hub_b.refresh_from_db()
    assert hub_b.summary == "Relu."


def test_admin_home_lists_the_todo_of_the_territory(editor_client, world):
    Hub.objects.filter(pk=world["b"]["hub"].pk).update(publication="draft")
    Hub.objects.filter(pk=world["a"]["hub"].pk).update(
        publication="draft", updated_at=timezone.now() - datetime.timedelta(days=400)
    )
    content = editor_client.get(reverse("admin:index")).content.decode()
    assert "À faire dans vos territoires" in content
    assert "CA Valenciennes Métropole" in content or "Valenciennes Métropole" in content
    # Only territory A's draft and stale hub count (B's draft is not the editor's).
    assert re.search(r"Lieux en brouillon</a></th><td>1<", content)
    assert re.search(r"Lieux non mis à jour depuis 12 mois</a></th><td>1<", content)
    stale = editor_client.get(reverse("admin:hubs_hub_changelist"), {"freshness": "stale"})
    assert [hub.pk for hub in stale.context["cl"].result_list] == [world["a"]["hub"].pk]


# ----------------------------------------------- positions (issue 14, break 4)
@pytest.mark.parametrize(
    "where, latitude, longitude",
    [("Calais", "50.95", "1.86"), ("Sydney", "-33.87", "151.21")],
)
def test_a_hub_cannot_be_placed_far_from_its_commune(
    editor_client, world, where, latitude, longitude
):
    hub = world["a"]["hub"]
    before = _snapshot(hub)
    data = _change_form(editor_client, hub, latitude=latitude, longitude=longitude)
    response = editor_client.post(_admin_url(hub, "change"), data)
    assert response.status_code == 200, where
    errors = response.context["adminform"].form.errors
    assert "latitude" in errors and "km de Anzin" in errors["latitude"][0], errors
    assert _snapshot(hub) == before


def test_a_hub_moves_within_its_commune(editor_client, world):
    hub = world["a"]["hub"]
    latitude = round(hub.commune.latitude + 0.01, 5)
    data = _change_form(editor_client, hub, latitude=str(latitude))
    assert editor_client.post(_admin_url(hub, "change"), data).status_code == 302
    hub.refresh_from_db()
    assert hub.latitude == latitude


def test_an_event_cannot_be_placed_far_from_its_commune_or_hub(editor_client, world):
    event = world["a"]["event"]  # at the Serre numérique, in Anzin
    before = _snapshot(event)
    for changes in [
        {"latitude": "-33.87", "longitude": "151.21"},  # its hub's commune decides
        {
            "hub": "",
            "commune": "59606",
            "venue_name": "Ailleurs",
            "latitude": "50.95",
            "longitude": "1.86",
        },
    ]:
        data = _change_form(editor_client, event, **changes)
        response = editor_client.post(_admin_url(event, "change"), data)
        assert response.status_code == 200, changes
        assert "latitude" in response.context["adminform"].form.errors, changes
    assert _snapshot(event) == before


def test_the_rule_is_the_model_s_for_every_door(world):
    from django.core.exceptions import ValidationError

    hub = world["a"]["hub"]
    hub.latitude, hub.longitude = -33.87, 151.21
    with pytest.raises(ValidationError) as raised:
        hub.full_clean()
    assert raised.value.error_dict["latitude"][0].code == "far_from_commune"


def test_only_regional_admins_delete_operations_and_lines(editor_client, client, world):
    """Deleting money leaves nothing but the history: the regional role decides it."""
    operation, line = world["a"]["operation"], world["a"]["line"]
    for obj in (operation, line):
        opts = obj._meta
        page = editor_client.get(_admin_url(obj, "change"))
        assert page.status_code == 200 and not page.context["has_delete_permission"]
        assert editor_client.get(_admin_url(obj, "delete")).status_code == 403
        assert editor_client.post(_admin_url(obj, "delete"), {"post": "yes"}).status_code == 403
        changelist = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
        form = editor_client.get(changelist).context["action_form"]  # None: no action at all
        assert not form or "delete_selected" not in dict(form.fields["action"].choices)
        editor_client.post(
            changelist, {"action": "delete_selected", "_selected_action": [obj.pk], "post": "yes"}
        )
    # Nor through the operation's form: its lines cannot be ticked for deletion.
    url = _admin_url(operation, "change")
    data = _change_form(editor_client, operation, **{"lines-0-DELETE": "on"})
    assert editor_client.post(url, data).status_code == 302
    assert FundedOperation.objects.filter(pk=operation.pk).exists()
    assert FinancingLine.objects.filter(pk=line.pk).exists()

    client.force_login(factories.staff(REGIONAL_ADMIN, "region"))
    assert client.post(_admin_url(line, "delete"), {"post": "yes"}).status_code == 302
    assert client.post(_admin_url(operation, "delete"), {"post": "yes"}).status_code == 302
    assert not FundedOperation.objects.filter(pk=operation.pk).exists()
