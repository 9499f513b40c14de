"""A module-scoped fixture with every commune of France (imports place rows anywhere).

≈ 35,000 communes take seconds to load: they are loaded once for the module that
uses the fixture, in a transaction of its own rolled back after its last test. Each
test's own transaction is a savepoint inside it, so a test still sees none of
another's rows; the other modules never see these communes. ``tests/conftest.py`` makes
the fixtures available to every test module.
"""

import pytest
from django.db import transaction

from tests import factories


@pytest.fixture(scope="module")
def france(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        factories.reference_territories(None)
    yield
    with django_db_blocker.unblock():
        transaction.set_rollback(True)
        outer.__exit__(None, None, None)


@pytest.fixture(scope="module")
def commune_index(france, django_db_blocker):
    from territories.placing import CommuneIndex

    with django_db_blocker.unblock():
        return CommuneIndex()
