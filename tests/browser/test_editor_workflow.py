"""A territory editor's day: log in, see only their territory, move a hub, add a photo, publish."""

import io
import json
import re

import pytest
from django.contrib.auth.models import User
from PIL import Image
from playwright.sync_api import expect

from backoffice.roles import EDITOR
from hubs.models import Hub
from tests import factories

PASSWORD = "sambre et meuse 2026"


@pytest.fixture
def photo_file(tmp_path):
    path = tmp_path / "ruche.jpg"
    image = Image.new("RGB", (1200, 800), (40, 110, 170))
    for x in range(0, 1200, 100):  # some structure, so JPEG has something to encode
        image.paste((230, 200, 60), (x, 300, x + 50, 500))
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=90)
    path.write_bytes(buffer.getvalue())
    return path


def test_editor_moves_a_hub_adds_a_photo_and_publishes(
    live_demo, page, photo_file, settings, tmp_path, allow_console_errors
):
    allow_console_errors.append(r"status of 404 .*/hubs/ruche-entreprises-maubeuge/\)$")
    settings.MEDIA_ROOT = tmp_path / "media"
    hub = Hub.objects.get(slug="ruche-entreprises-maubeuge")
    calais = Hub.objects.get(slug="maison-numerique-innovation-calaisis")
    Hub.objects.filter(pk=hub.pk).update(publication=Hub.Publication.DRAFT)
    territory_hubs = set(
        Hub.objects.filter(commune__epci_id=hub.commune.epci_id).values_list("name", flat=True)
    )
    editor = factories.staff(EDITOR, "agent-maubeuge", epci=[hub.commune.epci_id])
    editor.set_password(PASSWORD)
    editor.save()
    assert User.objects.get(username="agent-maubeuge").check_password(PASSWORD)
    public_url = f"{live_demo.url}{hub.get_absolute_url()}"
    assert page.goto(public_url).status == 404  # a draft: not public yet

    # Log in.
    page.goto(live_demo.url + "/admin/")
    page.get_by_label("Nom d’utilisateur").fill("agent-maubeuge")
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Connexion").click()
    todo = page.get_by_role("region", name="À faire dans vos territoires")
    expect(todo).to_contain_text("Maubeuge")
    expect(todo.get_by_role("row", name=re.compile("Lieux en brouillon"))).to_contain_text("1")

    # Only their territory's hubs.
    page.get_by_role("link", name="Lieux", exact=True).first.click()
    rows = page.locator("#result_list tbody tr")
    expect(rows).to_have_count(len(territory_hubs))
    expect(page.locator("#result_list")).not_to_contain_text(calais.name)

    # Open the hub, drag its marker north-west.
    page.get_by_role("link", name=hub.name, exact=True).click()
    picker = page.locator(".point-picker")
    expect(picker).to_have_attribute("data-ready", "true")
    marker = picker.get_by_role("button", name="Position du lieu")
    marker.drag_to(
        picker.locator(".point-picker__map"), target_position={"x": 60, "y": 60}, steps=8
    )
    expect(picker).to_have_attribute("data-picked", "true")
    new_lat = float(page.get_by_label("Latitude").input_value())
    assert new_lat > hub.latitude + 1e-3

    # Add a photo with its alternative text.
    page.get_by_role("button", name="Ajouter une photo", exact=True).click()
    page.locator('input[name="photos-0-image"]').set_input_files(str(photo_file))
    page.locator('[name="photos-0-alt_text"]').fill("La façade de la Ruche, rue de la Croix")

    # Publish and save.
    page.get_by_label("Publication :").select_option("published")
    page.get_by_role("button", name="Enregistrer", exact=True).click()
    expect(page.locator(".messagelist .success")).to_contain_text(hub.name)

    hub.refresh_from_db()
    assert hub.publication == Hub.Publication.PUBLISHED
    assert hub.latitude == pytest.approx(new_lat, abs=1e-6)
    assert hub.photos.count() == 1
    assert hub.history.latest().history_user.username == "agent-maubeuge"

    # The public page shows the change.
    response = page.goto(public_url)
    assert response.status == 200
    photo = page.get_by_role("img", name="La façade de la Ruche, rue de la Croix")
    expect(photo).to_be_visible()
    assert photo.evaluate("img => img.complete && img.naturalWidth > 0")
    place = json.loads(page.locator('script[type="application/ld+json"]').text_content())
    assert place["geo"]["latitude"] == pytest.approx(new_lat, abs=1e-5)
