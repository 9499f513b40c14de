from decimal import Decimal

import pytest

from funding.models import FinancingLine, FundedOperation, Funder
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client_demo(client, demo_funding):
    client.force_login(factories.superuser())
    return client


def _form_data(operation, lines):
    data = {
        "hub": operation.hub_id,
        "title": operation.title,
        "purpose": operation.purpose,
        "total_cost": str(operation.total_cost or ""),
        "lines-TOTAL_FORMS": str(len(lines)),
        "lines-INITIAL_FORMS": str(sum(1 for line in lines if line.get("id"))),
        "lines-MIN_NUM_FORMS": "0",
        "lines-MAX_NUM_FORMS": "1000",
    }
    for index, line in enumerate(lines):
        for key, value in line.items():
            data[f"lines-{index}-{key}"] = value
        data[f"lines-{index}-operation"] = operation.pk
        data.setdefault(f"lines-{index}-status", "granted")
        data.setdefault(f"lines-{index}-nature", "subsidy")
    return data


def test_changelists_and_filters(admin_client_demo):
    for url in (
        "/admin/funding/fundedoperation/",
        "/admin/funding/financingline/",
        "/admin/funding/funder/",
    ):
        assert admin_client_demo.get(url).status_code == 200
    response = admin_client_demo.get(
        "/admin/funding/fundedoperation/", {"lines__funder__category__exact": "eu_fund"}
    )
    content = response.content.decode()
    assert (
        "Pop School Valenciennes — formation" in content and "Aménagement des locaux" not in content
    )
    assert (
        admin_client_demo.get("/admin/funding/fundedoperation/", {"year": "2018"}).status_code
        == 200
    )


def test_inline_lines_over_100_percent_are_refused_with_a_message(admin_client_demo):
    operation = FundedOperation.objects.get(title__startswith="Pop School Valenciennes")
    fse, agglo = operation.lines.order_by("-share")
    data = _form_data(
        operation,
        [
            {"id": fse.pk, "funder": fse.funder_id, "share": "92"},
            {"id": agglo.pk, "funder": agglo.funder_id, "share": "9"},
        ],
    )
    response = admin_client_demo.post(
        f"/admin/funding/fundedoperation/{operation.pk}/change/", data
    )
    assert response.status_code == 200
    assert "ne peuvent dépasser 100" in response.content.decode()
    agglo.refresh_from_db()
    assert agglo.share == Decimal("8.00")


def test_swapping_shares_in_one_save_works(admin_client_demo):
    operation = FundedOperation.objects.get(title__startswith="Pop School Valenciennes")
    fse, agglo = operation.lines.order_by("-share")
    data = _form_data(
        operation,
        [
            {"id": fse.pk, "funder": fse.funder_id, "share": "8"},
            {"id": agglo.pk, "funder": agglo.funder_id, "share": "92"},
        ],
    )
    response = admin_client_demo.post(
        f"/admin/funding/fundedoperation/{operation.pk}/change/", data
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    agglo.refresh_from_db()
    assert agglo.share == Decimal("92.00")


def test_add_an_operation_with_lines(admin_client_demo):
    from hubs.models import Hub

    hub = Hub.objects.get(slug="louvre-lens-vallee")
    operation = FundedOperation(
        hub=hub, title="Incubateur", purpose="animation", total_cost=Decimal("200000")
    )
    data = _form_data(
        operation,
        [
            {"funder": Funder.objects.get(slug="feder").pk, "share": "50", "amount": "100000"},
            {"funder": Funder.objects.get(slug="region-hauts-de-france").pk, "amount": "50000"},
        ],
    )
    data.pop("lines-0-operation"), data.pop("lines-1-operation")
    response = admin_client_demo.post("/admin/funding/fundedoperation/add/", data)
    assert response.status_code == 302, response.content.decode()[:3000]
    created = FundedOperation.objects.get(title="Incubateur")
    assert created.lines.count() == 2

    data["title"] = "Incubateur bis"
    data["lines-1-amount"] = "150000"  # 100 000 + 150 000 > 200 000
    response = admin_client_demo.post("/admin/funding/fundedoperation/add/", data)
    assert response.status_code == 200 and "dépassent le coût total" in response.content.decode()
    assert not FundedOperation.objects.filter(title="Incubateur bis").exists()
    assert FinancingLine.objects.filter(operation__title="Incubateur bis").count() == 0
