"""Every door of the back-office, for the accounts that may only read, or nothing.

Three accounts walk every admin URL of territory A's records — change, history,
history version (GET and POST: django-simple-history's "revert"), delete, add,
every action of every admin, export, import, autocomplete and Django's
``/admin/r/`` shortcut:

- a **viewer** (an elected official: reads everything, writes nothing);
- a **staff account with no role** (sees and writes nothing);
- an **editor of territory B** (Pas-de-Calais: nothing of A shown, nothing written);
- a **hub manager** of A's hub, trusted (not staff: every door is the login page).

After the walk the database is the same, row for row, and no refused page names
a record of A.
"""

import datetime

import pytest
from django.apps import apps
from django.contrib import admin
from django.contrib.admin.models import LogEntry
from django.contrib.auth.models import User
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import RequestFactory
from django.urls import reverse

from backoffice.roles import EDITOR, REGIONAL_ADMIN, VIEWER
from events.models import Event
from hubs.models import Hub
from managers.models import HubManager
from tests import factories
from tests.admin_forms import change_form_data

pytestmark = pytest.mark.django_db

RECORDS = ["hub", "operation", "line", "event"]
#: The apps whose rows a refused request must leave exactly as they were.
WATCHED_APPS = ["hubs", "funding", "events", "territories", "backoffice", "managers"]


def database_state() -> dict[str, list[tuple]]:
    """Every row of the watched apps (histories included) and of the admin log."""
    models = [m for label in WATCHED_APPS for m in apps.get_app_config(label).get_models()]
    models += [LogEntry]
    state = {}
    for model in models:
        if model._meta.label == "territories.Commune":
            continue  # reference data: 1,800 rows no admin door writes (tested elsewhere)
        fields = [f.attname for f in model._meta.concrete_fields]
        state[model._meta.label] = sorted(
            model._default_manager.order_by().values_list(*fields), key=repr
        )
    return state


def admin_url(obj, view, *args):
    opts = obj._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_{view}", args=[obj.pk, *args])


def changelist_url(model):
    opts = model._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")


def all_actions(model_admin) -> list[str]:
    """The names of every action of ``model_admin``, as a superuser sees them."""
    request = RequestFactory().get("/")
    request.user = User(is_superuser=True, is_staff=True, is_active=True)
    return list(model_admin.get_actions(request))


@pytest.fixture
def superuser():
    return factories.superuser("racine")


@pytest.fixture
def forms(client, world, superuser):
    """The POST data of each record's change form and latest history version (as a superuser)."""
    client.force_login(superuser)
    data = {}
    for key in RECORDS:
        obj = world["a"][key]
        field = "title" if hasattr(obj, "title") else "summary" if key == "hub" else "source"
        version = obj.history.earliest().history_id
        data[key] = {
            "change": change_form_data(client, admin_url(obj, "change"), **{field: "Piraté"}),
            "revert": change_form_data(
                client, admin_url(obj, "simple_history", version), **{field: "Piraté"}
            ),
        }
    export = client.post(changelist_url(Hub) + "export/", {"format": "0", "resource": "0"})
    data["hubs.csv"] = export.content.decode("utf-8-sig").replace("Serre", "Serre piratée")
    client.logout()
    return data


def _manager_of_a():
    """A hub manager (issue 18): runs territory A's hub, edits it at /gestion/, never here."""
    user = User.objects.create_user("gestionnaire-a", email="gestion@example.org", password="x")
    HubManager.objects.create(user=user, hub=Hub.objects.get(slug="serre-numerique"), trusted=True)
    return user


ACCOUNTS = {
    "viewer": lambda: factories.staff(VIEWER, "lecteur"),
    "hub-manager": _manager_of_a,
    "no-role": lambda: User.objects.create_user("sans-role", password="x", is_staff=True),
    "editor-of-b": lambda: factories.staff(EDITOR, "editeur-62", departement=["62"]),
}


