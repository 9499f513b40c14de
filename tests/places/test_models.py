"""places.models.Place, the same on hubs and events."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from events.models import Event
from hubs.models import Hub
from places.models import Publication

pytestmark = pytest.mark.django_db


def test_one_publication_workflow():
    assert Hub.Publication is Event.Publication is Publication
    assert [value for value, _ in Publication.choices] == ["draft", "published", "archived"]


def test_search_text_is_normalised_on_each_save(make_place):
    record = make_place("Forum de l'Œuvre numérique")
    assert " forum de l oeuvre numerique " in record.search_text
    assert "valenciennes" in record.search_text  # the commune (its own, or its hub's)
    if hasattr(record, "title"):
        record.title = "Atelier Été"
    else:
        record.name = "Atelier Été"
    record.save()
    record.refresh_from_db()
    assert record.search_text.startswith(" atelier ete ")


def test_is_published(make_place):
    assert make_place("Publié").is_published
    assert not make_place("Brouillon", publication=Publication.DRAFT).is_published


@pytest.mark.parametrize("field, value", [("latitude", 95.0), ("longitude", -181.0)])
def test_a_point_out_of_range_is_refused_at_each_door(make_place, field, value):
    record = make_place("Hors du monde")
    if getattr(record, field) is None:  # an event at its hub: give it a point of its own
        record.latitude, record.longitude = record.hub.latitude, record.hub.longitude
        record.commune = record.hub.commune
    setattr(record, field, value)
    with pytest.raises(ValidationError) as error:
        record.full_clean()
    assert field in error.value.message_dict
    with pytest.raises(IntegrityError), transaction.atomic():
        record.save()  # the CHECK constraint of each model
