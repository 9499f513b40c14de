"""Back-office roles, the publication workflow and login protection."""

import pytest
from django.contrib.auth.models import Group, User
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils.timezone import localtime

from backoffice.models import TerritoryScope
from backoffice.roles import EDITOR, GROUP_NAMES, REGIONAL_ADMIN, VIEWER, role_permissions
from hubs.models import Hub
from tests import factories
from tests.admin_forms import change_form_data

pytestmark = pytest.mark.django_db


def test_groups_exist_after_migrate_with_their_permissions():
    for role, name in GROUP_NAMES.items():
        group = Group.objects.get(name=name)
        codes = {(p.content_type.app_label, p.codename) for p in group.permissions.all()}
        assert codes == role_permissions()[role], role
    editor = {p.codename for p in Group.objects.get(name=GROUP_NAMES[EDITOR]).permissions.all()}
    assert {"change_hub", "delete_event", "add_financingline", "view_funder"} <= editor
    # The funders of their own territories (funding.admin.FunderAdmin checks which).
    assert {"add_funder", "change_funder"} <= editor
    assert not {"all_territories", "publish_hub", "delete_funder", "change_user"} & editor
    viewer = {p.codename for p in Group.objects.get(name=GROUP_NAMES[VIEWER]).permissions.all()}
    assert all(code.startswith("view_") for code in viewer - {"all_territories"})


def test_setup_roles_gives_a_role_and_territories(demo_territories, capsys):
    User.objects.create_user("camille")
    call_command("setup_roles", user="camille", role=EDITOR, epci=["245901160"])
    call_command("setup_roles", user="camille", role=EDITOR, epci=["245901160"])  # idempotent
    user = User.objects.get(username="camille")
    assert user.is_staff
    assert [g.name for g in user.groups.all()] == [GROUP_NAMES[EDITOR]]
    assert [str(s) for s in TerritoryScope.objects.filter(user=user)] == [
        "CA Valenciennes Métropole"
    ]
    assert "Éditeurs de territoire — CA Valenciennes Métropole" in capsys.readouterr().out
    call_command("setup_roles", user="camille", role=VIEWER)
    assert [g.name for g in user.groups.all()] == [GROUP_NAMES[VIEWER]]


@pytest.mark.parametrize(
    "options, message",
    [
        ({"user": "nobody", "role": VIEWER}, "Aucun compte"),
        ({"user": "camille", "role": EDITOR}, "au moins un territoire"),
        ({"user": "camille", "role": EDITOR, "epci": ["999999999"]}, "inconnu"),
        ({"role": VIEWER}, "--user"),
        ({"user": "camille"}, "--role"),
    ],
)
def test_setup_roles_refuses_bad_input(demo_territories, options, message):
    User.objects.create_user("camille")
    with pytest.raises(CommandError, match=message):
        call_command("setup_roles", **options)
    assert not User.objects.get(username="camille").groups.exists()


def test_scope_needs_exactly_one_level(demo_territories):
    from django.db import IntegrityError, transaction

    user = User.objects.create_user("x")
    with pytest.raises(IntegrityError), transaction.atomic():
        TerritoryScope.objects.create(user=user)
    with pytest.raises(IntegrityError), transaction.atomic():
        TerritoryScope.objects.create(user=user, epci_id="245901160", departement_id="59")


# -- publication workflow ----------------------------------------------------


def _publication_choices(client, hub):
    response = client.get(reverse("admin:hubs_hub_change", args=[hub.pk]))
    return [value for value, _ in response.context["adminform"].form.fields["publication"].choices]