def walk(client, world, forms):
    """Knock on every door of territory A's records; return (url, response) pairs."""
    seen = []

    def knock(method, url, data=None):
        response = getattr(client, method)(url, data or {})
        assert response.status_code < 500, (method, url, response.status_code)
        seen.append((method, url, response))
        return response

    for key in RECORDS:
        obj = world["a"][key]
        version = obj.history.earliest().history_id
        for view in ["change", "history", "delete"]:
            knock("get", admin_url(obj, view))
        knock("get", admin_url(obj, "simple_history", version))
        knock("post", admin_url(obj, "change"), forms[key]["change"])
        knock("post", admin_url(obj, "simple_history", version), forms[key]["revert"])
        knock(
            "post",
            admin_url(obj, "simple_history", version),
            {**forms[key]["revert"], "_change_history": "1"},
        )
        knock("post", admin_url(obj, "delete"), {"post": "yes"})
        content_type = ContentType.objects.get_for_model(obj)
        knock("get", f"/admin/r/{content_type.pk}/{obj.pk}/")

    for model, model_admin in admin.site._registry.items():
        base = changelist_url(model)
        knock("get", base)
        selected = [world["a"][k].pk for k in RECORDS if isinstance(world["a"][k], model)]
        for action in all_actions(model_admin):
            knock(
                "post",
                base,
                {
                    "action": action,
                    "_selected_action": selected or ["1"],
                    "post": "yes",
                    "apply": "1",
                    "interval": "1w",
                    "index": "0",
                    "confirm": "1",  # the funders' merge: its confirmation page answered
                    "keep": str((selected or [1])[0]),
                },
            )
        if hasattr(model_admin, "has_import_permission"):
            knock("get", base + "export/")
            knock("post", base + "export/", {"format": "0", "resource": "0"})
            knock("get", base + "import/")
            if model is Hub:
                knock(
                    "post",
                    base + "import/",
                    {
                        "format": "0",
                        "resource": "0",
                        "import_file": SimpleUploadedFile("lieux.csv", forms["hubs.csv"].encode()),
                    },
                )
        knock("get", reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_add"))

    start = datetime.datetime(2030, 1, 1, 10)
    knock(
        "post",
        reverse("admin:events_event_add"),
        {
            **forms["event"]["change"],
            "slug": "nouvel-evenement",
            "start_0": start.strftime("%d/%m/%Y"),
            "end_0": start.strftime("%d/%m/%Y"),
        },
    )
    knock("post", reverse("admin:hubs_hub_add"), {**forms["hub"]["change"], "slug": "nouveau"})
    for app, model, field, term in [
        ("events", "event", "hub", "Serre"),
        ("funding", "financingline", "operation", "Opération"),
        ("funding", "fundedoperation", "hub", "Serre"),
        ("hubs", "hub", "commune", "Valenc"),
    ]:
        knock(
            "get",
            "/admin/autocomplete/",
            {"app_label": app, "model_name": model, "field_name": field, "term": term},
        )
    return seen


@pytest.mark.parametrize("account", ACCOUNTS)
def test_an_account_that_may_not_write_writes_nothing_by_any_door(client, world, forms, account):
    Hub.objects.filter(pk=world["a"]["hub"].pk).update(publication="draft")
    user = ACCOUNTS[account]()
    before = database_state()
    client.force_login(user)
    seen = walk(client, world, forms)
    assert len(seen) > 60
    after = database_state()
    changed = [label for label in before if before[label] != after[label]]
    assert not changed, (account, changed)

    if account == "viewer":
        return
    # Nothing of territory A is shown to the others, not even a draft's address.
    secrets = ["La Serre numérique", "serre-numerique", "Opération A", "Atelier A"]
    for method, url, response in seen:
        if method == "post" and url.endswith(("/import/", "/add/")):
            # A form shown again with the user's own input (the import's messages
            # are checked by tests/test_import_scope_messages.py).
            continue
        body = response.content.decode(errors="replace")
        location = response.get("Location", "")
        for secret in secrets:
            assert secret not in body and secret not in location, (account, method, url, secret)


def test_every_admin_action_declares_its_permissions():
    """An action without ``permissions`` is offered to anyone who may view the list."""
    for model, model_admin in admin.site._registry.items():
        for name, (function, _name, _label) in model_admin.get_actions(
            _superuser_request()
        ).items():
            assert getattr(function, "allowed_permissions", ()), (model, name)


def _superuser_request():
    request = RequestFactory().get("/")
    request.user = User(is_superuser=True, is_staff=True, is_active=True)
    return request


def test_the_regional_administrator_may_still_do_everything(client, world, forms):
    """The walk's doors are open to whom they belong: a revert by the regional role saves."""
    client.force_login(factories.staff(REGIONAL_ADMIN, "region"))
    for key in RECORDS:
        obj = world["a"][key]
        version = obj.history.earliest().history_id
        response = client.post(admin_url(obj, "simple_history", version), forms[key]["revert"])
        assert response.status_code == 302, (key, response.status_code)
    assert Event.objects.get(pk=world["a"]["event"].pk).title == "Piraté"


# ------------------------------------------------ history versions (issue 14, break 1)
def test_a_viewer_cannot_grant_a_requested_line_through_its_history(client, world, forms):
    line = world["a"]["line"]
    line.status = "requested"
    line.save()
    client.force_login(factories.staff(VIEWER, "lecteur"))
    version = line.history.earliest().history_id  # the version that was granted
    url = admin_url(line, "simple_history", version)
    assert client.get(url).status_code == 200  # reading an old version is the viewer's right
    response = client.post(url, forms["line"]["revert"])
    assert response.status_code == 403
    line.refresh_from_db()
    assert line.status == "requested"
    client.logout()  # (staff see requested lines in the CSV, the public does not)
    assert "Opération A" not in client.get("/api/v1/funding.csv").content.decode()


def test_a_record_moved_out_of_the_territory_is_not_editable_through_its_old_versions(
    client, world, forms
):
    hub = world["a"]["hub"]
    client.force_login(factories.staff(EDITOR, "editeur-cavm", epci=["245901160"]))
    version = hub.history.earliest().history_id  # when the hub was in Valenciennes
    hub.commune_id = "62193"  # moved to Calais by a regional administrator
    hub.save()
    url = admin_url(hub, "simple_history", version)
    assert client.get(url).status_code in (302, 403, 404)
    response = client.post(url, forms["hub"]["revert"])
    assert response.status_code in (302, 403, 404)
    if response.status_code == 302:
        assert response.url == reverse("admin:index")
    hub.refresh_from_db()
    assert hub.commune_id == "62193" and hub.summary != "Piraté"


def test_with_a_review_an_editor_cannot_republish_through_an_older_version(
    client, world, forms, settings
):
    settings.PUBLICATION_REVIEW_REQUIRED = True
    hub = world["a"]["hub"]
    published = hub.history.latest().history_id
    hub.publication = Hub.Publication.ARCHIVED
    hub.save()
    client.force_login(factories.staff(EDITOR, "editeur-cavm", epci=["245901160"]))
    url = admin_url(hub, "simple_history", published)
    page = client.get(url)
    choices = [
        value for value, _label in page.context["adminform"].form.fields["publication"].choices
    ]
    assert "published" not in choices
    response = client.post(url, {**forms["hub"]["revert"], "publication": "published"})
    assert response.status_code == 200  # the form error, as on the change form
    assert "publication" in response.context["adminform"].form.errors
    hub.refresh_from_db()
    assert hub.publication == Hub.Publication.ARCHIVED


def test_an_editor_reverts_a_record_of_their_territory(client, world, forms):
    event = world["a"]["event"]
    client.force_login(factories.staff(EDITOR, "editeur-cavm", epci=["245901160"]))
    version = event.history.earliest().history_id
    response = client.post(admin_url(event, "simple_history", version), forms["event"]["revert"])
    assert response.status_code == 302
    event.refresh_from_db()
    assert event.title == "Piraté"
    assert event.history.latest().history_user.username == "editeur-cavm"


def test_the_last_guard_refuses_a_publication_by_who_may_not_publish(world, settings):
    """Behind the form's choices, ``save_model`` itself refuses (any other form posted)."""
    from django.core.exceptions import PermissionDenied

    settings.PUBLICATION_REVIEW_REQUIRED = True
    hub = world["a"]["hub"]
    Hub.objects.filter(pk=hub.pk).update(publication="draft")
    hub.refresh_from_db()
    hub.publication = Hub.Publication.PUBLISHED
    request = RequestFactory().post("/")
    request.user = factories.staff(EDITOR, "editeur-cavm", epci=["245901160"])
    with pytest.raises(PermissionDenied):
        admin.site._registry[Hub].save_model(request, hub, None, True)
    assert Hub.objects.get(pk=hub.pk).publication == "draft"


def test_a_reader_sees_an_old_version_as_values_not_as_a_form(client, world):
    client.force_login(factories.staff(VIEWER, "lecteur"))
    for key in RECORDS:
        obj = world["a"][key]
        response = client.get(admin_url(obj, "simple_history", obj.history.earliest().history_id))
        assert response.status_code == 200
        fields = response.context["adminform"].form.fields
        # Every field a value; the slug and its source disabled inputs (the library's page
        # needs them as fields to fill the one from the other).
        assert set(fields) <= {"slug", "name", "title"}, key
        assert all(field.disabled for field in fields.values()), key
        content = response.content.decode()
        assert "Rétablir" not in content and 'name="_continue"' not in content, key
