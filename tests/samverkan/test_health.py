from unittest import mock

from django.db import OperationalError


def test_healthz_answers_200_when_the_database_answers(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}
    assert "no-cache" in response["Cache-Control"]


def test_healthz_answers_503_when_the_database_does_not(client, db):
    with mock.patch("samverkan.views.connection.cursor", side_effect=OperationalError("nere")):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["database"] == "error"
