import datetime
import json
import re

import pytest
from django.contrib.auth.models import User
from django.utils import timezone

from backoffice.roles import EDITOR, VIEWER
from events.models import Event
from tests import factories
from tests.events.conftest import assert_hides_the_hub, paris

pytestmark = pytest.mark.django_db


def titles(response) -> list[str]:
    """The event titles listed on an agenda page, unescaped."""
    import html

    content = response.content.decode()
    return [
        html.unescape(t)
        for t in re.findall(r'class="event-card__title"><a href="[^"]+">([^<]+)</a>', content)
    ]


def _jsonld(content: str) -> dict:
    match = re.search(r'<script type="application/ld\+json">(.*?)</script>', content, re.S)
    assert match, "no JSON-LD block"
    return json.loads(match.group(1))


def test_agenda_lists_upcoming_events_grouped_by_day_in_french(client, demo_events):
    response = client.get("/events/")
    assert response.status_code == 200
    content = response.content.decode()
    upcoming = Event.objects.published().upcoming()
    assert f"{upcoming.count()} événements à venir" in content
    first = upcoming.first()
    assert first.title.replace("'", "&#x27;") in content
    # Day headings: « samedi 28 novembre 2026 » (weekday and month in French).
    headings = re.findall(
        r'<h3 class="agenda-day__title"[^>]*><time datetime="([\d-]+)">([^<]+)</time>', content
    )
    assert headings, content[:3000]
    assert re.search(
        r"(lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche) (1er|\d{1,2}) \w+ 20\d\d",
        headings[-1][1],
    )
    days = [day for day, _ in headings]
    assert days == sorted(days) and len(set(days)) == len(days)
    assert "Beam Me Up" not in content  # a past event
    assert "Annulé" in content  # the cancelled meetup is marked


def test_past_events_are_reachable(client, demo_events):
    content = client.get("/events/", {"when": "past"}).content.decode()
    assert "Événements passés" in content
    assert "Beam Me Up" in content
    assert "Rencontre des acteurs du numérique du Val de Sambre" in content
    assert "jeudi 21 juillet 2016" in content


def test_agenda_filters_by_kind_territory_hub_and_dates(client, demo_events):
    found = titles(client.get("/events/", {"kind": "atelier", "territory": "dep:62"}))
    assert set(found) == {"Open lab du jeudi soir", "Le numérique et ses métiers, pour toutes"}
    found = titles(
        client.get(
            "/events/",
            {"hub": "pop-school-valenciennes", "start": "2016-01-01", "end": "2016-12-31"},
        )
    )
    assert found == [  # the first ended in April 2016, the third began in November: both overlap
        "Pop School Valenciennes — première session de six mois",
        "Pop School Valenciennes — deuxième session de six mois",
        "Pop School Valenciennes — troisième session de six mois",
    ]
    found = titles(client.get("/events/", {"start": "2016-07-21", "end": "2016-07-21"}))
    assert "Rencontre des acteurs du numérique du Val de Sambre" in found
    assert titles(client.get("/events/", {"free": "1", "kind": "atelier", "territory": "59"})) == []


def test_agenda_with_a_bad_parameter_is_a_400_page_naming_it(client, demo_events):
    response = client.get("/events/", {"start": "2026-13-45"})
    assert response.status_code == 400
    content = response.content.decode()
    assert "Certains critères ne sont pas valides" in content and "<code>start</code>" in content


def test_month_view_shows_the_month_as_a_table(client, demo_events):
    response = client.get("/events/month/2016/7/")
    assert response.status_code == 200
    content = response.content.decode()
    assert "Juillet 2016" in content
    assert "Rencontre des acteurs du numérique du Val de Sambre" in content
    assert "jeudi 21 juillet 2016" in content.lower()
    assert "<table" in content and 'abbr title="lundi"' in content
    assert client.get("/events/month/2016/13/").status_code == 404
    assert client.get("/events/month/").status_code == 302
    # Beam Me Up started in September: in December it is shown on the 1st.
    assert "Beam Me Up" in client.get("/events/month/2017/12/").content.decode()


