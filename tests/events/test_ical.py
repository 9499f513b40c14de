"""The iCalendar feeds, read back by two independent parsers: icalendar and vobject."""

import datetime

import icalendar
import pytest
import vobject

from events.ical import event_uid
from events.models import Event
from tests import factories
from tests.events.conftest import assert_hides_the_hub, paris

pytestmark = pytest.mark.django_db
FEED = "/api/v1/events.ics"
UTC = datetime.UTC


def parse_both(response):
    assert response.status_code == 200, response.content[:500]
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    text = response.content.decode("utf-8")
    assert "\r\n" in text  # RFC 5545 line endings
    return icalendar.Calendar.from_ical(text), vobject.readOne(text)


@pytest.fixture
def dst_events(db):
    """Around the change of 25 October 2026 (03:00 CEST → 02:00 CET)."""
    hub = factories.hub(name="Pop Place", street_address="Rue de la Forge")
    before = factories.event(
        slug="avant-le-changement", hub=hub, start=paris(2026, 10, 24, 10), hours=2
    )
    after = factories.event(
        slug="apres-le-changement",
        hub=hub,
        start=paris(2026, 10, 26, 10),
        hours=2,
        status=Event.Status.CANCELLED,
    )
    all_day = factories.event(
        slug="journee",
        hub=hub,
        start=paris(2026, 10, 27, 0),
        end=paris(2026, 10, 28, 23, 59),
        all_day=True,
        status=Event.Status.POSTPONED,
    )
    return before, after, all_day


def test_feed_is_read_by_icalendar_and_vobject_with_right_times_across_dst(client, dst_events):
    before, after, all_day = dst_events
    ical, vcal = parse_both(client.get(FEED, {"start": "2026-10-01"}))
    assert str(ical["VERSION"]) == "2.0" and "Lieux numériques" in str(ical["PRODID"])
    assert str(ical["X-WR-CALNAME"]).startswith("Agenda")
    by_uid = {str(component["UID"]): component for component in ical.walk("VEVENT")}
    assert set(by_uid) == {event_uid(e) for e in dst_events}
    assert event_uid(after) == f"event-{after.pk}@lieux-numeriques.fr"

    # 10:00 in Paris is 08:00Z in summer time and 09:00Z the day after the change.
    assert by_uid[event_uid(before)].decoded("DTSTART") == datetime.datetime(
        2026, 10, 24, 8, tzinfo=UTC
    )
    assert by_uid[event_uid(after)].decoded("DTSTART") == datetime.datetime(
        2026, 10, 26, 9, tzinfo=UTC
    )
    assert by_uid[event_uid(after)].decoded("DTEND") == datetime.datetime(
        2026, 10, 26, 11, tzinfo=UTC
    )
    assert str(by_uid[event_uid(after)]["STATUS"]) == "CANCELLED"
    assert str(by_uid[event_uid(before)]["STATUS"]) == "CONFIRMED"
    assert str(by_uid[event_uid(all_day)]["STATUS"]) == "TENTATIVE"
    # All day: DATE values, DTEND exclusive.
    assert by_uid[event_uid(all_day)].decoded("DTSTART") == datetime.date(2026, 10, 27)
    assert by_uid[event_uid(all_day)].decoded("DTEND") == datetime.date(2026, 10, 29)
    first = by_uid[event_uid(before)]
    assert str(first["URL"]) == "http://testserver/events/avant-le-changement/"
    assert first.decoded("GEO") is not None or first["GEO"]
    assert "Pop Place, Rue de la Forge" in str(first["LOCATION"])
    assert first.decoded("DTSTAMP").tzinfo is not None and "SEQUENCE" in first

    # The second parser agrees.
    vevents = {component.uid.value: component for component in vcal.vevent_list}
    assert set(vevents) == set(by_uid)
    cancelled = vevents[event_uid(after)]
    assert cancelled.status.value == "CANCELLED"
    assert cancelled.dtstart.value == datetime.datetime(2026, 10, 26, 9, tzinfo=UTC)
    assert cancelled.dtstart.value.astimezone(paris(2026, 1, 1).tzinfo).hour == 10
    assert vevents[event_uid(before)].dtstart.value.astimezone(paris(2026, 1, 1).tzinfo).hour == 10
    assert vevents[event_uid(all_day)].dtstart.value == datetime.date(2026, 10, 27)
    assert cancelled.summary.value.startswith("Annulé : ")
    assert cancelled.url.value.endswith("/events/apres-le-changement/")
    lat, lng = (float(x) for x in cancelled.geo.value.split(";"))
    assert (lat, lng) == pytest.approx((50.35788, 3.52374))


