"""The address lookup of the admin's point picker: BAN first, the commune's point else.

No test touches the network: ``urlopen`` is patched, and the suite's default
``GEOCODER_URL`` is empty.
"""

import json
import urllib.error
from unittest import mock
from urllib.parse import parse_qs, urlsplit

import pytest
from django.contrib.auth.models import User
from django.urls import reverse

from hubs.geocoding import geocode
from tests import factories

pytestmark = pytest.mark.django_db

BAN_URL = "https://api-adresse.data.gouv.fr/search/"
FALLBACK = "Adresse introuvable ou service indisponible : position de la commune utilisée."


def ban_answer(citycode="59606", score=0.93, lon=3.5241, lat=50.3577, label=None):
    label = label or "12 Rue de Famars 59300 Valenciennes"
    return {
        "type": "FeatureCollection",
        "version": "draft",
        "features": [
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [lon, lat]},
                "properties": {
                    "label": label,
                    "score": score,
                    "housenumber": "12",
                    "id": "59606_2150_00012",
                    "name": "12 Rue de Famars",
                    "postcode": "59300",
                    "citycode": citycode,
                    "city": "Valenciennes",
                    "type": "housenumber",
                },
            }
        ],
        "query": "12 rue de Famars",
    }


def response(body, status=200):
    """What ``urlopen`` returns, as a context manager."""
    if not isinstance(body, bytes):
        body = json.dumps(body).encode()
    fake = mock.MagicMock(status=status)
    fake.read.return_value = body
    fake.__enter__.return_value = fake
    return fake


@pytest.fixture
def valenciennes():
    return factories.commune()


@pytest.fixture
def ban(settings):
    settings.GEOCODER_URL = BAN_URL
    settings.GEOCODER_TIMEOUT = 2.5
    settings.GEOCODER_MIN_SCORE = 0.4
    with mock.patch("urllib.request.urlopen") as urlopen:
        yield urlopen


def sent(urlopen):
    """The query string of the one request made, and its timeout."""
    urlopen.assert_called_once()
    request = urlopen.call_args.args[0]
    return request, parse_qs(urlsplit(request.full_url).query), urlopen.call_args.kwargs


# ------------------------------------------------------------------ the client


def test_a_ban_answer_gives_the_address_point(ban, valenciennes):
    ban.return_value = response(ban_answer())

    result = geocode("12 rue de Famars", valenciennes, "59300")

    assert result.source == "ban"
    assert (result.lat, result.lng) == (50.3577, 3.5241)
    assert result.label == "12 Rue de Famars 59300 Valenciennes"
    assert result.score == 0.93
    assert result.message == (
        "Position trouvée : 12 Rue de Famars 59300 Valenciennes (Base Adresse Nationale). "
        "Déplacez le marqueur pour préciser."
    )
    request, query, kwargs = sent(ban)
    assert request.full_url.startswith(BAN_URL + "?")
    assert query["q"] == ["12 rue de Famars 59300 Valenciennes"]
    assert query["limit"] == ["1"]
    assert query["citycode"] == ["59606"]
    assert query["postcode"] == ["59300"]
    assert kwargs["timeout"] == 2.5
    assert request.get_header("User-agent")


def test_a_postcode_of_another_commune_is_not_sent(ban, valenciennes):
    ban.return_value = response(ban_answer())
    geocode("12 rue de Famars, Valenciennes", valenciennes, "62300")
    _, query, _ = sent(ban)
    assert "postcode" not in query
    assert query["q"] == ["12 rue de Famars, Valenciennes 62300"]


def raise_(error):
    def side_effect(*args, **kwargs):
        raise error

    return side_effect