def test_event_page_has_json_ld_and_the_add_to_calendar_link(client, demo_events):
    event = demo_events["rencontre-numerique-ruche-maubeuge-2016-07-21"]
    response = client.get(event.get_absolute_url())
    assert response.status_code == 200
    content = response.content.decode()
    assert "Jeudi 21 juillet 2016, 18\u00a0h – 20\u00a0h" in content
    assert f'href="{event.get_ics_url()}"' in content and "Ajouter à mon agenda" in content
    data = _jsonld(content)
    assert data["@type"] == "Event"
    assert data["eventStatus"] == "https://schema.org/EventScheduled"
    assert data["startDate"] == "2016-07-21T18:00:00+02:00"
    assert data["location"]["@type"] == "Place"
    assert data["location"]["address"]["addressLocality"] == "Maubeuge"
    assert data["location"]["geo"]["latitude"] == pytest.approx(50.28, abs=0.05)
    assert data["organizer"]["name"] == "Ruche d'entreprises de Maubeuge"
    assert data["url"] == f"http://testserver{event.get_absolute_url()}"


def test_a_cancelled_event_is_visibly_marked(client, demo_events):
    event = demo_events["demo-louvre-lens-vallee-meetup-culture-numerique"]
    content = client.get(event.get_absolute_url()).content.decode()
    assert "Cet événement n’aura pas lieu." in content
    assert "event-status--cancelled" in content
    assert _jsonld(content)["eventStatus"] == "https://schema.org/EventCancelled"


def test_offers_in_json_ld(client, db):
    event = factories.event(
        start=paris(2030, 3, 2, 10),
        price="7.50",
        registration_url="https://example.org/inscription",
    )
    data = _jsonld(client.get(event.get_absolute_url()).content.decode())
    assert data["offers"] == {
        "@type": "Offer",
        "price": "7.50",
        "priceCurrency": "EUR",
        "url": "https://example.org/inscription",
        "availability": "https://schema.org/InStock",
    }
    assert "7,50\u00a0€" in client.get(event.get_absolute_url()).content.decode()


def test_drafts_are_hidden_from_the_public_but_not_from_staff(client, db):
    event = factories.event(publication=Event.Publication.DRAFT)
    assert client.get(event.get_absolute_url()).status_code == 404
    assert client.get(event.get_ics_url()).status_code == 404
    assert event.title not in client.get("/events/").content.decode()
    client.force_login(User.objects.create_user("staff", password="pw", is_staff=True))
    assert client.get(event.get_absolute_url()).status_code == 404  # staff, but no role
    client.force_login(factories.staff(VIEWER))
    assert "Aperçu réservé" in client.get(event.get_absolute_url()).content.decode()


def test_hub_page_lists_its_upcoming_events_and_links_its_feed(client, demo_events):
    content = client.get("/hubs/fablab-cote-opale-marcel-doret/").content.decode()
    assert "Prochains événements" in content
    assert content.count("Open lab du jeudi soir") == 4
    assert 'href="/hubs/fablab-cote-opale-marcel-doret/events.ics"' in content
    content = client.get("/hubs/antenne-universitaire-maubeuge/").content.decode()
    assert "Aucun événement annoncé pour le moment." in content


def test_home_map_config_has_the_events_layer(client, demo_events):
    content = client.get("/").content.decode()
    config = json.loads(re.search(r'id="map-config"[^>]*>(.*?)</script>', content, re.S).group(1))
    assert config["eventsGeojsonUrl"] == "/api/v1/events.geojson"
    assert 'id="events-layer-toggle"' in content and 'aria-pressed="false"' in content


def test_agenda_has_a_nav_link(client, db):
    content = client.get("/events/").content.decode()
    assert re.search(r'<a href="/events/" aria-current="page">Agenda</a>', content)
    assert timezone.localdate().year >= 2026


