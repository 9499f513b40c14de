import datetime

import pytest
from django.core.management import call_command
from django.utils import timezone

from events import demo
from events.models import Event

pytestmark = pytest.mark.django_db


def test_historical_events_from_the_articles(demo_events):
    maubeuge = demo_events["rencontre-numerique-ruche-maubeuge-2016-07-21"]
    assert timezone.localtime(maubeuge.start).date() == datetime.date(2016, 7, 21)
    assert maubeuge.hub.slug == "ruche-entreprises-maubeuge"
    assert demo_events["grand-nord-digital-forum-2016-roubaix"].commune.name == "Roubaix"
    assert demo_events["grand-nord-digital-forum-amiens"].commune.name == "Amiens"
    assert demo_events["grand-nord-digital-forum-2017-lens"].hub.slug == "louvre-lens-vallee"
    beam = demo_events["beam-me-up-2017"]
    assert "20 porteurs de projet" in beam.summary and "Date indicative" in beam.description
    for slug in [row["slug"] for row in demo.HISTORICAL]:
        assert demo_events[slug].is_past()


def test_illustrative_sessions_are_upcoming_and_say_so(demo_events):
    illustrative = [e for slug, e in demo_events.items() if slug.startswith("demo-")]
    assert len(illustrative) >= 15
    for event in illustrative:
        assert not event.is_past()
        assert "Événement d'illustration" in event.description
    statuses = {e.status for e in illustrative}
    assert {Event.Status.CANCELLED, Event.Status.POSTPONED, Event.Status.FULL} <= statuses


def test_demo_load_is_idempotent_and_moves_forward(demo_events, capsys):
    count = Event.objects.count()
    call_command("load_demo")
    assert f"« events » : 0 créés, 0 mis à jour, {count} inchangés" in capsys.readouterr().out
    later = timezone.localdate() + datetime.timedelta(days=400)
    counts = demo.load(today=later)  # the illustrative events move; the articles' do not
    historical = len(demo.HISTORICAL)
    assert counts == {"created": 0, "updated": count - historical, "unchanged": historical}
    assert Event.objects.count() == count
    session = Event.objects.get(slug="demo-fablab-cote-opale-open-lab-1")
    assert timezone.localdate(session.start) > later
    assert session.sequence == 1  # calendars see the change


def test_events_outside_the_loaded_territories_are_skipped(demo_hubs):
    counts = demo.load()
    assert not Event.objects.filter(slug="grand-nord-digital-forum-amiens").exists()
    assert counts["created"] == Event.objects.count() > 20
