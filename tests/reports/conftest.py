"""Two territories, a hub in each, their staff, and a clean rate-limit count.

Valenciennes (Valenciennes Métropole, EPCI 245901160) and Calais (Pas-de-Calais):
a resident's report on one reaches its staff, never the other's.
"""

import pytest
from django.core.cache import cache

from backoffice.roles import EDITOR, REGIONAL_ADMIN, VIEWER
from territories.models import Commune
from tests import factories

VALENCIENNES_EPCI = "245901160"
CALAIS = "62193"


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    """The per-address counts live in the cache, which outlives a test: each starts at zero."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def hub_valenciennes(db):
    return factories.hub("Serre numérique test", slug="serre-test")


@pytest.fixture
def hub_calais(db):
    return factories.hub(
        "Maison du numérique de Calais",
        slug="maison-calais",
        commune_obj=Commune.objects.get(insee=CALAIS),
    )


@pytest.fixture
def editor_valenciennes(db):
    user = factories.staff(EDITOR, "editeur-valenciennes", epci=[VALENCIENNES_EPCI])
    user.email = "valenciennes@example.org"
    user.save()
    return user


@pytest.fixture
def editor_calais(db):
    user = factories.staff(EDITOR, "editeur-calais", departement=["62"])
    user.email = "calais@example.org"
    user.save()
    return user


@pytest.fixture
def regional_admin(db):
    user = factories.staff(REGIONAL_ADMIN, "admin-region")
    user.email = "region@example.org"
    user.save()
    return user


@pytest.fixture
def viewer(db):
    user = factories.staff(VIEWER, "elu-lecteur")
    user.email = "elu@example.org"
    user.save()
    return user
