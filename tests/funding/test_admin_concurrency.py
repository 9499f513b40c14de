"""Two staff members changing one operation's lines at once: the database keeps the
rule (shares ≤ 100 %), and the one who saves second gets the form error, not a 500."""

from decimal import Decimal

import pytest

from funding.admin import LinesFormSet
from funding.models import FinancingLine, Funder
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client_demo(client, demo_funding):
    client.force_login(factories.superuser())
    return client


@pytest.fixture
def operation(demo_funding):
    hub = demo_funding["louvre-lens-vallee"]
    return factories.operation(hub, "Animation 2019", "animation", Decimal("1000"))


def _add_line_form(operation, funder, share):
    return {
        "hub": operation.hub_id,
        "title": operation.title,
        "purpose": operation.purpose,
        "total_cost": str(operation.total_cost),
        "lines-TOTAL_FORMS": "1",
        "lines-INITIAL_FORMS": "0",
        "lines-MIN_NUM_FORMS": "0",
        "lines-MAX_NUM_FORMS": "1000",
        "lines-0-operation": operation.pk,
        "lines-0-funder": funder.pk,
        "lines-0-share": share,
        "lines-0-status": "granted",
        "lines-0-nature": "subsidy",
    }


def _winner(operation):
    """The other staff member's 60 % line, saved first."""
    return FinancingLine.objects.create(
        operation=operation, funder=Funder.objects.get(slug="feder"), share=Decimal(60)
    )


def test_a_form_opened_before_another_save_counts_the_lines_saved_since(
    admin_client_demo, operation
):
    _winner(operation)
    region = Funder.objects.get(slug="region-hauts-de-france")
    response = admin_client_demo.post(
        f"/admin/funding/fundedoperation/{operation.pk}/change/",
        _add_line_form(operation, region, "60"),
    )
    assert response.status_code == 200
    assert "100" in str(response.context["inline_admin_formsets"][0].formset.non_form_errors())
    assert list(operation.lines.values_list("share", flat=True)) == [Decimal("60.00")]


def test_two_saves_at_the_same_moment_the_second_gets_the_form_error(
    admin_client_demo, operation, monkeypatch
):
    """The other line is committed after this form's checks: the trigger refuses, the form says so.

    (The first check is made blind to the other line, as it would be had it been
    committed a moment later.)
    """
    _winner(operation)
    original = LinesFormSet.saved_since
    calls = []

    def not_yet_saved(self):
        calls.append(1)
        return {"share": None, "amount": None} if len(calls) == 1 else original(self)

    monkeypatch.setattr(LinesFormSet, "saved_since", not_yet_saved)
    region = Funder.objects.get(slug="region-hauts-de-france")
    response = admin_client_demo.post(
        f"/admin/funding/fundedoperation/{operation.pk}/change/",
        _add_line_form(operation, region, "60"),
    )
    assert len(calls) == 2  # checked, refused by the database, checked again
    assert response.status_code == 200
    assert "100" in str(response.context["inline_admin_formsets"][0].formset.non_form_errors())
    assert list(operation.lines.values_list("share", flat=True)) == [Decimal("60.00")]


def test_a_single_line_saved_at_the_same_moment_gets_the_form_error(
    admin_client_demo, operation, monkeypatch
):
    _winner(operation)
    original = FinancingLine.clean
    calls = []

    def clean_before_the_other(self):
        calls.append(1)
        if len(calls) == 1:
            self.siblings_checked_by_formset = True  # blind to the other line, this once
        return original(self)

    monkeypatch.setattr(FinancingLine, "clean", clean_before_the_other)
    region = Funder.objects.get(slug="region-hauts-de-france")
    response = admin_client_demo.post(
        "/admin/funding/financingline/add/",
        {
            "operation": operation.pk,
            "funder": region.pk,
            "share": "60",
            "status": "granted",
            "nature": "subsidy",
        },
    )
    assert len(calls) == 2
    assert response.status_code == 200
    assert "share" in response.context["adminform"].form.errors
    assert list(operation.lines.values_list("share", flat=True)) == [Decimal("60.00")]
