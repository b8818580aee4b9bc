"""The open data API as a whole: its description and documentation page, pagination, conditional requests,
the rate limit, and schemathesis exercising every operation against the OpenAPI description."""

from datetime import timedelta

import pytest
import schemathesis
from django.core import signals
from django.db import close_old_connections, connection
from django.test.utils import CaptureQueriesContext
from hypothesis import HealthCheck, Phase
from hypothesis import settings as hypothesis_settings

from samverkan.models import ApiRequestCount, Organisation
from samverkan.wsgi import application
from tests.factories import agreement, organisation

API = "/api/v1"


def test_the_openapi_description_is_served_at_a_stable_url(client, db):
    schema = client.get(f"{API}/openapi.json").json()
    assert schema["openapi"].startswith("3.")
    assert {
        "/api/v1/agreements",
        "/api/v1/meetings/{pk}",
        "/api/v1/deviation-statistics/{code}/{year}",
    } <= set(schema["paths"])
    assert set(schema["paths"]["/api/v1/agreements/{pk}"]["get"]["responses"]) >= {"200", "304", "404", "429"}


def test_the_documentation_page_lists_operations_without_inline_scripts(client, db):
    response = client.get(f"{API}/docs/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "GET /api/v1/agreements" in html
    assert f'href="{API}/openapi.json"' in html
    assert "<script>" not in html and "cdn" not in html.lower()
    assert "'unsafe-inline'" not in response["Content-Security-Policy"]


def test_the_index_links_every_list(client, db):
    resources = client.get(f"{API}/").json()["resources"]
    assert client.get(resources.pop("search") + "?q=hjälpmedel").status_code == 200
    for url in resources.values():
        assert client.get(url).status_code == 200, url


def test_counties_and_organisations_filter_by_county_and_kind(client, db):
    assert client.get(f"{API}/counties").json()["count"] == 21
    blekinge = client.get(f"{API}/counties/10").json()
    assert len(blekinge["organisations"]) == 6
    regions = client.get(f"{API}/organisations?kind=region").json()
    assert regions["count"] == 21
    ronneby = client.get(f"{API}/organisations?county=10&kind=municipality").json()["items"]
    assert "Ronneby kommun" in [o["name"] for o in ronneby]
    assert client.get(f"{API}/organisations/{organisation('1081').pk}").json()["code"] == "1081"
    assert client.get(f"{API}/counties/99").status_code == 404


def test_lists_are_paginated_with_links(client, db):
    first = client.get(f"{API}/organisations?county=10&page_size=4").json()
    assert (first["count"], first["pages"], len(first["items"]), first["previous"]) == (6, 2, 4, None)
    assert first["next"] == "http://testserver/api/v1/organisations?county=10&page=2&page_size=4"
    second = client.get(first["next"]).json()
    assert len(second["items"]) == 2 and second["next"] is None
    assert second["previous"] == "http://testserver/api/v1/organisations?county=10&page=1&page_size=4"
    beyond = client.get(f"{API}/organisations?county=10&page=9&page_size=4").json()
    assert beyond["items"] == [] and beyond["previous"].endswith("page=2&page_size=4")
    assert client.get(f"{API}/organisations?page_size=1000").status_code == 422


def test_a_conditional_request_for_an_unchanged_resource_gets_304(client, db):
    url = f"{API}/organisations/{organisation('1081').pk}"
    first = client.get(url)
    assert first["Cache-Control"] == "public, max-age=60"
    unchanged = client.get(url, headers={"if-none-match": first["ETag"]})
    assert unchanged.status_code == 304
    assert unchanged["ETag"] == first["ETag"]
    Organisation.objects.filter(code="1081").update(short_name="Ronneby (ny)")
    changed = client.get(url, headers={"if-none-match": first["ETag"]})
    assert changed.status_code == 200
    assert changed["ETag"] != first["ETag"]


def test_too_many_requests_from_one_address_get_429_with_retry_after(client, db, settings):
    settings.API_RATE_LIMIT = "3/min"
    for _ in range(3):
        assert client.get(f"{API}/counties").status_code == 200
    refused = client.get(f"{API}/counties")
    assert refused.status_code == 429
    assert 1 <= int(refused["Retry-After"]) <= 60
    assert refused.json() == {"detail": "Too many requests."}
    assert client.get(f"{API}/counties", REMOTE_ADDR="10.0.0.2").status_code == 200
    assert client.get(f"{API}/openapi.json").status_code == 200  # the description is not counted


def test_rate_windows_that_have_ended_are_pruned(client, db):
    from django.utils import timezone

    ApiRequestCount.objects.create(
        client="10.9.9.9", window_start=timezone.now() - timedelta(hours=1), hits=5
    )
    client.get(f"{API}/counties")
    assert list(ApiRequestCount.objects.values_list("client", "hits")) == [("127.0.0.1", 1)]


def test_counting_a_request_is_one_query_whether_or_not_it_prunes(db, django_assert_num_queries):
    from django.utils import timezone

    from samverkan.services import api_request_count

    now = timezone.now().replace(second=0, microsecond=0)
    old = ApiRequestCount.objects.create(client="10.9.9.9", window_start=now - timedelta(hours=1), hits=5)
    with django_assert_num_queries(1):
        assert api_request_count(client="10.0.0.1", window_start=now, window_seconds=60) == 1
    assert not ApiRequestCount.objects.filter(pk=old.pk).exists()
    ApiRequestCount.objects.create(client="10.9.9.9", window_start=now - timedelta(hours=1), hits=5)
    with django_assert_num_queries(1):
        assert api_request_count(client="10.0.0.1", window_start=now, window_seconds=60) == 2
    assert ApiRequestCount.objects.filter(client="10.9.9.9").exists()  # only a window's first request prunes


def test_the_rate_limit_setting_is_checked_at_start_up():
    from django.core.exceptions import ImproperlyConfigured

    from samverkan.envconf import parse_rate

    assert parse_rate("120/min") == (120, 60)
    assert parse_rate("5000/day") == (5000, 86400)
    for bad in ["120", "x/min", "0/min", "10/fortnight"]:
        with pytest.raises(ImproperlyConfigured):
            parse_rate(bad, name="API_RATE_LIMIT")


def test_county_and_organisation_lists_take_flat_queries(client, db, django_assert_max_num_queries):
    with CaptureQueriesContext(connection) as small:
        client.get(f"{API}/organisations?county=10")
    with django_assert_max_num_queries(len(small)):
        client.get(f"{API}/organisations?page_size=200")
    with CaptureQueriesContext(connection) as small:
        client.get(f"{API}/counties/10")
    with django_assert_max_num_queries(len(small)):
        client.get(f"{API}/counties/01")  # Stockholm: 26 municipalities


# --- schemathesis ---------------------------------------------------------------------------------


# Loaded once at collection: producing the description touches no database.
schema = schemathesis.openapi.from_wsgi(f"{API}/openapi.json", application)


@pytest.fixture
def api_data(db, settings):
    """Some data behind the operations, and a rate limit generated requests do not reach. Requests go
    through the WSGI handler, which would close the test's database connection after each request (the
    test client disconnects that the same way)."""
    settings.API_RATE_LIMIT = "100000/min"
    agreement()
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@schema.parametrize()
@hypothesis_settings(
    max_examples=15,
    derandomize=True,
    deadline=None,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck),
)
def test_every_operation_conforms_to_its_description(case, api_data):
    case.call_and_validate()
