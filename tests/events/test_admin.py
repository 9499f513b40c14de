import pytest

from events.models import Event
from events.services import add_months, shift_local
from tests import factories
from tests.events.conftest import paris

pytestmark = pytest.mark.django_db
CHANGELIST = "/admin/events/event/"


@pytest.fixture
def admin_client(client, db):
    client.force_login(factories.superuser())
    return client


def test_changelist_filters_and_search(admin_client, demo_events):
    response = admin_client.get(CHANGELIST)
    content = response.content.decode()
    assert response.status_code == 200
    for title in ("période", "état", "département", "publication"):
        assert f"Par {title}" in content
    assert "62 — Pas-de-Calais" in content and "80 — Somme" in content
    past = admin_client.get(CHANGELIST, {"when": "past"}).content.decode()
    assert "Beam Me Up" in past and "Open lab du jeudi soir" not in past
    upcoming = admin_client.get(CHANGELIST, {"when": "upcoming"}).content.decode()
    assert "Beam Me Up" not in upcoming and "Open lab du jeudi soir" in upcoming
    somme = admin_client.get(CHANGELIST, {"departement": "80"}).content.decode()
    assert "Amiens" in somme and "Roubaix" not in somme
    lens = admin_client.get(
        CHANGELIST, {"departement": "62", "status": "cancelled"}
    ).content.decode()
    assert "Meetup culture et numérique" in lens and "Open lab" not in lens
    found = admin_client.get(CHANGELIST, {"q": "numerique maubeuge"}).content.decode()
    assert "Rencontre des acteurs du numérique du Val de Sambre" in found
    assert admin_client.get(CHANGELIST, {"start__year": "2016"}).status_code == 200


def test_add_with_end_before_start_is_refused_with_a_message(admin_client, demo_events):
    hub = demo_events["beam-me-up-2017"].hub
    data = {
        "title": "Atelier à l'envers",
        "slug": "atelier-a-l-envers",
        "kind": "atelier",
        "hub": hub.pk,
        "start_0": "21/07/2027",
        "start_1": "18:00:00",
        "end_0": "21/07/2027",
        "end_1": "17:00:00",
        "status": "scheduled",
        "publication": "published",
    }
    response = admin_client.post("/admin/events/event/add/", data)
    assert response.status_code == 200
    assert "La fin doit être postérieure ou égale au début." in response.content.decode()
    assert not Event.objects.filter(slug="atelier-a-l-envers").exists()
    response = admin_client.post("/admin/events/event/add/", dict(data, end_1="20:00:00"))
    assert response.status_code == 302, response.content.decode()[:3000]
    event = Event.objects.get(slug="atelier-a-l-envers")
    assert event.start == paris(2027, 7, 21, 18) and event.hub == hub


def test_change_page_renders_with_the_point_picker(admin_client, demo_events):
    event = demo_events["grand-nord-digital-forum-amiens"]
    response = admin_client.get(f"/admin/events/event/{event.pk}/change/")
    assert response.status_code == 200
    assert 'class="point-picker"' in response.content.decode()


def test_duplicate_as_next_session(admin_client, db):
    event = factories.event(
        slug="atelier-2026-10-20", title="Atelier", start=paris(2026, 10, 20, 10)
    )
    event.audiences.set(Event.audiences.field.related_model.objects.all()[:2])
    # First the intermediate page, with the interval to choose.
    response = admin_client.post(
        CHANGELIST, {"action": "duplicate_as_next_session", "_selected_action": [event.pk]}
    )
    content = response.content.decode()
    assert response.status_code == 200 and "Nouvelle date" in content
    assert "une semaine plus tard" in content
    response = admin_client.post(
        CHANGELIST,
        {
            "action": "duplicate_as_next_session",
            "_selected_action": [event.pk],
            "apply": "1",
            "interval": "1w",
        },
        follow=True,
    )
    assert "1 copie créée en brouillon" in response.content.decode()
    copy = Event.objects.exclude(pk=event.pk).get()
    # 10:00 in Paris a week later, across the DST change of 25 October.
    assert copy.start == paris(2026, 10, 27, 10) and copy.end == paris(2026, 10, 27, 12)
    assert copy.slug == "atelier-2026-10-27"
    assert copy.publication == Event.Publication.DRAFT and copy.sequence == 0
    assert copy.audiences.count() == 2
    # Again: a free slug.
    admin_client.post(
        CHANGELIST,
        {
            "action": "duplicate_as_next_session",
            "_selected_action": [event.pk],
            "apply": "1",
            "interval": "1w",
        },
    )
    assert Event.objects.filter(slug="atelier-2026-10-27-2").exists()


def test_month_shifts_keep_the_day_or_the_months_end():
    assert add_months(paris(2027, 1, 31, 10), 1) == paris(2027, 2, 28, 10)
    assert add_months(paris(2026, 11, 15, 10), 3) == paris(2027, 2, 15, 10)
    assert shift_local(paris(2026, 3, 20, 10), "1m") == paris(2026, 4, 20, 10)
