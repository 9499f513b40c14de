"""Two territories, a hub in each, their staff, a manager of the Valenciennes hub,
and photos to upload.

Valenciennes (Valenciennes Métropole, EPCI 245901160) and Calais (Pas-de-Calais):
an editor of one invites, reviews and trusts the managers of its hubs only.
"""

import io

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from backoffice.roles import EDITOR, REGIONAL_ADMIN, VIEWER
from managers.models import HubManager
from territories.models import Commune
from tests import factories

VALENCIENNES_EPCI = "245901160"
CALAIS = "62193"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def hub(db):
    return factories.hub(
        "Serre numérique test",
        slug="serre-test",
        opening_hours="Mo-Fr 09:00-17:00",
        fees="free",
    )


@pytest.fixture
def hub_calais(db):
    return factories.hub(
        "Maison du numérique de Calais",
        slug="maison-calais",
        commune_obj=Commune.objects.get(insee=CALAIS),
    )


def _staff(role, username, **scopes):
    user = factories.staff(role, username, **scopes)
    user.email = f"{username}@example.org"
    user.save()
    return user


@pytest.fixture
def editor(db):
    return _staff(EDITOR, "editeur-valenciennes", epci=[VALENCIENNES_EPCI])


@pytest.fixture
def editor_calais(db):
    return _staff(EDITOR, "editeur-calais", departement=["62"])


@pytest.fixture
def regional_admin(db):
    return _staff(REGIONAL_ADMIN, "admin-region")


@pytest.fixture
def viewer(db):
    return _staff(VIEWER, "elu-lecteur")


@pytest.fixture
def manager(hub, editor):
    user = User.objects.create_user(
        "lea@example.org", email="lea@example.org", password="une serre pleine de plantes"
    )
    HubManager.objects.create(user=user, hub=hub, invited_by=editor)
    return user


@pytest.fixture
def trusted_manager(manager, hub):
    HubManager.objects.filter(user=manager, hub=hub).update(trusted=True)
    return manager


def jpeg_bytes(size=(800, 600), color=(40, 110, 170)) -> bytes:
    image = Image.new("RGB", size, color)
    for x in range(0, size[0], 80):
        image.paste((230, 200, 60), (x, 200, x + 40, 400))
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=90)
    return buffer.getvalue()


@pytest.fixture
def photo():
    return SimpleUploadedFile("atelier.jpg", jpeg_bytes(), content_type="image/jpeg")