@pytest.mark.parametrize(
    "answer",
    [
        pytest.param(raise_(TimeoutError("timed out")), id="timeout"),
        pytest.param(raise_(urllib.error.URLError(TimeoutError())), id="connect-timeout"),
        pytest.param(raise_(urllib.error.URLError("no route to host")), id="urlerror"),
        pytest.param(raise_(ConnectionResetError()), id="reset"),
        pytest.param(
            raise_(urllib.error.HTTPError(BAN_URL, 500, "Server Error", {}, None)), id="http-500"
        ),
        pytest.param(
            raise_(urllib.error.HTTPError(BAN_URL, 503, "Unavailable", {}, None)), id="http-503"
        ),
        pytest.param(lambda *a, **k: response(ban_answer(), status=204), id="status-204"),
        pytest.param(lambda *a, **k: response(b"<html>oops</html>"), id="not-json"),
        pytest.param(lambda *a, **k: response(b"\xff\xfe\x00"), id="not-utf8"),
        pytest.param(lambda *a, **k: response([1, 2]), id="json-list"),
        pytest.param(lambda *a, **k: response({"features": None}), id="features-null"),
        pytest.param(
            lambda *a, **k: response({"type": "FeatureCollection", "features": []}),
            id="no-feature",
        ),
        pytest.param(lambda *a, **k: response(ban_answer(score=0.31)), id="low-score"),
        pytest.param(lambda *a, **k: response(ban_answer(score="NaN")), id="nan-score"),
        pytest.param(lambda *a, **k: response(ban_answer(citycode="59350")), id="other-commune"),
        pytest.param(lambda *a, **k: response(ban_answer(lat=123.0)), id="bad-latitude"),
        pytest.param(lambda *a, **k: response(ban_answer(lon="east")), id="bad-longitude"),
        pytest.param(lambda *a, **k: response(b"{" + b" " * 300_000 + b"}"), id="too-large"),
    ],
)
def test_anything_but_a_good_answer_gives_the_commune_point(ban, valenciennes, answer):
    ban.side_effect = answer

    result = geocode("12 rue de Famars", valenciennes, "59300")

    ban.assert_called_once()
    assert result.source == "commune"
    assert (result.lat, result.lng) == (valenciennes.latitude, valenciennes.longitude)
    assert result.label == "Valenciennes (59300)"
    assert result.score is None
    assert result.message == f"{FALLBACK} Déplacez le marqueur sur le bâtiment."


def test_the_minimum_score_is_a_setting(ban, valenciennes, settings):
    settings.GEOCODER_MIN_SCORE = 0.2
    ban.return_value = response(ban_answer(score=0.31))
    assert geocode("12 rue de Famars", valenciennes).source == "ban"


def test_an_empty_url_never_calls_the_network(settings, valenciennes):
    settings.GEOCODER_URL = ""
    with mock.patch("urllib.request.urlopen") as urlopen:
        result = geocode("12 rue de Famars", valenciennes, "59300")
    urlopen.assert_not_called()
    assert result.source == "commune"
    assert (result.lat, result.lng) == (50.35788, 3.52374)


def test_the_test_runner_default_is_offline():
    from django.conf import settings

    assert settings.GEOCODER_URL == ""


@pytest.mark.parametrize("url", ["file:///etc/passwd", "ftp://example.org/", "nonsense"])
def test_only_http_urls_are_asked(settings, valenciennes, url):
    settings.GEOCODER_URL = url
    with mock.patch("urllib.request.urlopen") as urlopen:
        assert geocode("12 rue de Famars", valenciennes).source == "commune"
    urlopen.assert_not_called()


def test_no_address_gives_the_commune_point_without_asking(ban, valenciennes):
    result = geocode("  \t ", valenciennes, "59300")
    ban.assert_not_called()
    assert result.source == "commune"
    assert result.message.startswith("Aucune adresse saisie : position de la commune utilisée.")


def test_a_commune_without_a_point_gives_no_point(ban, valenciennes):
    valenciennes.latitude = valenciennes.longitude = None
    ban.side_effect = raise_(TimeoutError())
    result = geocode("12 rue de Famars", valenciennes)
    assert result.source == "commune"
    assert result.lat is None and result.lng is None
    assert "placez le marqueur sur la carte" in result.message


def test_lyon_addresses_are_in_its_arrondissements(ban):
    lyon = factories.commune(
        insee="69123",
        name="Lyon",
        dep="69",
        epci_siren=None,
        postcodes=("69001", "69003"),
        lat=45.758,
        lng=4.835,
    )
    ban.return_value = response(
        ban_answer(citycode="69383", label="20 Rue Garibaldi 69003 Lyon", lat=45.76, lon=4.85)
    )
    result = geocode("20 rue Garibaldi", lyon, "69003")
    assert result.source == "ban"
    _, query, _ = sent(ban)
    assert "citycode" not in query  # the API knows 69383, not 69123
    assert query["postcode"] == ["69003"]


def test_control_characters_are_dropped_from_the_query(ban, valenciennes):
    ban.return_value = response(ban_answer())
    geocode("12\x00 rue\nde   Famars", valenciennes)
    _, query, _ = sent(ban)
    assert query["q"] == ["12 rue de Famars Valenciennes"]


# ------------------------------------------------------------------ the view


