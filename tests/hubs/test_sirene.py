"""The SIRET check (hubs/sirene.py, manage.py check_sirets) against a local stub.

No test touches the network: the suite's ``SIRENE_API_URL`` is empty, and the tests
that ask point it at a tiny HTTP server on 127.0.0.1 (tests/stub_server.py), like the
geocoder's browser tests (tests/browser/test_admin_geocoding.py).
"""

import datetime
import io
import re
import time
from unittest import mock

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from hubs import sirene
from hubs.models import Hub
from tests import factories
from tests.admin_forms import change_form_data
from tests.stub_server import ANY, serve

pytestmark = pytest.mark.django_db

ACTIVE = "43493312300029"
CLOSED = "78234567800018"
MISSING = "30209876500019"
BUSY = "55198765400011"
OTHER = "88112233400017"


# ------------------------------------------------------------------ the stub


def by_siret(request):
    return request["query"].get("q", [""])[0]


@pytest.fixture
def directory(settings):
    """An « API Recherche d'entreprises » look-alike; ``directory.answer(siret, body)``."""
    with serve(key=by_siret, headers={"Content-Type": "application/json"}) as stub:
        stub.answer(ANY, {"erreur": "stub: no answer set"}, status=503)
        settings.SIRENE_API_URL = stub.url("/search")
        settings.SIRENE_TIMEOUT = 2
        settings.SIRENE_DELAY = 0
        settings.SITE_URL = "https://lieux.example.org"
        yield stub


def company(siret, state="A", closed_on=None, *, where="matching", company_state="A"):
    """A search answer as the API writes it (fields trimmed), for one establishment."""
    establishment = {
        "siret": siret,
        "activite_principale": "85.59B",
        "adresse": "12 RUE DE FAMARS 59300 VALENCIENNES",
        "code_postal": "59300",
        "date_creation": "2015-01-05",
        "date_fermeture": closed_on,
        "est_siege": where == "siege",
        "etat_administratif": state,
        "libelle_commune": "VALENCIENNES",
    }
    head_office = establishment if where == "siege" else {**establishment, "siret": "X"}
    return {
        "results": [
            {
                "siren": siret[:9],
                "nom_complet": "ASSOCIATION NUMERIQUE",
                "etat_administratif": company_state,
                "date_fermeture": None,
                "siege": head_office,
                "matching_etablissements": [establishment] if where == "matching" else [],
            }
        ],
        "total_results": 1,
        "page": 1,
        "per_page": 1,
        "total_pages": 1,
    }


NOTHING = {"results": [], "total_results": 0, "page": 1, "per_page": 1, "total_pages": 0}


def ask(siret):
    from django.conf import settings

    return sirene.lookup(siret, base_url=settings.SIRENE_API_URL, timeout=settings.SIRENE_TIMEOUT)


# ------------------------------------------------------------------ one request


def test_an_active_establishment(directory):
    directory.answer(ACTIVE, company(ACTIVE, "A"))

    assert ask(ACTIVE) == sirene.Finding("active")
    [request] = directory.requests
    assert request["query"]["q"] == [ACTIVE]
    assert request["query"]["per_page"] == ["1"]
    assert (
        request["headers"]["User-Agent"]
        == "lieux-numeriques/1.0 (SIRET check; https://lieux.example.org)"
    )


def test_a_closed_establishment_with_its_closing_date(directory):
    directory.answer(CLOSED, company(CLOSED, "F", "2023-06-30"))
    assert ask(CLOSED) == sirene.Finding("closed", datetime.date(2023, 6, 30))


def test_the_head_office_is_found_too(directory):
    directory.answer(CLOSED, company(CLOSED, "F", "2021-12-31", where="siege"))
    assert ask(CLOSED) == sirene.Finding("closed", datetime.date(2021, 12, 31))


def test_no_result_is_not_found(directory):
    directory.answer(MISSING, NOTHING)
    assert ask(MISSING) == sirene.Finding("not_found")


