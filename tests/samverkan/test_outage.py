"""When the database cannot be reached, pages answer a friendly 503 quickly instead of a 500; other
errors stay 500. (The health check's 503 is in test_health.py; bench/outage.py restarts a real database.)"""

import pytest
from django.db import InterfaceError, OperationalError
from django.test import Client

from samverkan import selectors

pytestmark = pytest.mark.django_db


@pytest.fixture
def quiet_client():
    return Client(raise_request_exception=False)


@pytest.mark.parametrize(
    "error", [OperationalError("server closed the connection"), InterfaceError("closed")]
)
def test_a_database_outage_is_a_friendly_503_with_retry_after(quiet_client, monkeypatch, error):
    def unreachable(*args, **kwargs):
        raise error

    monkeypatch.setattr(selectors, "counties_with_counts", unreachable)
    response = quiet_client.get("/lan/")
    assert response.status_code == 503
    assert response["Retry-After"] == "15"
    assert "Tillfälligt otillgänglig" in response.content.decode()


def test_other_errors_are_still_500(quiet_client, monkeypatch):
    def broken(*args, **kwargs):
        raise ValueError("a bug")

    monkeypatch.setattr(selectors, "counties_with_counts", broken)
    response = quiet_client.get("/lan/")
    assert response.status_code == 500
    assert "Ett fel uppstod" in response.content.decode()
