"""A hub's own iCalendar feed imported as drafts (events/feed_import.py, import_hub_feeds).

The feeds are served by a tiny HTTP server on 127.0.0.1 started here
(tests/stub_server.py): no test touches the network.
"""

import datetime
import io
import zoneinfo

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from events import feed_import
from events.models import Event
from hubs.models import Hub
from tests import factories
from tests.admin_forms import change_form_data
from tests.stub_server import ANY, serve

pytestmark = pytest.mark.django_db

PARIS = zoneinfo.ZoneInfo("Europe/Paris")


FEED = "/agenda.ics"


@pytest.fixture
def feed_server(settings):
    """Serves ``feed_server.answer(ANY, body, status=, content_type=)`` at any path."""
    with serve() as server:
        server.answer(ANY, b"", content_type="text/calendar")
        settings.EVENTS_FEED_TIMEOUT = 2
        yield server


# A day well ahead, whatever day the suite runs.
DAY = (timezone.localdate() + datetime.timedelta(days=40)).replace(day=10)


def ymd(day, delta=0):
    return (day + datetime.timedelta(days=delta)).strftime("%Y%m%d")


def vevent(uid, summary, lines):
    return "\r\n".join(
        ["BEGIN:VEVENT", f"UID:{uid}", "DTSTAMP:20260101T000000Z", f"SUMMARY:{summary}"]
        + lines
        + ["END:VEVENT"]
    )


def three_events(**changes):
    """An all-day event, one with a TZID, one in UTC (``changes``: uid → SUMMARY)."""
    summaries = {
        "fete@hub": "Fête du numérique",
        "atelier@hub": "Atelier Arduino",
        "repair@hub": "Repair café",
        **changes,
    }
    events = {
        "fete@hub": [f"DTSTART;VALUE=DATE:{ymd(DAY)}", f"DTEND;VALUE=DATE:{ymd(DAY, 2)}"],
        "atelier@hub": [
            f"DTSTART;TZID=Europe/Paris:{ymd(DAY, 3)}T140000",
            f"DTEND;TZID=Europe/Paris:{ymd(DAY, 3)}T170000",
            "LOCATION:Salle des machines\\, 1er étage",
            "DESCRIPTION:Premiers pas\\navec Arduino",
        ],
        "repair@hub": [f"DTSTART:{ymd(DAY, 5)}T080000Z", f"DTEND:{ymd(DAY, 5)}T100000Z"],
    }
    return [vevent(uid, summaries[uid], events[uid]) for uid in events if summaries[uid]]


def calendar(*vevents) -> bytes:
    return "\r\n".join(
        ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Test//FR", *vevents, "END:VCALENDAR", ""]
    ).encode()


@pytest.fixture
def hub(feed_server):
    return factories.hub(
        name="Fablab du Hainaut", slug="fablab-hainaut", ical_feed_url=feed_server.url(FEED)
    )


