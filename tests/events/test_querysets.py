import datetime

import pytest
from django.utils import timezone

from events.models import Event
from territories.lookup import resolve_territory
from tests import factories

pytestmark = pytest.mark.django_db
NOW = timezone.now()


def slugs(queryset):
    return [event.slug for event in queryset]


def test_upcoming_includes_ongoing_events_and_past_the_others():
    day = datetime.timedelta(days=1)
    over = factories.event(slug="over", start=NOW - 3 * day)
    ongoing = factories.event(slug="ongoing", start=NOW - day, end=NOW + day)
    soon = factories.event(slug="soon", start=NOW + day)
    later = factories.event(slug="later", start=NOW + 5 * day)
    assert slugs(Event.objects.upcoming(NOW)) == [ongoing.slug, soon.slug, later.slug]
    assert slugs(Event.objects.past(NOW)) == [over.slug]


def test_published_hides_drafts_and_archives():
    factories.event(slug="public")
    factories.event(slug="draft", publication=Event.Publication.DRAFT)
    factories.event(slug="archived", publication=Event.Publication.ARCHIVED)
    assert slugs(Event.objects.published()) == ["public"]


def test_between_keeps_events_overlapping_the_interval():
    day = datetime.timedelta(days=1)
    factories.event(slug="long", start=NOW, end=NOW + 10 * day)
    factories.event(slug="early", start=NOW)
    factories.event(slug="late", start=NOW + 20 * day)
    found = Event.objects.between(NOW + 5 * day, NOW + 6 * day)
    assert slugs(found) == ["long"]


def test_near_and_in_territory_use_the_hub_or_the_events_own_place():
    valenciennes = factories.commune()
    lens = factories.commune(
        insee="62498",
        name="Lens",
        dep="62",
        epci_siren=None,
        postcodes=("62300",),
        lat=50.43,
        lng=2.83,
    )
    at_hub = factories.event(slug="at-hub", hub=factories.hub(commune_obj=valenciennes))
    in_lens = factories.event(
        slug="in-lens", commune=lens, latitude=50.43, longitude=2.83, hub=None
    )
    moved = factories.event(
        slug="moved",
        hub=factories.hub(commune_obj=valenciennes),
        commune=lens,
        latitude=50.43,
        longitude=2.83,
    )
    near_valenciennes = Event.objects.near(50.358, 3.524, 5)
    assert set(slugs(near_valenciennes)) == {at_hub.slug}
    assert near_valenciennes[0].distance < 1
    assert set(slugs(Event.objects.near(50.43, 2.83, 5))) == {in_lens.slug, moved.slug}
    pas_de_calais = resolve_territory("dep:62")
    assert set(slugs(Event.objects.in_territory(pas_de_calais))) == {in_lens.slug, moved.slug}
    nord = resolve_territory("59")
    assert slugs(Event.objects.in_territory(nord)) == [at_hub.slug]


def test_search_ignores_accents_and_case():
    factories.event(slug="forum", title="Forum du numérique")
    factories.event(slug="atelier", title="Atelier soudure")
    assert slugs(Event.objects.search("NUMERIQUE")) == ["forum"]
