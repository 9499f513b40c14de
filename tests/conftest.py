import functools

import pytest

from hubs import demo
from territories.loader import load_reference, read_reference


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