def test_organising_hub_choices_follow_the_selection_and_stay_short(client, db, monkeypatch):
    from events import views

    calais = factories.commune(
        insee="62193", name="Calais", dep="62", epci_siren="246200364", postcodes=("62100",)
    )
    here = factories.event(title="Atelier ici")
    there = factories.event(title="Atelier là-bas", hub=factories.hub(commune_obj=calais))
    response = client.get("/events/")
    names = [name for _, name in response.context["hub_choices"]]
    assert names == sorted([here.hub.name, there.hub.name])
    response = client.get("/events/", {"territory": "dep:59"})
    assert [name for _, name in response.context["hub_choices"]] == [here.hub.name]
    # With a hub chosen, the others of the selection stay offered (to switch).
    response = client.get("/events/", {"hub": there.hub.slug})
    assert [name for _, name in response.context["hub_choices"]] == names
    assert f'<option value="{there.hub.slug}" selected>' in response.content.decode()
    assert [e.title for e in response.context["page_obj"]] == ["Atelier là-bas"]
    monkeypatch.setattr(views, "HUB_CHOICES_MAX", 1)
    response = client.get("/events/", {"hub": there.hub.slug})
    content = response.content.decode()
    assert f'<input type="hidden" name="hub" value="{there.hub.slug}">' in content  # kept
    response = client.get("/events/")
    content = response.content.decode()
    assert 'id="id_hub"' not in content and "précisez d’abord où" in content


def test_agenda_pages_follow_the_start_order_and_keep_the_distance(client):
    """The agenda paginates ids, then reads the page's rows: order and annotations hold."""
    hub = factories.hub()  # Valenciennes
    now = timezone.now()
    # Made in a shuffled order: the page must follow the start dates, not the ids.
    for day in [5, 1, 33, 12, 2, 31, *range(3, 5), *range(6, 12), *range(13, 31), 32]:
        factories.event(f"Jour {day:02d}", hub=hub, start=now + datetime.timedelta(days=day))
    first = client.get("/events/")
    assert titles(first) == [f"Jour {day:02d}" for day in range(1, 31)]
    second = client.get("/events/", {"page": 2})
    assert titles(second) == ["Jour 31", "Jour 32", "Jour 33"]
    near = client.get("/events/", {"near": "50.36,3.52", "radius_km": "20", "page": 2})
    assert titles(near) == ["Jour 31", "Jour 32", "Jour 33"]
    distances = re.findall(r'class="event-card__distance">([^<]+)<', near.content.decode())
    assert len(distances) == 3
    assert all(re.fullmatch(r"à (moins de 100|\d+(,\d)?)\sk?m", d) for d in distances), distances


def test_an_unpublished_hub_lends_its_events_neither_name_nor_place(client, hidden_hub_events):
    at_hub, elsewhere = hidden_hub_events
    for event in hidden_hub_events:
        response = client.get(event.get_absolute_url())
        assert response.status_code == 200
        content = response.content.decode()
        assert event.title in content
        assert_hides_the_hub(content)
        data = _jsonld(content)
        assert "organizer" not in data
        assert "url" not in data.get("location", {})
    # Its own venue only, or nothing about the place.
    assert "location" not in _jsonld(client.get(at_hub.get_absolute_url()).content.decode())
    content = client.get(elsewhere.get_absolute_url()).content.decode()
    assert "Salle des fêtes" in content and "1 place d&#x27;Armes" in content
    location = _jsonld(content)["location"]
    assert location["name"] == "Salle des fêtes"
    assert location["address"]["addressLocality"] == "Valenciennes"
    assert location["geo"] == {"@type": "GeoCoordinates", "latitude": 50.35, "longitude": 3.52}
    # Both still listed, without the hub: agenda, month, agenda of the hub's commune.
    for url, params in [
        ("/events/", {}),
        (f"/events/month/{at_hub.start.year}/{at_hub.start.month}/", {}),
        ("/events/", {"when": "all", "q": "atelier"}),
    ]:
        response = client.get(url, params)
        content = response.content.decode()
        assert "Atelier sans lieu public" in content and "Atelier en salle" in content
        assert_hides_the_hub(content)
    assert titles(client.get("/events/", {"territory": "commune:59990"})) == []
    assert titles(client.get("/events/", {"territory": "commune:59606"})) == ["Atelier en salle"]
    # Staff of the hub's territory still preview a draft event there.
    Event.objects.filter(pk=at_hub.pk).update(publication=Event.Publication.DRAFT)
    assert client.get(at_hub.get_absolute_url()).status_code == 404
    client.force_login(factories.staff(EDITOR, epci=["245901160"]))
    assert "Aperçu réservé" in client.get(at_hub.get_absolute_url()).content.decode()