def test_uids_are_stable_across_requests_and_the_feed_is_deterministic(client, dst_events):
    first = client.get(FEED, {"start": "2026-10-01"})
    second = client.get(FEED, {"start": "2026-10-01"})
    assert first.content == second.content
    uids = [c["UID"] for c in icalendar.Calendar.from_ical(first.content).walk("VEVENT")]
    assert uids == [c["UID"] for c in icalendar.Calendar.from_ical(second.content).walk("VEVENT")]


def test_feed_has_the_same_filters_as_the_agenda(client, dst_events):
    ical, _ = parse_both(client.get(FEED, {"start": "2026-10-25", "end": "2026-10-26"}))
    assert [str(c["UID"]) for c in ical.walk("VEVENT")] == [event_uid(dst_events[1])]
    response = client.get(FEED, {"when": "soon"})
    assert response.status_code == 400 and "when" in response.json()["errors"]


def test_feed_keeps_recently_ended_events_but_not_old_ones(client, db):
    import django.utils.timezone as tz

    now = tz.now()
    factories.event(slug="hier", start=now - datetime.timedelta(days=1))
    factories.event(slug="il-y-a-un-an", start=now - datetime.timedelta(days=365))
    ical, _ = parse_both(client.get(FEED))
    assert [str(c["URL"]).rsplit("/", 2)[-2] for c in ical.walk("VEVENT")] == ["hier"]


def test_hub_feed_has_only_that_hubs_events(client, dst_events):
    other = factories.event(slug="ailleurs", start=paris(2026, 10, 24, 10))
    hub = dst_events[0].hub
    ical, vcal = parse_both(client.get(f"/hubs/{hub.slug}/events.ics", {"start": "2026-10-01"}))
    assert "Pop Place" in str(ical["X-WR-CALNAME"])
    uids = {str(c["UID"]) for c in ical.walk("VEVENT")}
    assert uids == {event_uid(e) for e in dst_events} and event_uid(other) not in uids
    assert len(vcal.vevent_list) == 3
    assert client.get("/hubs/nope/events.ics").status_code == 404


def test_single_event_download(client, dst_events):
    event = dst_events[0]
    response = client.get(event.get_ics_url())
    ical, vcal = parse_both(response)
    assert response["Content-Disposition"] == f'attachment; filename="{event.slug}.ics"'
    assert [str(c["UID"]) for c in ical.walk("VEVENT")] == [event_uid(event)]
    assert vcal.vevent.summary.value == event.title


def test_sequence_in_the_feed_follows_changes(client, dst_events):
    event = dst_events[0]
    event.start += datetime.timedelta(hours=1)
    event.save()
    ical = icalendar.Calendar.from_ical(client.get(event.get_ics_url()).content)
    assert int(ical.walk("VEVENT")[0]["SEQUENCE"]) == 1


