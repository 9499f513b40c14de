"""Absurd admin URLs are answered with a 4xx or the list's own error, never a 500."""

import pytest
from django.contrib import admin
from django.urls import reverse

from backoffice.roles import REGIONAL_ADMIN
from tests import factories

pytestmark = pytest.mark.django_db

BAD_QUERIES = [
    {"updated_at__year": "0"},
    {"updated_at__year": "-1"},
    {"updated_at__year": "99999999999999999999"},
    {"updated_at__year": "2024", "updated_at__month": "13"},
    {"updated_at__year": "2024", "updated_at__month": "2", "updated_at__day": "31"},
    {"start__year": "0"},
    {"decision_date__year": "10000"},
    {"q": "\x00"},
    {"q": "a\x00b"},
    {"publication__exact": "\x00"},
    {"status__exact": "\x00"},
    {"commune__departement__code__exact": "\x00"},
    {"o": "\x00"},
    {"o": "99"},
    {"p": "\x00"},
    {"year": "\x00"},
    {"freshness": "\x00"},
    {"when": "\x00"},
    {"departement": "\x00"},
    {"kinds__id__exact": "\x00"},
    {"kinds__id__exact": "99999999999999999999"},
    {"lines__funder__id__exact": "x"},
]


@pytest.fixture
def regional_client(client, demo_hubs):
    client.force_login(factories.staff(REGIONAL_ADMIN, "region"))
    return client


@pytest.mark.parametrize("query", BAD_QUERIES, ids=repr)
def test_changelists_refuse_absurd_filters_without_a_500(regional_client, query):
    for model in admin.site._registry:
        opts = model._meta
        url = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
        response = regional_client.get(url, query)
        assert response.status_code < 500, (url, query)


@pytest.mark.parametrize(
    "params",
    [
        {"app_label": "hubs", "model_name": "hub", "field_name": "commune", "term": "\x00"},
        {"app_label": "hubs", "model_name": "hub", "field_name": "commune", "term": "a\x00"},
        {"app_label": "events", "model_name": "event", "field_name": "hub", "term": "\x00"},
        {"app_label": "nope", "model_name": "hub", "field_name": "commune", "term": "a"},
        {"app_label": "hubs", "model_name": "nope", "field_name": "commune", "term": "a"},
        {"app_label": "hubs", "model_name": "hub", "field_name": "nope", "term": "a"},
        {"app_label": "hubs", "model_name": "hub", "field_name": "name", "term": "a"},
        {"app_label": "\x00", "model_name": "\x00", "field_name": "\x00", "term": "a"},
        {"term": "a"},
        {"app_label": "hubs", "model_name": "hubphoto", "field_name": "hub", "term": "a"},
        {"app_label": "hubs", "model_name": "historicalhub", "field_name": "commune", "term": "a"},
        {"app_label": "hubs", "model_name": "historicalhub", "field_name": "history_user"},
        {"app_label": "auth", "model_name": "user", "field_name": "groups", "term": "a"},
        {"app_label": "backoffice", "model_name": "territoryscope", "field_name": "epci"},
        {"app_label": "funding", "model_name": "financingline", "field_name": "funder"},
        {"app_label": "admin", "model_name": "logentry", "field_name": "user", "term": "a"},
        {"app_label": "hubs", "model_name": "hub", "field_name": "commune", "page": "x"},
        {"app_label": "hubs", "model_name": "hub", "field_name": "commune", "page": "\x00"},
    ],
    ids=repr,
)
def test_autocomplete_refuses_absurd_requests_without_a_500(regional_client, params):
    response = regional_client.get("/admin/autocomplete/", params)
    assert response.status_code < 500, params


def test_the_refusal_says_which_parameter(regional_client):
    response = regional_client.get("/admin/hubs/hub/", {"updated_at__year": "0"})
    assert response.status_code == 400
    assert "updated_at__year" in response.content.decode()
    response = regional_client.get("/admin/hubs/hub/", {"status__exact": "a\x00"})
    assert response.status_code == 400 and "status__exact" in response.content.decode()
    # A real year still filters.
    assert regional_client.get("/admin/hubs/hub/", {"updated_at__year": "2026"}).status_code == 200
