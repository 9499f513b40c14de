"""Opening hours in OpenStreetMap's syntax: validation, « open now » in Paris time with
the French public holidays, the week in words, and the ``open_now``/``open_at`` filters
of the map, the list and the API (issue 16, item 6)."""

import datetime
import json

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from hubs import hours
from hubs.models import Hub
from tests import factories
from tests.admin_forms import change_form_data

PARIS = hours.PARIS
OFFICE = "Mo-Fr 09:00-12:30,14:00-18:00; Sa 10:00-12:00; PH off"
TUESDAY_10 = datetime.datetime(2026, 12, 1, 10, 0, tzinfo=PARIS)  # a Tuesday
TUESDAY_13 = datetime.datetime(2026, 12, 1, 13, 0, tzinfo=PARIS)
SUNDAY_11 = datetime.datetime(2026, 12, 6, 11, 0, tzinfo=PARIS)
CHRISTMAS_10 = datetime.datetime(2026, 12, 25, 10, 0, tzinfo=PARIS)  # a Friday, public holiday
FRIDAY_19 = datetime.datetime(2026, 12, 4, 19, 0, tzinfo=PARIS)


@pytest.fixture
def frozen(monkeypatch):
    """Freeze ``timezone.now`` (which ``hubs.hours.now`` reads) at a given moment."""

    def freeze(moment: datetime.datetime):
        monkeypatch.setattr(timezone, "now", lambda: moment.astimezone(datetime.UTC))

    return freeze


# --- the parser --------------------------------------------------------------


@pytest.mark.parametrize("value", [OFFICE, "24/7", "Mo-Su 08:00-20:00", 'Tu 14:00-17:00 "atelier"'])
def test_valid_hours_pass_the_validator(value):
    hours.validate_opening_hours(value)


@pytest.mark.parametrize("value", ["Lundi 9h-12h", "Mo-Fr 09:00-18:00 ; fermé en août", "9-18"])
def test_free_text_hours_are_refused_with_a_plain_message(value):
    with pytest.raises(ValidationError) as error:
        hours.validate_opening_hours(value)
    message = error.value.messages[0]
    assert "Horaires illisibles" in message and "Mo-Fr 09:00-18:00" in message
    assert "caractère" in message  # where the parser stopped, not its grammar dump


def test_status_on_a_weekday_morning():
    status = hours.status(OFFICE, TUESDAY_10)
    assert (status.state, status.sentence) == ("open", "Ouvert · ferme à 12 h 30")


def test_status_at_lunch_says_when_it_reopens_today():
    assert hours.status(OFFICE, TUESDAY_13).sentence == "Fermé · ouvre à 14 h"


def test_status_on_a_sunday_opens_tomorrow():
    status = hours.status(OFFICE, SUNDAY_11)
    assert (status.state, status.sentence) == ("closed", "Fermé · ouvre demain à 9 h")


def test_status_on_a_public_holiday_says_so():
    status = hours.status(OFFICE, CHRISTMAS_10)
    assert status.state == "closed" and status.holiday
    assert status.sentence == "Fermé (jour férié) · ouvre demain à 10 h"


def test_status_on_friday_evening_names_the_weekday():
    assert hours.status("Mo-Fr 09:00-18:00", FRIDAY_19).sentence == "Fermé · ouvre lundi à 9 h"


def test_status_is_computed_in_paris_time_whatever_the_input_zone():
    utc = datetime.datetime(2026, 12, 1, 8, 30, tzinfo=datetime.UTC)  # 9:30 in Paris
    assert hours.status(OFFICE, utc).state == "open"
    assert hours.is_open(OFFICE, utc)
    assert not hours.is_open(OFFICE, datetime.datetime(2026, 12, 1, 7, 30, tzinfo=datetime.UTC))


def test_status_without_or_with_unreadable_hours_is_none():
    assert hours.status("", TUESDAY_10) is None
    assert hours.status("Lundi 9h", TUESDAY_10) is None
    assert not hours.is_open("Lundi 9h", TUESDAY_10)


def test_always_open_never_closes():
    assert hours.status("24/7", TUESDAY_10).sentence == "Ouvert · ouvert en continu"


def test_the_week_in_words_from_today():
    week = hours.week(OFFICE, datetime.datetime(2026, 12, 24, 9, 0, tzinfo=PARIS))  # Thursday
    assert [day.name for day in week][:3] == ["jeudi", "vendredi", "samedi"]
    assert week[0].is_today and week[0].hours == "9 h – 12 h 30, 14 h – 18 h"
    assert week[1].holiday and week[1].hours == "fermé" and not week[1].is_open  # Christmas
    assert week[2].hours == "10 h – 12 h"
    assert week[3].hours == "fermé"  # Sunday
    assert len(week) == 7