def run(*args) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("import_hub_feeds", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def imported(hub):
    return {event.source_uid: event for event in Event.objects.filter(hub=hub)}


def snapshot(hub):
    return sorted(
        Event.objects.filter(hub=hub).values_list(
            "pk", "source_uid", "title", "start", "end", "status", "publication", "updated_at"
        )
    )


def test_three_events_imported_as_drafts_with_their_times(feed_server, hub):
    feed_server.answer(ANY, calendar(*three_events()), content_type="text/calendar; charset=utf-8")
    out, _ = run()
    assert "fablab-hainaut: 3 created, 0 updated, 0 cancelled, 0 skipped, 0 error(s)" in out
    events = imported(hub)
    assert set(events) == {"fete@hub", "atelier@hub", "repair@hub"}
    assert {event.publication for event in events.values()} == {Event.Publication.DRAFT}
    assert {event.kind for event in events.values()} == {Event.Kind.OTHER}

    fete = events["fete@hub"]  # DTEND exclusive: two days
    assert fete.all_day
    assert fete.start == datetime.datetime.combine(DAY, datetime.time(0, 0), PARIS)
    assert fete.end == datetime.datetime.combine(
        DAY + datetime.timedelta(days=1), datetime.time(23, 59), PARIS
    )
    atelier = events["atelier@hub"]
    assert not atelier.all_day
    assert timezone.localtime(atelier.start).time() == datetime.time(14, 0)
    assert timezone.localtime(atelier.end).time() == datetime.time(17, 0)
    assert atelier.venue_name == "Salle des machines, 1er étage"
    assert atelier.description == "Premiers pas\navec Arduino"
    repair = events["repair@hub"]
    assert repair.start == datetime.datetime.combine(
        DAY + datetime.timedelta(days=5), datetime.time(8, 0), datetime.UTC
    )
    assert repair.source_feed == feed_server.url(FEED)
    reasons = {row.history_change_reason for row in repair.history.all()}
    assert reasons == {f"agenda iCalendar {feed_server.url(FEED)}"}


def test_a_second_run_changes_nothing(feed_server, hub):
    feed_server.answer(ANY, calendar(*three_events()), content_type="text/calendar")
    run()
    before = snapshot(hub)
    history = Event.history.count()
    out, _ = run()
    assert "0 created, 0 updated, 0 cancelled, 0 skipped, 0 error(s) (3 unchanged" in out
    assert snapshot(hub) == before
    assert Event.history.count() == history


def test_a_changed_summary_updates_the_event_and_keeps_staff_choices(feed_server, hub):
    feed_server.answer(ANY, calendar(*three_events()), content_type="text/calendar")
    run()
    atelier = imported(hub)["atelier@hub"]
    Event.objects.filter(pk=atelier.pk).update(
        publication=Event.Publication.PUBLISHED, kind=Event.Kind.WORKSHOP
    )
    feed_server.answer(
        ANY,
        calendar(*three_events(**{"atelier@hub": "Atelier Arduino (complet)"})),
        content_type="text/calendar",
    )
    out, _ = run()
    assert "0 created, 1 updated, 0 cancelled" in out
    atelier = imported(hub)["atelier@hub"]
    assert atelier.title == "Atelier Arduino (complet)"
    assert atelier.publication == Event.Publication.PUBLISHED
    assert atelier.kind == Event.Kind.WORKSHOP
    assert Event.objects.filter(hub=hub).count() == 3
    latest = atelier.history.first()
    assert latest.title == "Atelier Arduino (complet)"
    assert latest.history_change_reason == f"agenda iCalendar {feed_server.url(FEED)}"


def test_removed_upstream_is_cancelled_and_hand_made_events_are_untouched(feed_server, hub):
    by_hand = factories.event("Portes ouvertes", hub=hub)
    past = factories.event(
        "Ancien atelier", hub=hub, start=timezone.now() - datetime.timedelta(days=9)
    )
    Event.objects.filter(pk=past.pk).update(source_uid="ancien@hub")
    feed_server.answer(ANY, calendar(*three_events()), content_type="text/calendar")
    run()
    hand_before = Event.objects.filter(pk__in=[by_hand.pk, past.pk]).values_list()
    hand_before = sorted(hand_before)
    feed_server.answer(
        ANY, calendar(*three_events(**{"repair@hub": ""})), content_type="text/calendar"
    )
    out, _ = run()
    assert "0 created, 0 updated, 1 cancelled" in out
    events = imported(hub)
    assert events["repair@hub"].status == Event.Status.CANCELLED
    assert events["repair@hub"].history.first().history_change_reason.startswith("agenda iCalendar")
    assert events["atelier@hub"].status == Event.Status.SCHEDULED
    assert sorted(Event.objects.filter(pk__in=[by_hand.pk, past.pk]).values_list()) == hand_before
    # Back upstream: scheduled again.
    feed_server.answer(ANY, calendar(*three_events()), content_type="text/calendar")
    run()
    assert imported(hub)["repair@hub"].status == Event.Status.SCHEDULED


def test_an_event_ending_before_it_starts_is_skipped_with_the_form_reason(feed_server, hub):
    bad = vevent(
        "bad@hub",
        "Atelier à l'envers",
        [f"DTSTART:{ymd(DAY, 6)}T120000Z", f"DTEND:{ymd(DAY, 6)}T100000Z"],
    )
    feed_server.answer(ANY, calendar(*three_events(), bad), content_type="text/calendar")
    out, _ = run()
    assert "3 created, 0 updated, 0 cancelled, 1 skipped" in out
    assert "skipped bad@hub (Atelier à l'envers): end: La fin doit être postérieure" in out
    assert "bad@hub" not in imported(hub)


@pytest.mark.parametrize(
    "answer, message",
    [
        ((500, b"oops", "text/plain"), "HTTP 500"),
        ((200, b"<!doctype html><p>Agenda</p>", "text/html"), "not an iCalendar feed"),
        (
            (200, b"BEGIN:VCALENDAR\r\n" + b"X" * feed_import.MAX_FEED_BYTES, "text/calendar"),
            "larger than 2 MB",
        ),
    ],
    ids=["http-500", "not-ical", "too-big"],
)
def test_a_feed_that_fails_leaves_the_hub_untouched(feed_server, hub, answer, message):
    feed_server.answer(ANY, calendar(*three_events()), content_type="text/calendar")
    run()
    Event.objects.filter(source_uid="repair@hub").update(title="Titre local")
    before = snapshot(hub)
    status, body, content_type = answer
    feed_server.answer(ANY, body, status=status, content_type=content_type)
    with pytest.raises(CommandError, match="1 feed"):
        run()
    assert snapshot(hub) == before
    report = feed_import.import_hub(hub)
    assert message in report.error


def test_content_type_does_not_matter(feed_server, hub):
    feed_server.answer(ANY, calendar(*three_events()), content_type="application/octet-stream")
    run()
    assert len(imported(hub)) == 3


def test_dry_run_writes_nothing(feed_server, hub):
    feed_server.answer(ANY, calendar(*three_events()), content_type="text/calendar")
    history = Event.history.count()
    out, _ = run("--dry-run")
    assert "3 created" in out and "dry run: nothing saved" in out
    assert not Event.objects.filter(hub=hub).exists()
    assert Event.history.count() == history


def test_only_the_hub_asked_for(feed_server, hub):
    other = factories.hub(slug="autre-lieu", ical_feed_url=feed_server.url(FEED))
    feed_server.answer(ANY, calendar(*three_events()), content_type="text/calendar")
    run("--hub", "fablab-hainaut")
    assert len(imported(hub)) == 3
    assert not Event.objects.filter(hub=other).exists()
    with pytest.raises(CommandError, match="no hub"):
        run("--hub", "nope")


def test_repeated_events_become_occurrences_within_a_year(feed_server, hub):
    weekly = vevent(
        "club@hub",
        "Club code",
        [
            f"DTSTART;TZID=Europe/Paris:{ymd(DAY)}T180000",
            f"DTEND;TZID=Europe/Paris:{ymd(DAY)}T200000",
            "RRULE:FREQ=WEEKLY;COUNT=4",
            f"EXDATE;TZID=Europe/Paris:{ymd(DAY, 7)}T180000",
        ],
    )
    moved = vevent(
        "club@hub",
        "Club code (salle B)",
        [
            f"RECURRENCE-ID;TZID=Europe/Paris:{ymd(DAY, 14)}T180000",
            f"DTSTART;TZID=Europe/Paris:{ymd(DAY, 15)}T180000",
            f"DTEND;TZID=Europe/Paris:{ymd(DAY, 15)}T200000",
        ],
    )
    yearly = vevent(
        "bday@hub", "Anniversaire", [f"DTSTART;VALUE=DATE:{ymd(DAY)}", "RRULE:FREQ=YEARLY"]
    )
    feed_server.answer(ANY, calendar(weekly, moved, yearly), content_type="text/calendar")
    run()
    events = imported(hub)
    clubs = sorted(
        (e for e in events.values() if e.source_uid.startswith("club@")), key=lambda e: e.start
    )
    assert len(clubs) == 3  # 4 weeks, one excluded
    assert [timezone.localtime(e.start).time() for e in clubs] == [datetime.time(18, 0)] * 3
    assert clubs[1].title == "Club code (salle B)"
    assert timezone.localdate(clubs[1].start) == DAY + datetime.timedelta(days=15)
    assert len([key for key in events if key.startswith("bday@")]) == 1  # within 12 months
    out, _ = run()
    assert "0 created, 0 updated, 0 cancelled" in out


def test_the_hub_admin_saves_the_feed_url(admin_client, db):
    hub = factories.hub()
    url = reverse("admin:hubs_hub_change", args=[hub.pk])
    data = change_form_data(admin_client, url)
    data["ical_feed_url"] = "https://agenda.example.org/lieu.ics"
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert Hub.objects.get(pk=hub.pk).ical_feed_url == "https://agenda.example.org/lieu.ics"