# ------------------------------------------------------------------ the month view's clock


@pytest.fixture
def clock(monkeypatch):
    """``clock(moment)`` freezes ``timezone.now()`` (and so ``localdate()``) at ``moment``."""

    def freeze(moment: datetime.datetime) -> None:
        monkeypatch.setattr(timezone, "now", lambda: moment)

    return freeze


def today_cells(content: str) -> list[str]:
    """The ``<td>`` cells marked as today, each with the date it holds."""
    return re.findall(
        r'<td class="[^"]*month-grid__day--today[^"]*" aria-current="date">\s*'
        r'<p class="month-grid__date"><time datetime="([\d-]+)">',
        content,
    )


def test_month_view_opens_on_this_month_when_something_is_still_to_come(client, clock):
    clock(paris(2026, 4, 10, 12))
    factories.event(start=paris(2026, 4, 20, 18))
    factories.event(start=paris(2026, 5, 5, 18))
    assert client.get("/events/month/")["Location"] == "/events/month/2026/4/"


def test_month_view_opens_on_the_next_month_with_events(client, clock):
    clock(paris(2026, 4, 10, 12))
    factories.event(start=paris(2026, 4, 2, 18))  # this month, but over
    factories.event(start=paris(2026, 7, 14, 10), kind="forum")
    factories.event(start=paris(2026, 8, 1, 10))
    factories.event(start=paris(2026, 9, 1, 10), is_free=True)
    assert client.get("/events/month/")["Location"] == "/events/month/2026/7/"
    # The filters count, and stay in the address.
    response = client.get("/events/month/", {"kind": "atelier", "free": "1"})
    assert response["Location"] == "/events/month/2026/9/?kind=atelier&free=1"


def test_month_view_does_not_jump_more_than_a_year_ahead(client, clock):
    clock(paris(2026, 4, 10, 12))
    factories.event(start=paris(2027, 4, 12, 10))
    assert client.get("/events/month/")["Location"] == "/events/month/2027/4/"
    Event.objects.all().delete()
    factories.event(start=paris(2027, 5, 3, 10))
    assert client.get("/events/month/")["Location"] == "/events/month/2026/4/"
    Event.objects.all().delete()
    assert client.get("/events/month/")["Location"] == "/events/month/2026/4/"


def test_an_ongoing_long_event_keeps_the_month_view_on_this_month(client, clock):
    clock(paris(2026, 4, 10, 12))
    factories.event(start=paris(2026, 2, 2, 9), end=paris(2026, 7, 31, 17))  # six months
    factories.event(start=paris(2026, 8, 1, 10))
    assert client.get("/events/month/")["Location"] == "/events/month/2026/4/"


def test_a_bad_filter_opens_this_month_and_says_why(client, clock):
    clock(paris(2026, 4, 10, 12))
    factories.event(start=paris(2026, 7, 14, 10))
    response = client.get("/events/month/", {"start": "2026-13-45"}, follow=True)
    assert response.redirect_chain[0][0] == "/events/month/2026/4/?start=2026-13-45"
    assert response.status_code == 400


