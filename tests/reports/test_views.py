"""The residents' forms: a report stored and thanked, robots dropped, a limit per
address, bad input answered with the form (400), never a server error."""

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from reports.models import Report
from territories.models import Commune
from tests import factories

pytestmark = pytest.mark.django_db

GOOD = {"message": "Le lieu est fermé le lundi, pas le mardi."}


def hub_url(hub):
    return reverse("reports:hub", args=[hub.slug])


@pytest.mark.parametrize("name", ["hub", "event", "suggest", "thanks"])
def test_each_form_and_the_thanks_page_open(client, hub_valenciennes, name):
    event = factories.event("Atelier impression 3D", hub=hub_valenciennes, slug="atelier-3d")
    url = {
        "hub": hub_url(hub_valenciennes),
        "event": reverse("reports:event", args=[event.slug]),
        "suggest": reverse("reports:suggest"),
        "thanks": reverse("reports:thanks"),
    }[name]
    response = client.get(url)
    assert response.status_code == 200
    assert b'name="robots" content="noindex"' in response.content


def test_the_hub_and_event_pages_link_to_their_form(client, hub_valenciennes):
    event = factories.event("Atelier impression 3D", hub=hub_valenciennes, slug="atelier-3d")
    page = client.get(hub_valenciennes.get_absolute_url()).content.decode()
    assert f'href="{hub_url(hub_valenciennes)}">Signaler une erreur</a>' in page
    page = client.get(event.get_absolute_url()).content.decode()
    assert f'href="{reverse("reports:event", args=[event.slug])}">Signaler une erreur</a>' in page
    for url in [reverse("home"), reverse("hubs:list")]:
        page = client.get(url).content.decode()
        assert f'href="{reverse("reports:suggest")}">Proposer un lieu</a>' in page


def test_a_report_on_a_hub_is_stored_in_its_commune_and_thanked(client, hub_valenciennes):
    response = client.post(hub_url(hub_valenciennes), GOOD)
    assert response.status_code == 302
    assert response["Location"] == reverse("reports:thanks")
    report = Report.objects.get()
    assert (report.kind, report.hub, report.event) == (Report.Kind.HUB, hub_valenciennes, None)
    assert report.commune_id == hub_valenciennes.commune_id
    assert report.subject_name == hub_valenciennes.name
    assert report.message == GOOD["message"]
    assert (report.status, report.reporter_email, report.language) == ("new", "", "fr")


def test_a_report_on_an_event_belongs_to_its_hubs_commune(client, hub_calais):
    event = factories.event("Café numérique", hub=hub_calais, slug="cafe-numerique")
    response = client.post(reverse("reports:event", args=[event.slug]), GOOD)
    assert response.status_code == 302
    report = Report.objects.get()
    assert (report.kind, report.event, report.hub) == (Report.Kind.EVENT, event, None)
    assert report.commune.insee == "62193"


def test_a_suggested_place_is_located_from_its_postcode_and_city(client):
    data = {
        "name": "Fablab du Beffroi",
        "address": "12 rue Royale",
        "postcode": "62100",
        "city": "calais",
        "message": "Un fablab associatif, ouvert le samedi.",
    }
    response = client.post(reverse("reports:suggest"), data)
    assert response.status_code == 302
    report = Report.objects.get()
    assert report.kind == Report.Kind.NEW_PLACE and report.hub is None and report.event is None
    assert report.commune == Commune.objects.get(insee="62193")
    assert report.suggested_name == report.subject_name == "Fablab du Beffroi"
    assert report.suggested_address == "12 rue Royale, 62100 calais"


def test_a_place_in_an_unknown_city_is_a_form_error(client):
    data = {"name": "X", "postcode": "62100", "city": "Atlantide", "message": "Un lieu."}
    response = client.post(reverse("reports:suggest"), data)
    assert response.status_code == 400
    assert "Commune introuvable" in response.content.decode()
    assert not Report.objects.exists()


def test_the_address_is_kept_only_with_consent(client, hub_valenciennes):
    without = client.post(hub_url(hub_valenciennes), {**GOOD, "email": "lea@example.org"})
    assert without.status_code == 400
    assert "Cochez cette case" in without.content.decode()
    consent_only = client.post(hub_url(hub_valenciennes), {**GOOD, "consent": "on"})
    assert consent_only.status_code == 400
    assert not Report.objects.exists()
    client.post(hub_url(hub_valenciennes), {**GOOD, "email": "lea@example.org", "consent": "on"})
    report = Report.objects.get()
    assert (report.reporter_email, report.contact_consent) == ("lea@example.org", True)


def test_a_report_in_english_is_answered_in_english(client, hub_valenciennes):
    client.post(hub_url(hub_valenciennes), GOOD, headers={"accept-language": "en"})
    assert Report.objects.get().language == "en"


