"""The open data API publishes deviation statistics only: never a case, its text or who reported it."""

from tests.deviations.conftest import report

API = "/api/v1"


def test_statistics_count_the_countys_cases_of_the_year(client, deal, ladder, karlskrona_official):
    report(deal, karlskrona_official)
    report(deal, karlskrona_official, title="Ingen återkoppling")
    data = client.get(f"{API}/deviation-statistics/10/2026").json()
    assert (data["total"], data["deviations"], data["disputes"], data["open"]) == (2, 2, 0, 2)
    assert data["by_month"] == [{"label": "3", "count": 2}]
    assert data["by_concerned"] == [{"label": "Region Blekinge", "count": 2}]
    assert client.get(f"{API}/deviation-statistics/10/2025").json()["total"] == 0
    assert client.get(f"{API}/deviation-statistics/08/2026").json()["total"] == 0


def test_no_case_data_is_published(client, deal, ladder, karlskrona_official):
    case = report(deal, karlskrona_official, title="Remiss obesvarad hos enheten")
    text = client.get(f"{API}/deviation-statistics/10/2026").content.decode()
    for private in [case.title, case.description, karlskrona_official.username, karlskrona_official.email]:
        assert private not in text


def test_unknown_counties_and_years_outside_the_range_are_refused(client, db):
    assert client.get(f"{API}/deviation-statistics/99/2026").status_code == 404
    assert client.get(f"{API}/deviation-statistics/10/1999").status_code == 422
    assert client.get(f"{API}/deviation-statistics/1/2026").status_code == 422