@pytest.mark.parametrize(
    ("utc", "paris_day"),
    [
        # 22:30 UTC on 31 March is 00:30 on 1 April in Paris (summer time, UTC+2).
        (datetime.datetime(2026, 3, 31, 22, 30, tzinfo=datetime.UTC), datetime.date(2026, 4, 1)),
        # 23:30 UTC on 31 October is 00:30 on 1 November (winter time, UTC+1).
        (datetime.datetime(2026, 10, 31, 23, 30, tzinfo=datetime.UTC), datetime.date(2026, 11, 1)),
        # 21:59 UTC on 30 June is still 23:59 on 30 June.
        (datetime.datetime(2026, 6, 30, 21, 59, tzinfo=datetime.UTC), datetime.date(2026, 6, 30)),
    ],
)
def test_today_is_marked_on_the_right_cell_in_paris_time(client, clock, utc, paris_day):
    clock(utc)
    factories.event(start=paris(paris_day.year, paris_day.month, 15, 10))
    location = client.get("/events/month/")["Location"]
    assert location == f"/events/month/{paris_day.year}/{paris_day.month}/"
    content = client.get(location).content.decode()
    assert today_cells(content) == [paris_day.isoformat()]
    assert content.count('aria-current="date"') == 1
    assert content.count('<span class="month-grid__today">aujourd’hui</span>') == 1
    # Another month has no today, even when the grid shows today's date in its
    # first or last week (days of the neighbouring months are left blank).
    previous = (paris_day.replace(day=1) - datetime.timedelta(days=1)).replace(day=1)
    content = client.get(f"/events/month/{previous.year}/{previous.month}/").content.decode()
    assert today_cells(content) == [] and 'aria-current="date"' not in content


# ------------------------------------------------------------------ the next session


@pytest.fixture
def sessions(db):
    """Four sessions of one workshop at the Pop Place (the first full, the second
    cancelled), and the same title at another hub, sooner."""
    hub = factories.hub(name="Pop Place", slug="pop-place")
    other = factories.hub(name="Serre numérique", slug="serre")
    title = "Atelier découverte : l'impression 3D"
    now = timezone.now()

    def session(days, **fields):
        return factories.event(
            title, hub=fields.pop("at", hub), start=now + datetime.timedelta(days=days), **fields
        )

    return {
        "past": session(-14),
        "full": session(3, status=Event.Status.FULL),
        "cancelled": session(10, status=Event.Status.CANCELLED),
        "elsewhere": session(12, at=other),
        "other_title": factories.event(
            "Atelier soudure", hub=hub, start=now + datetime.timedelta(days=13)
        ),
        "draft": session(14, publication=Event.Publication.DRAFT),
        "next": session(17),
        "later": session(31),
    }


def test_a_full_event_links_to_the_next_session(client, sessions):
    content = client.get(sessions["full"].get_absolute_url()).content.decode()
    url = sessions["next"].get_absolute_url()
    assert re.search(
        rf'<strong>Complet.</strong> Il n’y a plus de place. <a class="event-next-session" '
        rf'href="{url}">Prochaine session\u00a0: \w+ \d+',
        content,
    )
    assert (
        f'<a class="button button--secondary" href="{url}">Voir la prochaine session</a>' in content
    )
    for other in ("cancelled", "elsewhere", "other_title", "draft", "later"):
        assert sessions[other].get_absolute_url() not in content, other


def test_a_past_session_links_to_the_next_one_a_scheduled_one_does_not(client, sessions):
    content = client.get(sessions["past"].get_absolute_url()).content.decode()
    assert "Cet événement est passé." in content
    assert f'class="event-next-session" href="{sessions["next"].get_absolute_url()}"' in content
    content = client.get(sessions["next"].get_absolute_url()).content.decode()
    assert "event-next-session" not in content and "prochaine session" not in content


def test_a_full_event_without_a_next_session_says_it_is_full(client, sessions):
    Event.objects.filter(pk__in=[sessions["next"].pk, sessions["later"].pk]).delete()
    content = client.get(sessions["full"].get_absolute_url()).content.decode()
    assert "Il n’y a plus de place." in content
    assert "event-next-session" not in content and "prochaine session" not in content


def test_the_demo_full_workshop_links_to_its_next_session(client, demo_events):
    content = client.get("/events/demo-pop-place-atelier-impression-3d-1/").content.decode()
    assert 'href="/events/demo-pop-place-atelier-impression-3d-2/">Prochaine session' in content


@pytest.mark.parametrize(
    ("query", "count"),
    [
        ("", "0"),
        ("?kind=atelier&kind=formation", "2"),
        # The tab and the place are not in the fold: they do not count.
        ("?when=past&place=Valenciennes&q=atelier", "1"),
    ],
)
def test_the_filters_fold_counts_what_it_holds(client, demo_events, query, count):
    content = client.get("/events/" + query).content.decode()
    assert f'<span class="filters__count" data-count="{count}">' in content