def test_a_filled_honeypot_is_thanked_and_dropped(client, hub_valenciennes, editor_valenciennes):
    response = client.post(hub_url(hub_valenciennes), {**GOOD, "homepage": "http://spam.example"})
    assert response.status_code == 302
    assert response["Location"] == reverse("reports:thanks")
    assert not Report.objects.exists()
    assert mail.outbox == []


def test_the_honeypot_is_hidden_from_people_and_tells_them_to_leave_it_empty(
    client, hub_valenciennes
):
    page = client.get(hub_url(hub_valenciennes)).content.decode()
    hidden = page.index('<div class="visually-hidden" aria-hidden="true">')
    honeypot = page.index('name="homepage"')
    assert hidden < page.index("Laissez ce champ vide") < honeypot
    assert 'tabindex="-1"' in page[honeypot - 100 : honeypot + 100]


def test_the_sixth_report_in_an_hour_from_one_address_is_refused(client, hub_valenciennes):
    for number in range(5):
        response = client.post(hub_url(hub_valenciennes), {"message": f"Erreur {number}"})
        assert response.status_code == 302
    response = client.post(hub_url(hub_valenciennes), {"message": "Erreur 6"})
    assert response.status_code == 429
    assert response["Retry-After"] == "3600"
    page = response.content.decode()
    assert "Trop de messages envoyés depuis cette connexion" in page
    assert "réessayez dans une heure" in page
    assert "Erreur 6" in page  # what was typed is kept
    assert Report.objects.count() == 5
    # Another address is not concerned.
    other = Client(REMOTE_ADDR="203.0.113.7")
    assert other.post(hub_url(hub_valenciennes), GOOD).status_code == 302
    assert Report.objects.count() == 6


def test_the_limit_follows_the_setting(client, settings, hub_valenciennes):
    settings.REPORTS_PER_HOUR = 1
    assert client.post(hub_url(hub_valenciennes), GOOD).status_code == 302
    assert client.post(hub_url(hub_valenciennes), GOOD).status_code == 429


def test_form_errors_do_not_count_against_the_limit(client, hub_valenciennes):
    for _ in range(6):
        assert client.post(hub_url(hub_valenciennes), {"message": ""}).status_code == 400
    assert client.post(hub_url(hub_valenciennes), GOOD).status_code == 302


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"message": ""}, "message"),
        ({"message": "x" * 2001}, "message"),
        ({"message": "nul \x00 byte"}, "message"),
        ({**GOOD, "email": "pas-une-adresse", "consent": "on"}, "email"),
        ({**GOOD, "email": "a" * 250 + "@example.org", "consent": "on"}, "email"),
    ],
)
def test_bad_input_on_an_error_report_is_a_form_error(client, hub_valenciennes, data, field):
    response = client.post(hub_url(hub_valenciennes), data)
    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert f'href="#id_{field}"' in response.content.decode()  # the summary links to it
    assert not Report.objects.exists()


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"name": "n" * 201}, "name"),
        ({"address": "a" * 251}, "address"),
        ({"postcode": "6210"}, "postcode"),
        ({"postcode": "621000"}, "postcode"),
        ({"city": "c" * 101}, "city"),
        ({"message": "m" * 2001}, "message"),
        ({"name": ""}, "name"),
    ],
)
def test_bad_input_on_a_suggestion_is_a_form_error(client, changes, field):
    data = {"name": "Lieu", "postcode": "62100", "city": "Calais", "message": "Un lieu.", **changes}
    response = client.post(reverse("reports:suggest"), data)
    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert not Report.objects.exists()


def test_an_unknown_or_unpublished_record_is_a_404(client, hub_valenciennes):
    draft = factories.hub("Brouillon", slug="brouillon", publication="draft")
    for url in [
        reverse("reports:hub", args=["nulle-part"]),
        reverse("reports:hub", args=[draft.slug]),
        reverse("reports:event", args=["aucun-evenement"]),
    ]:
        assert client.get(url).status_code == 404
        assert client.post(url, GOOD).status_code == 404
    assert not Report.objects.exists()


def test_a_post_without_the_csrf_token_is_refused(hub_valenciennes):
    client = Client(enforce_csrf_checks=True)
    assert client.post(hub_url(hub_valenciennes), GOOD).status_code == 403
    assert not Report.objects.exists()


def test_other_methods_are_refused(client, hub_valenciennes):
    assert client.put(hub_url(hub_valenciennes)).status_code == 405
    assert client.post(reverse("reports:thanks")).status_code == 405


def test_the_form_runs_a_bounded_number_of_queries(
    client, hub_valenciennes, django_assert_max_num_queries
):
    with django_assert_max_num_queries(3):
        client.get(hub_url(hub_valenciennes))


def test_a_robots_tries_count_against_the_limit_too(client, hub_valenciennes):
    for _ in range(5):
        client.post(hub_url(hub_valenciennes), {**GOOD, "homepage": "spam"})
    assert client.post(hub_url(hub_valenciennes), GOOD).status_code == 429
    assert not Report.objects.exists()