def test_unchanged_feed_answers_304(client, dst_events):
    first = client.get(FEED, {"start": "2026-10-01"})
    etag = first["ETag"]
    assert first["Last-Modified"]
    again = client.get(FEED, {"start": "2026-10-01"}, headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.content == b""
    dst_events[0].title = "Nouveau titre"
    dst_events[0].save()
    assert (
        client.get(FEED, {"start": "2026-10-01"}, headers={"If-None-Match": etag}).status_code
        == 200
    )


def test_feeds_are_capped_and_cached(client, dst_events, monkeypatch):
    from events import views

    monkeypatch.setattr(views, "FEED_MAX_EVENTS", 2)
    ical = icalendar.Calendar.from_ical(client.get(FEED, {"start": "2026-10-01"}).content)
    assert len(ical.walk("VEVENT")) == 2  # the soonest two
    rendered = []
    monkeypatch.setattr(views.ical, "calendar_bytes", lambda *a, **k: rendered.append(1) or b"")
    first = client.get(FEED, {"start": "2026-10-02"})
    second = client.get(FEED, {"start": "2026-10-02"})
    assert len(rendered) == 1 and first.content == second.content


def test_an_unpublished_hub_lends_its_events_no_location_in_any_feed(client, hidden_hub_events):
    at_hub, elsewhere = hidden_hub_events
    for url in (FEED, at_hub.get_ics_url(), elsewhere.get_ics_url()):
        response = client.get(url)
        ical, vcal = parse_both(response)
        assert_hides_the_hub(response.content.decode().replace("\r\n ", ""))  # unfolded
        by_uid = {str(c["UID"]): c for c in ical.walk("VEVENT")}
        if event_uid(at_hub) in by_uid:
            assert "LOCATION" not in by_uid[event_uid(at_hub)]
            assert "GEO" not in by_uid[event_uid(at_hub)]
        if event_uid(elsewhere) in by_uid:
            component = by_uid[event_uid(elsewhere)]
            assert (
                str(component["LOCATION"]) == "Salle des fêtes, 1 place d'Armes, 59300 Valenciennes"
            )
        assert len(vcal.vevent_list) == len(by_uid) >= 1
    assert client.get("/hubs/lieu-secret/events.ics").status_code == 404


#: CR, LF and other control characters (C0, DEL, C1, a Unicode line separator).
CONTROLS = "\r\n\x00\x01\x0b\x0c\x1b\x1f\x7f\x85\u2028"


def test_control_characters_in_titles_and_hub_names_never_break_a_calendar(client, db):
    hub = factories.hub(name="Pop\r\nPlace\x1b du\tNord", slug="pop-place")
    event = factories.event(
        "Atelier\r\nnumérique \x01\x7f libre\x85\u2028fin",
        hub=hub,
        slug="atelier-controle",
        summary="Résumé\rsur\x0bdeux lignes",
        description="Première ligne\r\nDeuxième\x1bligne\u2028Troisième",
        venue_name="Salle\n\x0cBleue",
        street_address="1 rue\r des Arts",
        commune=factories.commune(),
        latitude=50.35,
        longitude=3.52,
    )
    title, hub_name = "Atelier numérique libre fin", "Pop Place du Nord"
    for url in (FEED, event.get_ics_url(), f"/hubs/{hub.slug}/events.ics"):
        response = client.get(url)
        ical, vcal = parse_both(response)
        unfolded = response.content.decode().replace("\r\n ", "")
        assert not any(c in unfolded.replace("\r\n", "") for c in CONTROLS), url
        calname = str(ical["X-WR-CALNAME"])
        assert calname == vcal.contents["x-wr-calname"][0].value, url
        if url == event.get_ics_url():
            assert calname == title
        elif url != FEED:
            assert calname == f"Agenda — {hub_name}"
            assert vcal.contents["x-wr-caldesc"][0].value == f"Événements de {hub_name}."
        (component,) = ical.walk("VEVENT")
        assert str(component["SUMMARY"]) == vcal.vevent.summary.value == title
        location = "Salle Bleue, 1 rue des Arts, 59300 Valenciennes"
        assert str(component["LOCATION"]) == vcal.vevent.location.value == location
        # The description keeps its lines, nothing else.
        description = vcal.vevent.description.value
        assert str(component["DESCRIPTION"]) == description
        assert description.startswith(
            "Résumé sur deux lignes\n\nPremière ligne\nDeuxième ligne\nTroisième\n\n"
        )


def test_long_events_leave_the_time_free_short_ones_are_busy(client, demo_events):
    """A six-month course is not six months of busy time (TRANSP), nor a 48-hour jam;
    a two-hour workshop and a day-long forum are busy time."""
    hub = factories.hub(name="Pop Place")
    start = paris(2027, 3, 1, 9)
    day_long = factories.event(slug="forum-journee", hub=hub, start=start, hours=9)
    just_a_day = factories.event(slug="vingt-quatre-heures", hub=hub, start=start, hours=24)
    over_a_day = factories.event(slug="vingt-cinq-heures", hub=hub, start=start, hours=25)
    by_uid = {
        str(c["UID"]): c
        for c in icalendar.Calendar.from_ical(
            client.get(FEED, {"start": "2016-01-01"}).content
        ).walk("VEVENT")
    }
    transp = {
        slug: str(by_uid[event_uid(e)]["TRANSP"])
        for slug, e in demo_events.items()
        if event_uid(e) in by_uid
    }
    # The six-month Pop School sessions (past and to come), the game jam and an all-day forum.
    for slug in (
        "demo-pop-school-prochaine-session",
        "pop-school-valenciennes-session-1",
        "demo-serre-numerique-game-jam",
        "grand-nord-digital-forum-2016-roubaix",
    ):
        assert transp[slug] == "TRANSPARENT", slug
    session = demo_events["demo-pop-school-prochaine-session"]
    assert (session.end - session.start).days > 150
    for slug in ("demo-pop-place-atelier-impression-3d-1", "demo-fablab-cote-opale-open-lab-1"):
        assert transp[slug] == "OPAQUE", slug
    assert str(by_uid[event_uid(day_long)]["TRANSP"]) == "OPAQUE"
    assert str(by_uid[event_uid(just_a_day)]["TRANSP"]) == "OPAQUE"
    assert str(by_uid[event_uid(over_a_day)]["TRANSP"]) == "TRANSPARENT"
    # vobject reads the same.
    text = client.get(f"/hubs/{session.hub.slug}/events.ics").content.decode()
    vevents = {c.uid.value: c for c in vobject.readOne(text).vevent_list}
    assert vevents[event_uid(session)].transp.value == "TRANSPARENT"