@pytest.mark.parametrize(
    "answer, expected",
    [
        # The establishment without its state, or with one the API does not document.
        (company(ACTIVE, None), sirene.Finding("unknown")),
        (company(ACTIVE, "Z"), sirene.Finding("unknown")),
        # A closing date that is no date: closed all the same.
        (company(ACTIVE, "F", "bientôt"), sirene.Finding("closed")),
        # The company found, the establishment not listed: only a ceased company says.
        (company(ACTIVE, where="nowhere"), sirene.Finding("unknown")),
        (
            {
                "results": [
                    {"siren": ACTIVE[:9], "etat_administratif": "C", "date_fermeture": "2020-02-01"}
                ]
            },
            sirene.Finding("closed", datetime.date(2020, 2, 1)),
        ),
        # Another company altogether, and garbage in the list.
        ({"results": [{"siren": "999999999"}, "?", None]}, sirene.Finding("not_found")),
        (
            {"results": [{"siren": ACTIVE[:9], "matching_etablissements": "?"}]},
            sirene.Finding("unknown"),
        ),
    ],
)
def test_missing_or_odd_fields_give_unknown_not_an_error(answer, expected):
    assert sirene.read_answer(answer, ACTIVE) == expected


@pytest.mark.parametrize("body", [b"<html>Maintenance</html>", b"", b"[]", b'{"results": 3}'])
def test_a_malformed_answer_is_unusable(directory, body):
    directory.answer(ACTIVE, body)
    with pytest.raises(sirene.SireneUnavailable):
        ask(ACTIVE)


def test_too_many_requests_says_when_to_come_back(directory):
    directory.answer(
        BUSY, {"erreur": "Too Many Requests"}, status=429, headers={"Retry-After": "2"}
    )
    with pytest.raises(sirene.SireneUnavailable) as raised:
        ask(BUSY)
    assert raised.value.retry_after == 2
    assert str(raised.value) == "HTTP 429"


def test_a_server_error_is_unusable(directory):
    directory.answer(ACTIVE, {"erreur": "boom"}, status=502)
    with pytest.raises(sirene.SireneUnavailable, match="HTTP 502"):
        ask(ACTIVE)


def test_a_slow_answer_times_out(directory, settings):
    settings.SIRENE_TIMEOUT = 0.2
    directory.answer(ACTIVE, company(ACTIVE), delay=1.5)
    started = time.monotonic()
    with pytest.raises(sirene.SireneUnavailable, match="unreachable"):
        ask(ACTIVE)
    assert time.monotonic() - started < 1.2


def test_nobody_listening_is_unusable(directory, settings):
    settings.SIRENE_API_URL = "http://127.0.0.1:9/search"  # discard port: refused
    with pytest.raises(sirene.SireneUnavailable, match="unreachable"):
        ask(ACTIVE)


def test_only_http_is_asked(settings):
    with (
        mock.patch("urllib.request.urlopen") as urlopen,
        pytest.raises(sirene.SireneUnavailable, match="not an http"),
    ):
        sirene.lookup(ACTIVE, base_url="file:///etc/passwd", timeout=1)
    urlopen.assert_not_called()


# ------------------------------------------------------------------ the command