def test_admin_preview_reads_the_value_in_french():
    lines = hours.preview(OFFICE, TUESDAY_10)
    assert lines[0] == "Mardi : 9 h – 12 h 30, 14 h – 18 h"
    assert lines[5] == "Dimanche : fermé"


# --- the model and the admin -------------------------------------------------


@pytest.mark.django_db
def test_model_refuses_unparsable_hours(demo_territories):
    hub = factories.hub(opening_hours="Lundi au vendredi 9h-18h")
    with pytest.raises(ValidationError) as error:
        hub.full_clean()
    assert "opening_hours" in error.value.message_dict


@pytest.mark.django_db
def test_online_access_needs_a_booking_link(demo_territories):
    hub = factories.hub(access_modes=[Hub.AccessMode.ONLINE])
    with pytest.raises(ValidationError) as error:
        hub.full_clean()
    assert "booking_url" in error.value.message_dict
    hub.access_modes = ["teleport"]
    with pytest.raises(ValidationError) as error:
        hub.full_clean()
    assert "access_modes" in error.value.message_dict


@pytest.mark.django_db
def test_acceslibre_link_must_be_an_acceslibre_record(demo_territories):
    hub = factories.hub(acceslibre_url="https://example.org/fiche")
    with pytest.raises(ValidationError) as error:
        hub.full_clean()
    assert "acceslibre_url" in error.value.message_dict


@pytest.mark.django_db
def test_admin_form_error_on_bad_hours_leaves_the_hub_untouched(client, demo_hubs):
    client.force_login(factories.superuser())
    hub = Hub.objects.get(slug="serre-numerique")
    before = hub.opening_hours
    url = f"/admin/hubs/hub/{hub.pk}/change/"
    page = client.get(url).content.decode()
    assert "Lecture en clair" in page and "8 h – 19 h" in page  # the preview of the saved value
    response = client.post(url, change_form_data(client, url, opening_hours="Lundi 9h-18h"))
    assert response.status_code == 200
    assert "Horaires illisibles" in response.content.decode()
    hub.refresh_from_db()
    assert hub.opening_hours == before


@pytest.mark.django_db
def test_admin_saves_hours_and_access(client, demo_hubs):
    client.force_login(factories.superuser())
    hub = Hub.objects.get(slug="serre-numerique")
    url = f"/admin/hubs/hub/{hub.pk}/change/"
    data = change_form_data(
        client,
        url,
        opening_hours="Mo-Fr 10:00-17:00",
        fees="paid",
        fees_details="Adhésion 20 € par an",
        access_modes=["walk_in", "online"],
        booking_url="https://rdv.example.org/serre",
        wheelchair="yes",
        acceslibre_url="https://acceslibre.beta.gouv.fr/app/59-valenciennes/a/x/erp/serre/",
    )
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    hub.refresh_from_db()
    assert hub.opening_hours == "Mo-Fr 10:00-17:00"
    assert hub.access_modes == ["walk_in", "online"] and hub.wheelchair == "yes"


# --- the hub page ------------------------------------------------------------


@pytest.mark.django_db
def test_hub_page_says_open_now_and_shows_the_week(client, demo_territories, frozen):
    frozen(TUESDAY_10)
    hub = factories.hub(
        opening_hours=OFFICE,
        opening_hours_note="Fermé en août.",
        fees="conditional",
        fees_details="gratuit pour les demandeurs d'emploi",
        access_modes=["walk_in", "phone"],
        description="Un atelier ouvert à tous.",
    )
    content = client.get(hub.get_absolute_url()).content.decode()
    assert "<strong>Ouvert</strong> · ferme à 12 h 30" in content
    assert 'aria-current="date"' in content and "Mardi" in content
    assert "Fermé en août." in content
    assert (
        "Gratuit sous condition — <span>gratuit pour les demandeurs d&#x27;emploi</span>" in content
    )
    assert "Sans rendez-vous : présentez-vous" in content
    assert content.count("non renseigné") == 1  # wheelchair access unknown, not « non »
    # Practical information comes before the description and the money.
    assert content.index('id="hours"') < content.index('id="about"')


@pytest.mark.django_db
def test_hub_page_without_hours_says_so(client, demo_territories):
    hub = factories.hub(description="Un lieu.")
    content = client.get(hub.get_absolute_url()).content.decode()
    assert "Horaires non renseignés" in content
    assert "open-state" not in content


@pytest.mark.django_db
def test_list_card_shows_the_open_state(client, demo_territories, frozen):
    frozen(SUNDAY_11)
    factories.hub(name="Atelier ouvert le dimanche", opening_hours="Su 10:00-12:00")
    factories.hub(name="Bureau", opening_hours=OFFICE)
    content = client.get("/hubs/").content.decode()
    assert "<strong>Ouvert</strong> · ferme à 12 h" in content
    assert "<strong>Fermé</strong> · ouvre demain à 9 h" in content