def test_editors_publish_directly_by_default(client, demo_hubs, settings):
    settings.PUBLICATION_REVIEW_REQUIRED = False
    hub = demo_hubs["serre-numerique"]
    Hub.objects.filter(pk=hub.pk).update(publication="draft")
    client.force_login(factories.staff(EDITOR, epci=["245901160"]))
    assert "published" in _publication_choices(client, hub)
    client.post(
        reverse("admin:hubs_hub_changelist"), {"action": "publish", "_selected_action": [hub.pk]}
    )
    hub.refresh_from_db()
    assert hub.publication == "published"
    assert client.get(hub.get_absolute_url()).status_code == 200


def test_review_required_editors_submit_drafts_regional_admins_publish(client, demo_hubs, settings):
    settings.PUBLICATION_REVIEW_REQUIRED = True
    draft = demo_hubs["serre-numerique"]
    published = demo_hubs["pop-school-valenciennes"]
    Hub.objects.filter(pk=draft.pk).update(publication="draft")
    client.force_login(factories.staff(EDITOR, epci=["245901160"]))
    assert _publication_choices(client, draft) == ["draft", "archived"]
    # A published record stays published when an editor corrects it.
    assert "published" in _publication_choices(client, published)
    changelist = client.get(reverse("admin:hubs_hub_changelist"))
    actions = [value for value, _ in changelist.context["action_form"].fields["action"].choices]
    assert "publish" not in actions and "archive" in actions
    client.post(
        reverse("admin:hubs_hub_changelist"), {"action": "publish", "_selected_action": [draft.pk]}
    )
    draft.refresh_from_db()
    assert draft.publication == "draft"

    client.force_login(factories.staff(REGIONAL_ADMIN))
    assert "published" in _publication_choices(client, draft)
    client.post(
        reverse("admin:hubs_hub_changelist"), {"action": "publish", "_selected_action": [draft.pk]}
    )
    draft.refresh_from_db()
    assert draft.publication == "published"
    assert str(draft.history.latest().history_change_reason).startswith("action groupée")


def test_public_pages_show_last_update(client, demo_hubs):
    hub = demo_hubs["serre-numerique"]
    content = client.get(hub.get_absolute_url()).content.decode()
    assert f'<time datetime="{localtime(hub.updated_at).isoformat()}">' in content
    event = factories.event(hub=hub)
    content = client.get(event.get_absolute_url()).content.decode()
    assert "Fiche mise à jour le" in content
    assert f'<time datetime="{localtime(event.updated_at).isoformat()}">' in content


# -- accounts ----------------------------------------------------------------


def test_regional_admin_cannot_make_superusers(client, db):
    admin = factories.staff(REGIONAL_ADMIN, "region")
    target = factories.staff(EDITOR, "agent")
    root = factories.superuser("root")
    client.force_login(admin)
    response = client.get(reverse("admin:auth_user_change", args=[target.pk]))
    assert response.status_code == 200
    form_fields = response.context["adminform"].form.fields
    assert "is_superuser" not in form_fields and "user_permissions" not in form_fields
    Group.objects.create(name="Tout-puissants")
    response = client.get(reverse("admin:auth_user_change", args=[target.pk]))
    groups = {g.name for g in response.context["adminform"].form.fields["groups"].queryset}
    assert groups == set(GROUP_NAMES.values())
    assert client.get(reverse("admin:auth_user_change", args=[root.pk])).status_code == 302
    listing = client.get(reverse("admin:auth_user_changelist")).content.decode()
    assert "agent" in listing and ">root<" not in listing