def run(*args):
    out, err = io.StringIO(), io.StringIO()
    call_command("check_sirets", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def state(hub):
    hub.refresh_from_db()
    return (hub.siret_status, hub.siret_checked_at, hub.siret_closed_on)


@pytest.fixture
def hubs(db):
    return {
        "active": factories.hub("Fablab actif", siret=ACTIVE),
        "closed": factories.hub("Espace fermé", siret=CLOSED),
        "missing": factories.hub("Tiers-lieu perdu", siret=MISSING),
    }


@pytest.fixture
def answers(directory):
    directory.answer(ACTIVE, company(ACTIVE, "A"))
    directory.answer(CLOSED, company(CLOSED, "F", "2023-06-30"))
    directory.answer(MISSING, NOTHING)
    return directory


def test_the_command_records_each_finding_and_prints_a_summary(hubs, answers):
    draft = factories.hub("Brouillon", siret=OTHER, publication=Hub.Publication.DRAFT)
    without = factories.hub("Sans SIRET")
    before = {key: Hub.objects.values().get(pk=hub.pk) for key, hub in hubs.items()}
    history = Hub.history.count()

    out, err = run()

    assert out.splitlines() == [
        f"closed since 2023-06-30: Espace fermé (SIRET {CLOSED}, {hubs['closed'].get_absolute_url()})",
        f"not found: Tiers-lieu perdu (SIRET {MISSING}, {hubs['missing'].get_absolute_url()})",
        "3 hub(s) checked: 1 active, 1 closed, 1 not found, 0 unknown, 0 error(s)",
    ]
    assert err == ""
    assert sorted(r["query"]["q"][0] for r in answers.requests) == sorted([ACTIVE, CLOSED, MISSING])
    status, checked_at, closed_on = state(hubs["closed"])
    assert (status, closed_on) == ("closed", datetime.date(2023, 6, 30))
    assert abs(timezone.now() - checked_at) < datetime.timedelta(minutes=1)
    assert state(hubs["active"])[::2] == ("active", None)
    assert state(hubs["missing"])[::2] == ("not_found", None)
    # Drafts and hubs without a SIRET are not asked about.
    assert state(draft) == ("", None, None) and state(without) == ("", None, None)
    # Nothing else moved: publication, updated_at, history.
    for key, hub in hubs.items():
        after = Hub.objects.values().get(pk=hub.pk)
        changed = {name for name in after if after[name] != before[key][name]}
        assert changed <= {"siret_status", "siret_checked_at", "siret_closed_on"}, key
        assert after["publication"] == "published"
    assert Hub.history.count() == history


def test_a_closed_establishment_is_never_unpublished(hubs, answers):
    run()
    run()
    assert Hub.objects.get(pk=hubs["closed"].pk).publication == Hub.Publication.PUBLISHED
    assert Hub.objects.published().filter(siret_status="closed").count() == 1


def test_a_dry_run_asks_and_writes_nothing(hubs, answers):
    out, _ = run("--dry-run")
    assert out.splitlines()[-1] == (
        "3 hub(s) checked: 1 active, 1 closed, 1 not found, 0 unknown, 0 error(s) "
        "(dry run: nothing saved)"
    )
    assert len(answers.requests) == 3
    assert all(state(hub) == ("", None, None) for hub in hubs.values())


def test_an_error_leaves_the_hub_as_it_was_and_the_run_goes_on(hubs, answers):
    long_ago = timezone.now() - datetime.timedelta(days=40)
    Hub.objects.filter(pk=hubs["active"].pk).update(
        siret_status="active", siret_checked_at=long_ago
    )
    answers.answer(ACTIVE, {"erreur": "Too Many Requests"}, status=429)

    out, err = run()

    assert out.splitlines()[-1] == (
        "3 hub(s) checked: 0 active, 1 closed, 1 not found, 0 unknown, 1 error(s)"
    )
    assert err == f"error: Fablab actif (SIRET {ACTIVE}): HTTP 429\n"
    assert state(hubs["active"]) == ("active", long_ago, None)
    assert state(hubs["closed"])[0] == "closed"  # the others asked all the same


def test_the_command_fails_only_when_every_lookup_failed(hubs, directory):
    # No answers set: the stub says 503 to everything.
    with pytest.raises(CommandError, match=r"every lookup failed \(3\)"):
        run()
    assert all(state(hub) == ("", None, None) for hub in hubs.values())


def test_a_timeout_is_an_error_and_the_run_goes_on(hubs, answers, settings):
    settings.SIRENE_TIMEOUT = 0.2
    answers.answer(MISSING, NOTHING, delay=1.5)
    out, err = run()
    assert out.splitlines()[-1].endswith("1 active, 1 closed, 0 not found, 0 unknown, 1 error(s)")
    assert "Tiers-lieu perdu" in err and "unreachable" in err
    assert state(hubs["missing"]) == ("", None, None)


def test_disabled_by_an_empty_url(hubs, settings):
    settings.SIRENE_API_URL = ""
    with mock.patch("urllib.request.urlopen") as urlopen:
        out, _ = run()
    assert out == "SIRENE_API_URL is empty: the SIRET check is off, nothing done.\n"
    urlopen.assert_not_called()
    assert all(state(hub) == ("", None, None) for hub in hubs.values())


def test_the_test_run_never_asks_the_real_directory(settings):
    assert settings.SIRENE_API_URL == ""


def test_only_stale_and_limit(hubs, answers):
    recently = timezone.now() - datetime.timedelta(days=3)
    long_ago = timezone.now() - datetime.timedelta(days=90)
    Hub.objects.filter(pk=hubs["active"].pk).update(
        siret_status="active", siret_checked_at=recently
    )
    Hub.objects.filter(pk=hubs["closed"].pk).update(
        siret_status="active", siret_checked_at=long_ago
    )

    out, _ = run("--only-stale", "30")
    assert out.splitlines()[-1].startswith("2 hub(s) checked:")
    assert ACTIVE not in [r["query"]["q"][0] for r in answers.requests]

    answers.requests.clear()
    Hub.objects.filter(pk=hubs["missing"].pk).update(siret_status="", siret_checked_at=None)
    run("--limit", "1")  # the never-checked one first
    assert [r["query"]["q"][0] for r in answers.requests] == [MISSING]


@pytest.mark.parametrize("args", [("--limit", "0"), ("--only-stale", "-1")])
def test_bad_arguments(args, settings):
    with pytest.raises(CommandError):
        run(*args)


def test_hubs_sharing_a_siret_share_one_request(hubs, answers):
    twin = factories.hub("Antenne du fablab", siret=ACTIVE)
    run()
    assert [r["query"]["q"][0] for r in answers.requests].count(ACTIVE) == 1
    assert state(twin)[0] == "active"


def test_requests_are_spaced_and_a_429_waits_longer(hubs, directory):
    directory.answer(ACTIVE, company(ACTIVE))
    directory.answer(
        CLOSED, {"erreur": "Too Many Requests"}, status=429, headers={"Retry-After": "3"}
    )
    directory.answer(MISSING, NOTHING)
    waits = []
    ordered = [hubs["active"], hubs["closed"], hubs["missing"]]

    summary = sirene.check(ordered, now=timezone.now(), delay=0.25, sleep=waits.append)

    assert waits == [0.25, 3.0]  # none before the first request
    assert summary.checked == 3 and len(summary.errors) == 1
    assert summary.counts["active"] == 1 and summary.counts["not_found"] == 1


# ------------------------------------------------------------------ what staff see


@pytest.fixture
def superuser_client(client, hubs):
    client.force_login(factories.superuser())
    return client


@pytest.fixture
def checked(hubs, answers):
    run()
    return hubs


def test_the_admin_filter_lists_the_closed_establishments(superuser_client, checked):
    url = reverse("admin:hubs_hub_changelist")
    response = superuser_client.get(url, {"siret_status": "closed"})
    assert [hub.name for hub in response.context["cl"].result_list] == ["Espace fermé"]
    content = superuser_client.get(url).content.decode()
    assert "Par SIRET" in content and "établissement fermé" in content
    response = superuser_client.get(url, {"siret_status": "unchecked"})
    assert list(response.context["cl"].result_list) == []


def test_the_change_form_warns_of_a_closed_establishment(superuser_client, checked):
    hub = checked["closed"]
    response = superuser_client.get(reverse("admin:hubs_hub_change", args=[hub.pk]))
    content = response.content.decode()
    warning = (
        "L&#x27;établissement de ce SIRET est fermé depuis le 30/06/2023 selon l&#x27;annuaire "
        "des entreprises. Le lieu reste publié : vérifiez s&#x27;il a fermé, déménagé ou "
        "changé de SIRET."
    )
    assert f'<li class="warning">{warning}</li>' in content
    assert "Vérification du SIRET" in content
    assert f'href="https://annuaire-entreprises.data.gouv.fr/etablissement/{CLOSED}"' in content

    missing = superuser_client.get(reverse("admin:hubs_hub_change", args=[checked["missing"].pk]))
    assert "SIRET introuvable dans l&#x27;annuaire des entreprises : vérifiez le numéro." in (
        missing.content.decode()
    )

    active = superuser_client.get(reverse("admin:hubs_hub_change", args=[checked["active"].pk]))
    content = active.content.decode()
    assert "Établissement actif (vérifié le" in content
    assert 'class="warning"' not in content
    # Read only: the check's fields are not in the form.
    assert 'name="siret_status"' not in content


def test_the_admin_home_counts_published_hubs_whose_establishment_closed(superuser_client, checked):
    content = superuser_client.get(reverse("admin:index")).content.decode()
    assert re.search(
        r'<a href="/admin/hubs/hub/\?siret_status=closed&amp;publication__exact=published">'
        r"Lieux dont l&#x27;établissement est fermé</a></th><td>1<",
        content,
    )
    Hub.objects.filter(pk=checked["closed"].pk).update(publication=Hub.Publication.ARCHIVED)
    content = superuser_client.get(reverse("admin:index")).content.decode()
    assert "établissement est fermé" not in content


def test_a_new_siret_in_the_admin_forgets_the_former_finding(superuser_client, checked):
    hub, url = checked["closed"], reverse("admin:hubs_hub_change", args=[checked["closed"].pk])
    response = superuser_client.post(url, change_form_data(superuser_client, url, summary="Vu."))
    assert response.status_code == 302
    assert state(hub)[::2] == ("closed", datetime.date(2023, 6, 30))  # same SIRET: kept

    response = superuser_client.post(url, change_form_data(superuser_client, url, siret=OTHER))
    assert response.status_code == 302
    assert state(hub) == ("", None, None)
    assert Hub.objects.get(pk=hub.pk).publication == Hub.Publication.PUBLISHED
