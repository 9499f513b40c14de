import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from events.admin import EventAdminForm
from events.models import Event
from tests import factories
from tests.events.conftest import paris

pytestmark = pytest.mark.django_db


def test_end_before_start_is_refused_by_full_clean():
    hub = factories.hub()
    event = Event(
        title="À l'envers",
        slug="a-l-envers",
        kind=Event.Kind.WORKSHOP,
        hub=hub,
        start=paris(2026, 7, 21, 18),
        end=paris(2026, 7, 21, 17),
    )
    with pytest.raises(ValidationError) as error:
        event.full_clean()
    assert error.value.message_dict["end"] == ["La fin doit être postérieure ou égale au début."]


def test_end_before_start_is_refused_by_the_database():
    event = factories.event(start=paris(2026, 7, 21, 18))
    with pytest.raises(IntegrityError), transaction.atomic():
        Event.objects.filter(pk=event.pk).update(end=paris(2026, 7, 21, 17))


def test_end_before_start_is_refused_by_the_admin_form():
    hub = factories.hub()
    form = EventAdminForm(
        data={
            "title": "Atelier",
            "slug": "atelier",
            "kind": "atelier",
            "hub": hub.pk,
            "start_0": "21/07/2026",
            "start_1": "18:00",
            "end_0": "21/07/2026",
            "end_1": "17:00",
            "status": "scheduled",
            "publication": "published",
        }
    )
    assert not form.is_valid()
    assert "end" in form.errors


def test_a_zero_length_event_is_allowed():
    event = factories.event(start=paris(2026, 7, 21, 18), hours=0)
    assert event.start == event.end


def test_an_event_needs_a_hub_or_a_located_venue():
    commune = factories.commune()
    event = Event(
        title="Nulle part",
        slug="nulle-part",
        kind=Event.Kind.FORUM,
        start=paris(2026, 7, 21, 9),
        end=paris(2026, 7, 21, 17),
    )
    with pytest.raises(ValidationError) as error:
        event.full_clean()
    assert "hub" in error.value.message_dict
    with pytest.raises(IntegrityError), transaction.atomic():
        event.save()
    event.commune = commune
    event.latitude, event.longitude = commune.latitude, commune.longitude
    event.full_clean()
    event.save()
    assert event.place_commune == commune and event.place_point == (50.35788, 3.52374)


def test_half_a_point_and_a_free_event_with_a_price_are_refused():
    with pytest.raises(ValidationError) as error:
        factories.event(latitude=50.1)
    assert "longitude" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        factories.event(is_free=True, price=Decimal("5"))
    assert "price" in error.value.message_dict


def test_the_hub_gives_its_place_unless_the_event_has_its_own():
    hub = factories.hub(name="Pop Place", street_address="Rue de la Forge", postcode="59300")
    at_hub = factories.event(hub=hub)
    assert at_hub.place_point == (hub.latitude, hub.longitude)
    assert at_hub.location_text() == "Pop Place, Rue de la Forge, 59300 Valenciennes"
    lens = factories.commune(
        insee="62498",
        name="Lens",
        dep="62",
        epci_siren=None,
        postcodes=("62300",),
        lat=50.43,
        lng=2.83,
    )
    elsewhere = factories.event(
        hub=hub, commune=lens, latitude=50.43, longitude=2.83, venue_name="Salle des fêtes"
    )
    assert elsewhere.place_commune == lens and elsewhere.place_point == (50.43, 2.83)
    assert elsewhere.location_text() == "Salle des fêtes, 62300 Lens"
    assert elsewhere.organizer_name == "Pop Place"


def test_deleting_a_hub_with_events_is_refused():
    from django.db.models import ProtectedError

    event = factories.event()
    with pytest.raises(ProtectedError):
        event.hub.delete()


def test_sequence_goes_up_when_the_date_place_or_status_changes():
    event = factories.event(start=paris(2026, 7, 21, 18))
    assert event.sequence == 0
    event.summary = "Une phrase de plus."
    event.save()
    assert event.sequence == 0  # nothing a calendar shows in its grid
    event.start += datetime.timedelta(hours=1)
    event.end += datetime.timedelta(hours=1)
    event.save()
    assert event.sequence == 1
    event.status = Event.Status.CANCELLED
    event.save()
    event.refresh_from_db()
    assert event.sequence == 2


def test_search_text_ignores_accents():
    event = factories.event(title="Atelier Électronique", hub=factories.hub(name="Pépinière"))
    assert "electronique" in event.search_text and "pepiniere" in event.search_text
