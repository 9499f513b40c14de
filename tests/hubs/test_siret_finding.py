"""A new SIRET forgets the company directory's finding about the former one
(``Hub.forget_stale_siret_finding``), whatever writes it: the admin form, an import
by the per-row or the bulk path, any save (a manager's change:
tests/managers/test_siret_finding.py). An unchanged SIRET keeps the finding."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from hubs.imports.run import import_records
from hubs.models import Hub
from tests import factories
from tests.admin_forms import change_form_data

pytestmark = pytest.mark.django_db

CLOSED = "78234567800018"
OTHER = "88112233400017"
CLOSED_ON = datetime.date(2023, 6, 30)


def closed_finding(hub):
    """The hub's SIRET is ``CLOSED``, and the directory said so."""
    Hub.objects.filter(pk=hub.pk).update(
        siret=CLOSED,
        siret_status=Hub.SiretStatus.CLOSED,
        siret_checked_at=timezone.now(),
        siret_closed_on=CLOSED_ON,
    )


def finding(hub):
    hub = Hub.objects.get(pk=hub.pk)
    return hub.siret, hub.siret_status, hub.siret_closed_on, hub.siret_checked_at is not None


KEPT = (CLOSED, "closed", CLOSED_ON, True)
FORGOTTEN = (OTHER, "", None, False)


# ------------------------------------------------------------------ any save


def test_a_save_forgets_the_finding_of_a_former_siret():
    hub = factories.hub("Espace", siret=CLOSED)
    closed_finding(hub)
    hub = Hub.objects.get(pk=hub.pk)
    hub.summary = "Vu."
    hub.save()
    assert finding(hub) == KEPT
    hub.siret = OTHER
    hub.save(update_fields=["siret"])
    assert finding(hub) == FORGOTTEN


def test_a_reloaded_hub_compares_with_the_siret_read_again():
    hub = factories.hub("Espace", siret=CLOSED)
    closed_finding(hub)
    stale = Hub.objects.get(pk=hub.pk)
    Hub.objects.filter(pk=hub.pk).update(siret=OTHER)
    stale.refresh_from_db()
    stale.siret = OTHER
    stale.save()
    assert finding(hub)[:2] == (OTHER, "closed")  # unchanged since it was read again


# ------------------------------------------------------------------ the admin


def test_the_admin_form(client):
    client.force_login(factories.superuser())
    hub = factories.hub("Espace", siret=CLOSED)
    closed_finding(hub)
    url = reverse("admin:hubs_hub_change", args=[hub.pk])
    response = client.post(url, change_form_data(client, url, summary="Vu."))
    assert response.status_code == 302
    assert finding(hub) == KEPT
    response = client.post(url, change_form_data(client, url, siret=OTHER))
    assert response.status_code == 302
    assert finding(hub) == FORGOTTEN


# ------------------------------------------------------------------ the imports


def record(**fields):
    return {
        "id": "1",
        "source": "test-siret",
        "nom": "Lieu importé",
        "adresse": "1 rue de Paris",
        "commune": "Lille",
        "code_postal": "59000",
        "typologie": "EPN",
        "pivot": CLOSED,
        **fields,
    }


@pytest.mark.parametrize("bulk", [False, True], ids=["per-row", "bulk"])
def test_an_import(demo_territories, bulk):
    import_records("national", [record()], bulk=bulk)
    hub = Hub.objects.get(external_id="test-siret:1")
    closed_finding(hub)

    report = import_records("national", [record(nom="Lieu renommé")], bulk=bulk)
    assert len(report.updated) == 1
    assert finding(hub) == KEPT

    report = import_records("national", [record(pivot=OTHER)], bulk=bulk)
    assert len(report.updated) == 1
    assert finding(hub) == FORGOTTEN


def test_a_siret_changed_during_the_directory_check_is_not_given_the_old_finding():
    """The check records its finding only on a hub whose SIRET is still the one it
    looked up (hubs.sirene.check): a staff edit during the run wins."""
    from hubs import sirene

    hub = factories.hub(name="Le Quai")
    Hub.objects.filter(pk=hub.pk).update(siret=CLOSED)
    others = Hub.objects.filter(pk=hub.pk)

    def ask(siret):
        others.update(siret=OTHER)  # an editor saves a new number meanwhile
        return sirene.Finding(status=Hub.SiretStatus.CLOSED, closed_on=CLOSED_ON)

    sirene.check(list(others), now=timezone.now(), ask=ask, delay=0)
    assert finding(hub) == (OTHER, "", None, False)