@pytest.fixture
def staff_client(client):
    client.force_login(factories.superuser("gestion"))
    return client


def test_the_url():
    assert reverse("admin_geocode") == "/admin/geocode/"


def test_anonymous_visitors_are_sent_to_the_login(client, valenciennes):
    response = client.get("/admin/geocode/", {"commune": "59606"})
    assert response.status_code == 302
    assert response.url.startswith("/admin/login/?next=/admin/geocode/")


def test_users_who_are_not_staff_are_sent_to_the_login(client, valenciennes):
    client.force_login(User.objects.create_user("visiteur", "v@example.org", "pw"))
    response = client.get("/admin/geocode/", {"commune": "59606"})
    assert response.status_code == 302


def test_staff_get_the_commune_point_offline(staff_client, valenciennes):
    with mock.patch("urllib.request.urlopen") as urlopen:
        response = staff_client.get(
            "/admin/geocode/",
            {"address": "12 rue de Famars", "postcode": "59300", "commune": "59606"},
        )
    urlopen.assert_not_called()
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]
    assert response.json() == {
        "lat": 50.35788,
        "lng": 3.52374,
        "label": "Valenciennes (59300)",
        "source": "commune",
        "score": None,
        "message": f"{FALLBACK} Déplacez le marqueur sur le bâtiment.",
    }
    assert "é" in response.content.decode()  # readable French, not \u escapes


def test_staff_get_the_ban_point(staff_client, valenciennes, ban):
    ban.return_value = response(ban_answer())
    answer = staff_client.get(
        "/admin/geocode/", {"address": "12 rue de Famars", "commune": "59606"}
    ).json()
    assert answer["source"] == "ban"
    assert (answer["lat"], answer["lng"]) == (50.3577, 3.5241)
    assert answer["label"] == "12 Rue de Famars 59300 Valenciennes"


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"address": "12 rue de Famars"}, "Choisissez d'abord une commune"),
        ({"address": "12 rue de Famars", "commune": "  "}, "Choisissez d'abord une commune"),
        ({"commune": "59999"}, "Commune inconnue"),
        ({"commune": "abc"}, "Commune inconnue"),
        ({"commune": "59606\x00"}, "Commune inconnue"),
        ({"commune": "' OR 1=1"}, "Commune inconnue"),
        ({"commune": "5" * 200}, "trop longue"),
        ({"commune": "59606", "address": "x" * 251}, "trop longue"),
        ({"commune": "59606", "postcode": "9" * 50}, "trop longue"),
    ],
)
def test_bad_parameters_give_a_400_in_french(staff_client, valenciennes, params, message):
    response = staff_client.get("/admin/geocode/", params)
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert message in response.json()["message"]


@pytest.mark.parametrize(
    "params",
    [
        {"commune": "59606", "address": "\x00\x01 rue", "postcode": "\x00"},
        {"commune": "59606", "address": "🏠 rue des Écoles", "postcode": "abcde"},
        {"commune": "59606", "address": "%00%ff<script>", "postcode": "59300 OR 1"},
        {"commune": ["59606", "62193"], "address": ["a", "b"]},
        {"commune": "2a004", "address": "Cours Napoléon"},
    ],
)
def test_garbage_never_gives_a_500(staff_client, valenciennes, params):
    response = staff_client.get("/admin/geocode/", params)
    assert response.status_code in {200, 400}
    assert "message" in response.json()


def test_only_get(staff_client, valenciennes):
    assert staff_client.post("/admin/geocode/", {"commune": "59606"}).status_code == 405


def test_the_hub_form_offers_the_button(staff_client, valenciennes):
    content = staff_client.get("/admin/hubs/hub/add/").content.decode()
    assert ">Localiser d'après l'adresse</button>" in content
    assert 'aria-live="polite"' in content
    assert "&quot;geocodeUrl&quot;: &quot;/admin/geocode/&quot;" in content
    assert "&quot;communeInput&quot;: &quot;id_commune&quot;" in content


def test_only_staff_who_place_records_may_geocode(client, demo_territories):
    from backoffice.roles import EDITOR, VIEWER
    from tests import factories

    client.force_login(factories.staff(VIEWER, "elue"))
    response = client.get("/admin/geocode/", {"commune": "59606", "address": "1 rue"})
    assert response.status_code == 403
    client.force_login(factories.staff(EDITOR, "agent", epci=["245901160"]))
    response = client.get("/admin/geocode/", {"commune": "59606", "address": "1 rue"})
    assert response.status_code == 200 and response.json()["source"] == "commune"
