from unittest import mock

from django.db import OperationalError


def test_healthz_answers_when_the_database_does(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}
    assert "no-cache" in response["Cache-Control"]


def test_healthz_says_503_when_the_database_does_not(client, db):
    with mock.patch("config.health.connection") as connection:
        connection.cursor.side_effect = OperationalError("connection refused")
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["database"] == "error"


def test_healthz_is_get_only(client, db):
    assert client.post("/healthz").status_code == 405
