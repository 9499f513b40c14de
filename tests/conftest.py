"""What every test shares: the test database's reference territories, a fast
password hasher, French as the starting language, the demo hubs on request, and
test clients whose ``force_login`` passes the staff's second factor."""

import pytest
from django.conf import settings
from django.test import override_settings
from django.utils import translation

from hubs import demo
from tests import factories
from tests.france import commune_index, france  # noqa: F401 (module-scoped: every commune)
from tests.otp import StaffClient


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Each test database (one per xdist worker) gets the reference territories of
    the demo once, after its migrations: the ≈ 1,800 communes of the Nord, the
    Pas-de-Calais and the Rhône, with their EPCI, départements and régions.

    Every test sees them, and what a test changes is rolled back with it. A test
    that needs an empty table empties it in its own transaction; one that needs
    other départements loads them there (``factories.reference_territories``). A
    transactional test's flush removes them: ``demo_territories`` and the browser
    tests' ``live_demo`` load them again.
    """
    with django_db_blocker.unblock():
        factories.reference_territories()


@pytest.fixture(scope="session", autouse=True)
def _fast_password_hasher():
    """MD5 instead of PBKDF2's million rounds: ≈ 0.4 s saved per account created or
    login tried. Set here, for the test run only, so that no environment variable
    can weaken the hashing of a deployed site."""
    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
        yield


@pytest.fixture(autouse=True)
def _default_language():
    """Each test starts and ends in French, the site's default language.

    LocaleMiddleware activates a request's language in the thread and leaves it
    there: after a test client request in English, code called directly (number
    and date formats) would go on in English in the next tests of this worker.
    """
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _reference_data(request, django_db_blocker):
    """Every database test sees the reference territories and the vocabularies of the
    data migration (kinds, equipment, publics, labels), as ``django_db_setup`` left
    them. A transactional test's flush (the browser tests', the backups') empties
    its worker's database: they are loaded again here, committed, before the next
    test's transaction opens (two cheap queries when they are present)."""
    marker = request.node.get_closest_marker("django_db")
    transactional = "transactional_db" in request.fixturenames or (
        marker is not None and marker.kwargs.get("transaction", False)
    )
    if transactional or ("db" not in request.fixturenames and marker is None):
        return
    # Asked for here, by database tests only: a run without any (a file of pure
    # functions alone) creates no test database, and must not load data into one.
    request.getfixturevalue("django_db_setup")
    with django_db_blocker.unblock():
        factories.reference_vocabularies(if_missing=True)
        factories.reference_territories(if_missing=True)


@pytest.fixture
def demo_territories(db):
    """The real communes of the Nord, Pas-de-Calais and Rhône (≈ 1,800).

    Loaded once per test database (``django_db_setup``); this fixture names the
    dependency, and loads them again where a transactional test flushed them, with
    the reference vocabularies of the data migration (kinds, equipment, publics,
    labels), which such a flush removes too.
    """
    factories.reference_vocabularies(if_missing=True)
    return factories.reference_territories(if_missing=True)


@pytest.fixture
def no_territories(db):
    """No territory at all, as on a new site: the test database's are deleted in the
    test's transaction, and come back when it is rolled back."""
    from territories.models import EPCI, Commune, Departement, Region

    for model in (Commune, EPCI, Departement, Region):
        model.objects.all().delete()


@pytest.fixture
def demo_hubs(demo_territories):
    """The hubs of the seed articles, placed in their real communes."""
    demo.load()
    from hubs.models import Hub

    return {hub.slug: hub for hub in Hub.objects.all()}


@pytest.fixture
def demo_funding(demo_hubs):
    """The demo hubs with the demo's funders, operations and lines."""
    from funding import demo as funding_demo

    funding_demo.load()
    return demo_hubs


@pytest.fixture
def client():
    """Django's test client; ``force_login`` also passes the second factor of the
    accounts that must use one (tests/otp.py): the back-office opens as after
    typing the code. ``force_login(user, second_factor=False)`` does not."""
    return StaffClient()


@pytest.fixture
def admin_client(db, admin_user):
    """pytest-django's, logged in with the second factor like ``client``."""
    client = StaffClient()
    client.force_login(admin_user)
    return client