# --- the filters -------------------------------------------------------------


@pytest.fixture
def three_hubs(demo_territories):
    return {
        "office": factories.hub(name="Permanence du mardi", opening_hours=OFFICE),
        "sunday": factories.hub(name="Dimanche", opening_hours="Su 10:00-12:00"),
        "unknown": factories.hub(name="Sans horaires"),
    }


def _geojson_names(client, **params):
    response = client.get("/api/v1/hubs.geojson", params)
    assert response.status_code == 200
    return sorted(f["properties"]["name"] for f in json.loads(response.content)["features"])


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("moment", "expected"),
    [(TUESDAY_10, ["Permanence du mardi"]), (SUNDAY_11, ["Dimanche"]), (CHRISTMAS_10, [])],
)
def test_open_now_filters_the_api_with_the_frozen_clock(
    client, three_hubs, frozen, moment, expected
):
    frozen(moment)
    assert _geojson_names(client, open_now="1") == expected
    assert len(_geojson_names(client, open_now="0")) == 3  # « 0 » does not filter


@pytest.mark.django_db
def test_open_at_filters_the_list_the_map_and_the_api(client, three_hubs):
    at = "2026-12-06T11:00:00+01:00"  # Sunday
    assert _geojson_names(client, open_at=at) == ["Dimanche"]
    assert _geojson_names(client, open_at="2026-12-01T10:00") == [
        "Permanence du mardi"
    ]  # naive: Paris
    listing = client.get("/hubs/", {"open_at": at}).content.decode()
    assert "Dimanche" in listing and "Permanence du mardi" not in listing
    assert client.get("/", {"open_at": at}).status_code == 200
    csv = client.get("/api/v1/hubs.csv", {"open_at": at}).content.decode()
    assert "Dimanche" in csv and "Permanence du mardi" not in csv


@pytest.mark.django_db
def test_open_now_answer_changes_with_the_clock_not_only_the_data(client, three_hubs, frozen):
    frozen(TUESDAY_10)
    first = client.get("/api/v1/hubs.geojson", {"open_now": "1"})
    frozen(SUNDAY_11)
    second = client.get("/api/v1/hubs.geojson", {"open_now": "1"}, HTTP_IF_NONE_MATCH=first["ETag"])
    assert second.status_code == 200 and second["ETag"] != first["ETag"]
    assert [f["properties"]["name"] for f in json.loads(second.content)["features"]] == ["Dimanche"]


@pytest.mark.django_db
@pytest.mark.parametrize("value", ["demain", "2026-13-01T10:00", "x" * 300])
@pytest.mark.parametrize("name", ["open_at", "open_now"])
def test_bad_open_filters_are_a_400(client, three_hubs, name, value):
    assert client.get("/api/v1/hubs.geojson", {name: value}).status_code == 400
    assert client.get("/hubs/", {name: value}).status_code == 400


@pytest.mark.django_db
def test_free_and_wheelchair_filters(client, demo_territories):
    factories.hub(name="Gratuit et accessible", fees="free", wheelchair="yes")
    factories.hub(name="Payant", fees="paid", wheelchair="no")
    factories.hub(name="Inconnu")
    assert _geojson_names(client, free="1") == ["Gratuit et accessible"]
    assert _geojson_names(client, wheelchair="1") == ["Gratuit et accessible"]


@pytest.mark.django_db
def test_open_now_costs_one_more_query(client, three_hubs, django_assert_max_num_queries, frozen):
    frozen(TUESDAY_10)
    client.get("/api/v1/hubs.geojson")  # warm the vocabulary version
    with django_assert_max_num_queries(6):
        assert client.get("/api/v1/hubs.geojson", {"open_now": "1"}).status_code == 200


@pytest.mark.django_db
def test_open_at_search_shows_the_state_at_that_moment(client, three_hubs, frozen):
    frozen(SUNDAY_11)  # now: the weekday office is closed
    content = client.get("/hubs/", {"open_at": "2026-12-01T10:00"}).content.decode()
    assert "ouverts le mardi 1 décembre à 10 h" in content
    assert "<strong>Ouvert</strong> · ferme à 12 h 30" in content  # Tuesday 10:00, not now
    assert "<strong>Fermé</strong>" not in content
    content = client.get("/hubs/", {"open_now": "1"}).content.decode()
    assert "ouverts maintenant" in content


@pytest.mark.django_db
def test_nothing_open_offers_the_same_search_open_or_not(client, three_hubs, frozen):
    frozen(CHRISTMAS_10)  # a public holiday: nothing is open
    content = client.get("/hubs/", {"open_now": "1", "place": "Valenciennes"}).content.decode()
    assert "Seuls les lieux ouverts au moment demandé sont comptés." in content
    assert (
        '<a href="/hubs/?place=Valenciennes">y compris les lieux fermés à ce moment</a>' in content
    )
