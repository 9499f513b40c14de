"""The three back-office roles, as Django groups with their permissions.

- **Éditeurs de territoire**: create, edit and delete the hubs, photos,
  financing plans and events of their territories (EPCI, départements or
  régions given to each account as :class:`~backoffice.models.TerritoryScope`),
  except funded operations and financing lines, which they cannot delete; create
  and edit the funders of their territories (their EPCI, a commune…).
- **Administrateurs régionaux**: everything, in every territory; they publish
  when a review is required, manage reference lists and staff accounts.
- **Lecteurs** (elected officials, funders): read everything, including
  requested funding, and change nothing.

The groups are created (and their permissions brought up to date) after every
``migrate`` and by ``manage.py setup_roles``; an account gets a role from the
admin (Utilisateurs → Groupes) or from that command.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

EDITOR = "editor"
REGIONAL_ADMIN = "regional_admin"
VIEWER = "viewer"

#: Group names, stable: code finds the groups by these names.
GROUP_NAMES = {
    EDITOR: "Éditeurs de territoire",
    REGIONAL_ADMIN: "Administrateurs régionaux",
    VIEWER: "Lecteurs (élus, financeurs)",
}
ROLE_LABELS = {
    EDITOR: _("éditeur de territoire"),
    REGIONAL_ADMIN: _("administrateur régional"),
    VIEWER: _("lecteur"),
}

# Records that belong to a territory (scoped in the admin).
TERRITORIAL = [
    ("hubs", "hub"),
    ("hubs", "hubphoto"),
    ("hubs", "hubindicator"),
    ("hubs", "hubtarget"),
    ("funding", "fundedoperation"),
    ("funding", "financingline"),
    ("events", "event"),
]
# Shared reference lists.
REFERENCE = [
    ("hubs", "hubkind"),
    ("hubs", "equipment"),
    ("hubs", "audience"),
    ("hubs", "label"),
    ("funding", "funder"),
    ("territories", "region"),
    ("territories", "departement"),
    ("territories", "epci"),
    ("territories", "commune"),
]
ALL_ACTIONS = ("add", "change", "delete", "view")
# Residents' reports: they come from the public forms, never added in the admin.
# Staff of the territory handle them (change: close, note) and delete spam;
# readers see them.
REPORTS = [("reports", "report")]
# Hub managers (managers app): staff of the territory invite them, trust them or
# not, and accept or reject their changes; readers see all of it.
MANAGERS = [("managers", "invitation"), ("managers", "hubmanager"), ("managers", "changerequest")]
# Pairs of hubs an import found alike: staff of the territory say what they are.
DUPLICATES = [("hubs", "possibleduplicate")]


def _codes(models, actions):
    return {(app, f"{action}_{model}") for app, model in models for action in actions}


def role_permissions() -> dict[str, set[tuple[str, str]]]:
    """(app label, codename) pairs for each role."""
    # Deleting an operation or a financing line removes money from the record
    # with no trace but its history: a regional administrator's decision.
    # Editors also record the funders of their own territories (their EPCI, its
    # communes, their département…: funding.admin.FunderAdmin checks the territory);
    # the shared ones (EU funds, the State) and merging are the administrators'.
    editor = (
        _codes(TERRITORIAL, ALL_ACTIONS)
        | _codes(REFERENCE, ["view"])
        | {("funding", "add_funder"), ("funding", "change_funder")}
        | _codes(REPORTS, ["view", "change", "delete"])
        | _codes(DUPLICATES, ["view", "change"])
        | {("managers", "add_invitation"), ("managers", "view_invitation")}
        | {("managers", "delete_invitation")}
        | _codes(MANAGERS[1:], ["view", "change"])
        | {("managers", "delete_hubmanager")}
    ) - {
        ("funding", "delete_fundedoperation"),
        ("funding", "delete_financingline"),
    }
    viewer = (
        _codes(TERRITORIAL, ["view"])
        | _codes(REFERENCE, ["view"])
        | _codes(REPORTS, ["view"])
        | _codes(DUPLICATES, ["view"])
        | _codes(MANAGERS, ["view"])
        | {("backoffice", "all_territories")}
    )
    regional_admin = (
        _codes(TERRITORIAL, ALL_ACTIONS)
        | _codes(REFERENCE[:5], ALL_ACTIONS)
        | _codes(REFERENCE[5:], ["view", "change"])
        | _codes(REPORTS, ["view", "change", "delete"])
        | _codes(DUPLICATES, ["view", "change", "delete"])
        | _codes(MANAGERS, ALL_ACTIONS)
        | _codes([("backoffice", "territoryscope")], ALL_ACTIONS)
        | _codes([("auth", "user")], ["add", "change", "view"])
        | _codes([("auth", "group")], ["view"])
        | _codes([("axes", "accessattempt")], ["view", "delete"])
        | _codes([("axes", "accessfailurelog")], ["view"])
        | {
            ("backoffice", "all_territories"),
            ("hubs", "publish_hub"),
            ("events", "publish_event"),
        }
    )
    return {EDITOR: editor, VIEWER: viewer, REGIONAL_ADMIN: regional_admin}


def ensure_roles(verbosity: int = 0, stdout=None) -> dict[str, object]:
    """Create the groups and set exactly their permissions. Idempotent."""
    from django.contrib.auth.models import Group, Permission

    groups = {}
    for role, wanted in role_permissions().items():
        group, created = Group.objects.get_or_create(name=GROUP_NAMES[role])
        apps = {app for app, _ in wanted}
        available = {
            (perm.content_type.app_label, perm.codename): perm
            for perm in Permission.objects.filter(content_type__app_label__in=apps).select_related(
                "content_type"
            )
        }
        missing = wanted - available.keys()
        if missing and verbosity and stdout:
            stdout.write(f"  {group.name}: not yet created: {sorted(missing)}")
        group.permissions.set([available[key] for key in wanted if key in available])
        groups[role] = group
        if verbosity and stdout:
            state = "created" if created else "updated"
            stdout.write(f"{group.name}: {state}, {group.permissions.count()} permissions")
    return groups


def on_post_migrate(sender, app_config=None, using="default", verbosity=1, **kwargs):
    """Bring the groups up to date once every app has its permissions."""
    from django.apps import apps as global_apps

    # post_migrate is sent once per app that has a models module; do the work
    # after the last of them only (an app without models, like pages, gets none).
    last = [config for config in global_apps.get_app_configs() if config.models_module][-1]
    if app_config is not None and app_config.label != last.label:
        return
    ensure_roles()


def role_labels(user) -> list[str]:
    """The account's roles as shown to it (« Mon compte »), superuser first."""
    labels = [_("super-utilisateur (tous les droits)")] if user.is_superuser else []
    by_group = {name: ROLE_LABELS.get(role, name) for role, name in GROUP_NAMES.items()}
    labels += [by_group[group.name] for group in user.groups.all() if group.name in by_group]
    return labels
