from unittest import mock
from wsgiref.util import setup_testing_defaults

import pytest
from django.core.handlers.wsgi import WSGIHandler
from django.db import OperationalError, connection


def test_healthz_answers_when_the_database_does(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}
    assert "no-cache" in response["Cache-Control"]


def test_healthz_says_503_when_the_database_does_not(client, db):
    with mock.patch("pages.health.connection") as connection:
        connection.cursor.side_effect = OperationalError("connection refused")
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["database"] == "error"
    assert connection.cursor.call_count == 2  # once more on a fresh connection


def test_healthz_answers_head_for_uptime_monitors(client, db):
    response = client.head("/healthz")
    assert response.status_code == 200
    assert response.content == b""
    assert "no-cache" in response["Cache-Control"]


def test_healthz_is_get_only(client, db):
    assert client.post("/healthz").status_code == 405


# -- the database drops our connection (a restart, pg_terminate_backend) -------


def _terminate_our_connection():
    """End this process's PostgreSQL session from a second connection, as a restart would."""
    import psycopg2

    connection.ensure_connection()
    pid = connection.connection.get_backend_pid()
    params = connection.get_connection_params()
    params.pop("cursor_factory", None)
    other = psycopg2.connect(**params)
    try:
        with other.cursor() as cursor:
            cursor.execute("SELECT pg_terminate_backend(%s, 5000)", [pid])  # waits for the end
            assert cursor.fetchone() == (True,)
    finally:
        other.close()


def _served(path, method="GET"):
    """The status of a request through Django's WSGI handler, as gunicorn sends it.

    Unlike the test client, the handler runs the request_started and
    request_finished signals that check and close the connections.
    """
    environ = {"PATH_INFO": path, "REQUEST_METHOD": method}
    setup_testing_defaults(environ)
    status = []
    response = WSGIHandler()(environ, lambda line, headers, exc_info=None: status.append(line))
    b"".join(response)
    response.close()
    return int(status[0].split()[0])


def _needs_postgresql():
    if connection.vendor != "postgresql":
        pytest.skip("pg_terminate_backend is PostgreSQL's: run with DATABASE_URL=postgres://…")


@pytest.mark.django_db(transaction=True)
def test_a_dropped_connection_costs_no_error_page(client):
    _needs_postgresql()
    _terminate_our_connection()
    assert _served("/healthz") == 200
    _terminate_our_connection()
    assert _served("/hubs/") == 200  # not a 500: the connection is checked, then replaced
    _terminate_our_connection()
    assert _served("/healthz", "HEAD") == 200


@pytest.mark.django_db(transaction=True)
def test_healthz_retries_on_a_fresh_connection(client):
    _needs_postgresql()
    _terminate_our_connection()
    # The test client skips the health check of a real request: /healthz itself retries.
    response = client.get("/healthz")
    assert response.status_code == 200, response.content
