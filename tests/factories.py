"""Small builders for test data (plain functions: no extra dependency)."""

import datetime
import functools
import itertools

from django.utils import timezone

from events.models import Event
from funding import demo as funding_demo
from funding.models import FinancingLine, FundedOperation, Funder
from hubs.demo import DEMO_DEPARTEMENTS
from hubs.models import Hub, HubKind
from territories.loader import load_reference, read_reference
from territories.models import EPCI, Commune, Departement, Region

_counter = itertools.count(1)


@functools.cache
def _reference_file() -> dict:
    return read_reference()


def reference_territories(departements=DEMO_DEPARTEMENTS, *, if_missing=False):
    """The real territories of ``departements`` (all of France with ``None``), from
    the committed reference file: an upsert, so loading twice changes nothing.

    Every test database starts with the demo's départements (tests/conftest.py);
    ``if_missing`` loads them only where a flush took them away. Returns the
    counts loaded, or ``None`` when nothing was missing.
    """
    if if_missing and Departement.objects.filter(code__in=departements).count() == len(
        departements
    ):
        return None
    return load_reference(_reference_file(), departements=departements)


def reference_vocabularies(*, if_missing=False):
    """The kinds, equipment, publics and labels of the data migration
    (``hubs/migrations/0002``): a transactional test's flush removes them."""
    if if_missing and HubKind.objects.exists():
        return
    import importlib

    from django.apps import apps

    importlib.import_module("hubs.migrations.0002_reference_vocabularies").load(apps, None)


def region(code="32", name="Hauts-de-France"):
    return Region.objects.get_or_create(code=code, defaults={"name": name})[0]


def departement(code="59", name="Nord", region_code="32"):
    return Departement.objects.get_or_create(
        code=code, defaults={"name": name, "region": region(region_code)}
    )[0]


def epci(siren="245901160", name="CA Valenciennes Métropole", kind="CA"):
    return EPCI.objects.get_or_create(siren=siren, defaults={"name": name, "kind": kind})[0]


def commune(
    insee="59606",
    name="Valenciennes",
    dep="59",
    epci_siren="245901160",
    postcodes=("59300",),
    lat=50.35788,
    lng=3.52374,
    population=43468,
):
    return Commune.objects.get_or_create(
        insee=insee,
        defaults={
            "name": name,
            "departement": departement(dep),
            "epci": epci(epci_siren) if epci_siren else None,
            "postcodes": Commune.pack_postcodes(postcodes),
            "latitude": lat,
            "longitude": lng,
            "population": population,
        },
    )[0]


def hub(name=None, kinds=("fablab",), commune_obj=None, lat=None, lng=None, **fields):
    """A published hub in Valenciennes unless told otherwise."""
    number = next(_counter)
    commune_obj = commune_obj or commune()
    fields.setdefault("publication", Hub.Publication.PUBLISHED)
    fields.setdefault("summary", "Un lieu pour apprendre et fabriquer.")
    obj = Hub.objects.create(
        name=name or f"Lieu {number}",
        slug=fields.pop("slug", f"lieu-{number}"),
        commune=commune_obj,
        latitude=commune_obj.latitude if lat is None else lat,
        longitude=commune_obj.longitude if lng is None else lng,
        **fields,
    )
    obj.kinds.set(HubKind.objects.filter(slug__in=kinds))
    return obj


def _valenciennes_hub():
    return hub()  # the builder above: event() and operation() call their argument ``hub``


def event(title=None, hub=None, start=None, hours=2, **fields):
    """A published workshop in three days, at ``hub`` (a Valenciennes hub is made when
    neither a hub nor a commune is given); validated as the admin would."""
    number = next(_counter)
    if hub is None and "commune" not in fields:
        hub = _valenciennes_hub()
    start = start or timezone.now() + datetime.timedelta(days=3)
    fields.setdefault("publication", Event.Publication.PUBLISHED)
    fields.setdefault("kind", Event.Kind.WORKSHOP)
    fields.setdefault("end", start + datetime.timedelta(hours=hours))
    obj = Event(
        title=title or f"Événement {number}",
        slug=fields.pop("slug", f"evenement-{number}"),
        hub=hub,
        start=start,
        **fields,
    )
    obj.full_clean()
    obj.save()
    return obj


def funder(slug="fonds-test", name="Fonds test", category="state", **fields):
    """A funder, created unless one of that slug exists."""
    return Funder.objects.get_or_create(
        slug=slug, defaults={"name": name, "category": category, **fields}
    )[0]


def _test_funder():
    return funder()  # the builder above: line() calls its own argument ``funder``


def demo_funders() -> dict[str, Funder]:
    """The demo's funders (funding/demo.py), without their operations."""
    return {
        slug: Funder.objects.update_or_create(
            slug=slug,
            defaults={
                "name": name,
                "short_name": short_name,
                "category": category,
                "territory_code": territory,
            },
        )[0]
        for slug, name, short_name, category, territory in funding_demo.FUNDERS
    }


def operation(hub=None, title=None, purpose="investment", total_cost=1000, **fields):
    """A funded operation of ``hub`` (a Valenciennes hub is made when none is given)."""
    return FundedOperation.objects.create(
        hub=hub or _valenciennes_hub(),
        title=title or f"Opération {next(_counter)}",
        purpose=purpose,
        total_cost=total_cost,
        **fields,
    )


def line(operation, funder=None, amount=400, status="granted", **fields):
    """A financing line of ``operation`` (by the test funder unless told otherwise)."""
    return FinancingLine.objects.create(
        operation=operation, funder=funder or _test_funder(), amount=amount, status=status, **fields
    )


def superuser(username="admin", password="not-used-with-force-login"):  # noqa: S107
    """A superuser, for the admin pages."""
    from django.contrib.auth.models import User

    return User.objects.create_superuser(username, f"{username}@example.org", password)


def staff(role, username=None, *, epci=(), departement=(), region=()):
    """A staff account with one back-office role and, for editors, territories.

    ``role`` is ``backoffice.roles.EDITOR``, ``REGIONAL_ADMIN`` or ``VIEWER``;
    territories are given by code (EPCI SIREN, département or région code).
    """
    from django.contrib.auth.models import Group, User

    from backoffice.models import TerritoryScope
    from backoffice.roles import GROUP_NAMES, ensure_roles

    if not Group.objects.filter(name=GROUP_NAMES[role]).exists():
        ensure_roles()  # after a flush (live-server tests) the groups are gone
    user = User.objects.create_user(
        username or f"{role}-{next(_counter)}", password="not-used-with-force-login", is_staff=True
    )
    user.groups.add(Group.objects.get(name=GROUP_NAMES[role]))
    for code in epci:
        TerritoryScope.objects.create(user=user, epci_id=code)
    for code in departement:
        TerritoryScope.objects.create(user=user, departement_id=code)
    for code in region:
        TerritoryScope.objects.create(user=user, region_id=code)
    return user
