"""A report keeps its reporter's address only with consent and only while open:
the model's save, and a database constraint for any other door."""

import pytest
from django.db import IntegrityError, transaction

from reports.models import Report

pytestmark = pytest.mark.django_db


@pytest.fixture
def report(hub_valenciennes):
    return Report.objects.create(
        kind=Report.Kind.HUB,
        hub=hub_valenciennes,
        commune=hub_valenciennes.commune,
        subject_name=hub_valenciennes.name,
        message="Le téléphone a changé.",
        reporter_email="lea@example.org",
        contact_consent=True,
    )


def test_the_address_is_kept_while_the_report_is_open(report):
    report.refresh_from_db()
    assert report.reporter_email == "lea@example.org" and report.contact_consent
    assert report.closed_at is None


@pytest.mark.parametrize("status", [Report.Status.DONE, Report.Status.REJECTED])
def test_closing_a_report_wipes_the_address(report, status):
    report.status = status
    report.save()
    report.refresh_from_db()
    assert report.reporter_email == "" and not report.contact_consent
    assert report.closed_at is not None
    # Reopened: still no address, and no closing date.
    report.status = Report.Status.NEW
    report.save(update_fields=["status"])
    report.refresh_from_db()
    assert report.reporter_email == "" and report.closed_at is None


def test_closing_with_update_fields_wipes_the_address_too(report):
    report.status = Report.Status.DONE
    report.save(update_fields=["status"])
    report.refresh_from_db()
    assert report.reporter_email == "" and report.closed_at is not None


def test_no_address_is_stored_without_consent(hub_valenciennes):
    report = Report.objects.create(
        kind=Report.Kind.HUB,
        hub=hub_valenciennes,
        commune=hub_valenciennes.commune,
        subject_name="x",
        message="y",
        reporter_email="lea@example.org",
        contact_consent=False,
    )
    report.refresh_from_db()
    assert report.reporter_email == ""


@pytest.mark.parametrize(
    "changes",
    [
        {"status": "done", "closed_at": "2026-01-01T00:00:00Z"},  # closed with the address
        {"contact_consent": False},  # an address without consent
        {"status": "rejected"},  # closed without a date
    ],
)
def test_the_database_refuses_what_save_would_not_write(report, changes):
    with pytest.raises(IntegrityError), transaction.atomic():
        Report.objects.filter(pk=report.pk).update(**changes)


def test_the_kind_matches_its_record(report, hub_valenciennes):
    from tests import factories

    event = factories.event("Atelier", hub=hub_valenciennes, slug="atelier-kind")
    with pytest.raises(IntegrityError), transaction.atomic():
        Report.objects.filter(pk=report.pk).update(event=event)  # a hub error with an event
    with pytest.raises(IntegrityError), transaction.atomic():
        Report.objects.filter(pk=report.pk).update(kind="new_place")  # a suggestion with a hub


def test_the_history_never_holds_the_address(report):
    fields = {field.name for field in Report.history.model._meta.fields}
    assert "reporter_email" not in fields and "contact_consent" not in fields
    assert "status" in fields and "staff_note" in fields
    assert report.history.count() == 1


def test_a_deleted_hub_leaves_its_reports_to_the_territory(report, hub_valenciennes):
    hub_valenciennes.delete()
    report.refresh_from_db()
    assert report.hub is None and report.commune_id == "59606"
    assert report.subject_name == "Serre numérique test"
