"""Schemathesis over every operation of /api/v1/ (issue 17, item 7).

The document is loaded from the running site (``/api/v1/openapi.json``) and each
operation is called in process through Django's WSGI application, in the test's
own thread: it shares the test's database connection, so it sees the hubs, events
and financing lines made below, on SQLite and on PostgreSQL alike (run with
``DATABASE_URL=postgres://…``), and everything is rolled back after the test.
Checks: no 5xx, the status is documented, the content type is documented, the
body matches its schema.
"""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tests import factories

SCHEMA = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application())
OPERATIONS = [result.ok() for result in SCHEMA.get_all_operations()]
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


@pytest.fixture(autouse=True)
def _keep_connection_open():
    """As Django's test client does: a request's end must not close the database
    connection that holds the test's transaction (PostgreSQL would lose it)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def some_data(db):
    """A hub with an event and a financing line, so the answers are not all empty."""
    hub = factories.hub(name="Fablab des Remparts")
    factories.event(hub=hub)
    factories.line(factories.operation(hub=hub))
    factories.hub(name="Lieu fermé", status="closed")
    return hub


def test_every_operation_is_tested():
    assert {operation.path for operation in OPERATIONS} >= {
        "/hubs.geojson",
        "/hubs/{pk}.json",
        "/events.ics",
        "/funding.xlsx",
        "/territories/autocomplete",
    }
    # Schemathesis leaves out the document's own URL (validated in test_openapi.py).
    assert {operation.path for operation in OPERATIONS} == set(SCHEMA.raw_schema["paths"]) - {
        "/openapi.json"
    }


@pytest.mark.parametrize("operation", OPERATIONS, ids=lambda operation: operation.label)
def test_operation_conforms(operation, some_data):
    @settings(
        max_examples=15,
        deadline=None,
        database=None,
        derandomize=True,
        suppress_health_check=list(HealthCheck),
    )
    @given(case=operation.as_strategy())
    def check(case):
        case.call_and_validate(checks=CHECKS)

    check()
    # The generated numbers miss the hubs that exist: one call on a real one.
    if operation.path == "/hubs/{pk}.json":
        case = operation.Case(path_parameters={"pk": some_data.pk})
        response = case.call_and_validate(checks=CHECKS)
        assert response.status_code == 200