def test_regional_admins_manage_editors_and_viewers_not_their_peers(client, db):
    admin = factories.staff(REGIONAL_ADMIN, "region")
    peer = factories.staff(REGIONAL_ADMIN, "region-bis")
    editor = factories.staff(EDITOR, "agent")
    viewer = factories.staff(VIEWER, "elue")
    client.force_login(admin)

    def change(user):
        return reverse("admin:auth_user_change", args=[user.pk])

    def password(user):
        return reverse("admin:auth_user_password_change", args=[user.pk])

    new_password = {"password1": "Un-nouveau-mot-2passe", "password2": "Un-nouveau-mot-2passe"}
    # A peer's account can be read, not changed: no password, groups, flags or territories.
    page = client.get(change(peer))
    assert page.status_code == 200 and not page.context["has_change_permission"]
    data = change_form_data(client, change(peer))
    before = (peer.password, peer.is_active, list(peer.groups.all()))
    assert client.post(change(peer), {**data, "is_active": ""}).status_code == 403
    assert client.post(change(peer), {**data, "groups": []}).status_code == 403
    assert client.get(password(peer)).status_code == 403
    assert client.post(password(peer), new_password).status_code == 403
    peer.refresh_from_db()
    assert (peer.password, peer.is_active, list(peer.groups.all())) == before
    assert peer.check_password("not-used-with-force-login")
    # Editors' and viewers' accounts stay theirs to manage.
    for user in (editor, viewer):
        assert client.get(change(user)).context["has_change_permission"]
        response = client.post(password(user), new_password)
        assert response.status_code == 302, user
        user.refresh_from_db()
        assert user.check_password("Un-nouveau-mot-2passe")
    response = client.post(change(editor), change_form_data(client, change(editor), is_active=""))
    assert response.status_code == 302
    editor.refresh_from_db()
    assert not editor.is_active
    # A superuser still manages everyone.
    client.force_login(factories.superuser("root"))
    response = client.post(password(peer), new_password)
    assert response.status_code == 302


def test_failed_logins_are_rate_limited(client, db):
    User.objects.create_user("agent", password="le-bon-mot-de-passe", is_staff=True)
    url = reverse("admin:login")
    for _ in range(4):
        response = client.post(url, {"username": "agent", "password": "mauvais"})
        assert response.status_code == 200  # the login form, with its error
    # The fifth failure locks the account out for 15 minutes…
    assert client.post(url, {"username": "agent", "password": "mauvais"}).status_code == 429
    # …even with the right password.
    locked = client.post(url, {"username": "agent", "password": "le-bon-mot-de-passe"})
    assert locked.status_code == 429
    assert "Connexion temporairement bloquée" in locked.content.decode()
    assert "15 minutes" in locked.content.decode()
    # Another account from the same address is not locked.
    User.objects.create_user("autre", password="un-autre-mot-de-passe", is_staff=True)
    response = client.post(url, {"username": "autre", "password": "un-autre-mot-de-passe"})
    assert response.status_code == 302


def test_failed_logins_from_many_addresses_lock_the_account(client, db):
    """Five failures for one account lock it whatever addresses they come from (a botnet)."""
    User.objects.create_user("agent", password="le-bon-mot-de-passe", is_staff=True)
    url = reverse("admin:login")
    for attempt in range(4):
        response = client.post(
            url, {"username": "agent", "password": "mauvais"}, REMOTE_ADDR=f"203.0.113.{attempt}"
        )
        assert response.status_code == 200
    failed = {"username": "agent", "password": "mauvais"}
    assert client.post(url, failed, REMOTE_ADDR="203.0.113.4").status_code == 429
    # Locked for everyone, the right password from yet another address included…
    right = {"username": "agent", "password": "le-bon-mot-de-passe"}
    assert client.post(url, right, REMOTE_ADDR="198.51.100.7").status_code == 429
    # …but not the other accounts.
    User.objects.create_user("autre", password="un-autre-mot-de-passe", is_staff=True)
    other = {"username": "autre", "password": "un-autre-mot-de-passe"}
    assert client.post(url, other, REMOTE_ADDR="203.0.113.4").status_code == 302


def test_migrate_brings_the_groups_up_to_date(db):
    """After every migrate, whatever app comes last in INSTALLED_APPS (with models or not)."""
    from django.core.management import call_command

    Group.objects.filter(name__in=GROUP_NAMES.values()).delete()
    call_command("migrate", verbosity=0)
    assert set(Group.objects.values_list("name", flat=True)) >= set(GROUP_NAMES.values())
