import functools

import pytest
from django.conf import settings
from django.utils import translation

from hubs import demo
from territories.loader import load_reference, read_reference


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


@functools.cache
def _reference():
    return read_reference()


@pytest.fixture
def demo_territories(db):
    """The real communes of the Nord, Pas-de-Calais and Rhône (≈ 1,800)."""
    return load_reference(_reference(), departements=demo.DEMO_DEPARTEMENTS)


@pytest.fixture
def demo_hubs(demo_territories):
    """The hubs of the seed articles, placed in their real communes."""
    demo.load()
    from hubs.models import Hub

    return {hub.slug: hub for hub in Hub.objects.all()}
