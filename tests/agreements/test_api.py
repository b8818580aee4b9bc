"""The open data API for agreements: what the public reads, filtered; drafts never appear."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from agreements import services
from agreements.importer import parse_data
from agreements.models import Agreement, AgreementVersion, Duty, ResponsibilityArea
from tests.factories import agreement, agreement_data, organisation

API = "/api/v1"


def imported(data: dict) -> AgreementVersion:
    return services.agreement_version_import(
        parsed=parse_data(data, "test.yaml"), source="test.yaml", by=None
    )


def revise(version: AgreementVersion, *, duty: str = "", adopt_on: date | None = None) -> AgreementVersion:
    """A new draft of the agreement, with an extra duty; adopted on the date when given."""
    draft = services.version_revision_create(agreement=version.agreement, by=None, reason="Revision")
    if duty:
        area = ResponsibilityArea.objects.filter(version=draft).first()
        services.duty_create(area=area, side="region", text=duty, by=None, reason="Nytt")
    if adopt_on:
        services.version_adopt(
            version=draft, adopted_on=adopt_on, decision_reference="LSVO § 1", change="Reviderad", by=None
        )
    return draft


def ids(client, url: str) -> list[int]:
    response = client.get(url)
    assert response.status_code == 200, response.content
    return [item["id"] for item in response.json()["items"]]


def test_a_draft_version_is_invisible_everywhere(client, db):
    version = agreement()
    draft = revise(version, duty="utkastformulering om hemlig hjälp")
    pk = version.agreement_id
    assert client.get(f"{API}/agreements/{pk}/versions/{draft.number}").status_code == 404
    assert client.get(f"{API}/agreements/{pk}/versions/{draft.number}/target-groups/vuxna").status_code == 404
    assert [v["number"] for v in client.get(f"{API}/agreements/{pk}").json()["versions"]] == [1]
    assert client.get(f"{API}/search?q=utkastformulering").json()["groups"] == []
    secret = Duty.objects.get(version=draft, text__startswith="utkast")
    assert client.get(f"{API}/duties/{secret.pk}").status_code == 404
    for url in ["/agreements", "/target-groups", "/laws/HSL/references", "/search?q=hjälp"]:
        assert "utkastformulering" not in client.get(API + url).content.decode()


def test_an_editor_logged_in_still_sees_only_what_the_public_sees(client, blekinge_editor):
    version = agreement()
    draft = revise(version, duty="utkastformulering")
    client.force_login(blekinge_editor)
    assert client.get(f"{API}/agreements/{version.agreement_id}/versions/{draft.number}").status_code == 404
    assert client.get(f"{API}/search?q=utkastformulering").json()["groups"] == []


def test_an_agreement_with_only_a_draft_is_not_listed(client, db):
    version = agreement(status="draft")
    assert ids(client, f"{API}/agreements") == []
    assert client.get(f"{API}/agreements/{version.agreement_id}").status_code == 404


def test_agreements_filter_by_county_and_organisation(client, db):
    blekinge = agreement().agreement_id
    kalmar = agreement(county="08").agreement_id
    assert ids(client, f"{API}/agreements") == [kalmar, blekinge]  # by county code: 08 before 10
    assert ids(client, f"{API}/agreements?county=10") == [blekinge]
    assert ids(client, f"{API}/agreements?organisation={organisation('0880').pk}") == [kalmar]
    assert ids(client, f"{API}/agreements?organisation={organisation('1081').pk}") == [blekinge]
    assert ids(client, f"{API}/agreements?organisation={organisation('2281').pk}") == []


def test_agreements_filter_by_target_group_and_law(client, db):
    with_lss = agreement().agreement_id
    data = agreement_data(county="08")
    group = data["version"]["target_groups"][0]
    group["key"] = "barn-och-unga"
    group["responsibility_areas"] = group["responsibility_areas"][:1]  # Hjälpmedel only: no LSS
    without_lss = imported(data).agreement_id
    assert ids(client, f"{API}/agreements?target_group=vuxna") == [with_lss]
    assert ids(client, f"{API}/agreements?target_group=barn-och-unga") == [without_lss]
    assert ids(client, f"{API}/agreements?law=LSS") == [with_lss]
    assert ids(client, f"{API}/agreements?law=HSL") == [without_lss, with_lss]
    assert ids(client, f"{API}/agreements?law=LVM") == []
    groups = client.get(f"{API}/target-groups?law=LSS").json()["items"]
    assert [(g["key"], g["agreement"]["id"]) for g in groups] == [("vuxna", with_lss)]


def test_agreements_filter_by_the_day_they_are_in_force(client, db):
    running = agreement().agreement_id  # 2023-06-01 – 2026-12-31, extended by two years at a time
    ending = agreement(county="08").agreement
    ending.notice_given_on = date(2025, 6, 1)
    ending.save(update_fields=["notice_given_on"])
    assert ids(client, f"{API}/agreements?in_force_on=2023-01-01") == []
    assert ids(client, f"{API}/agreements?in_force_on=2024-01-01") == [ending.pk, running]
    assert ids(client, f"{API}/agreements?in_force_on=2027-06-01") == [running]
    assert ids(client, f"{API}/agreements?in_force_on=9999-12-31") == [running]
    detail = client.get(f"{API}/agreements/{ending.pk}?on=2027-06-01").json()
    assert detail["validity"]["status"] == "terminated"
    assert detail["version_in_force"]["number"] == 1


def test_target_groups_follow_the_version_in_force_on_the_day(client, db):
    version = agreement()
    revise(version, duty="ny text", adopt_on=date(2025, 1, 1))

    def versions(query: str) -> list[int]:
        return [g["version"] for g in client.get(f"{API}/target-groups{query}").json()["items"]]

    assert versions("") == [2]
    assert versions("?in_force_on=2024-06-01") == [1]
    assert versions("?in_force_on=2025-06-01") == [2]
    detail = client.get(f"{API}/agreements/{version.agreement_id}?on=2024-06-01").json()
    assert detail["version_in_force"]["number"] == 1
    assert [v["status"] for v in detail["versions"]] == ["pending", "in_force"]


def test_a_responsibility_table_has_both_sides_with_legal_references_and_filters_by_law(client, db):
    version = agreement()
    url = f"{API}/agreements/{version.agreement_id}/versions/1/target-groups/vuxna"
    table = client.get(url).json()["responsibility_table"]
    assert [row["name"] for row in table] == ["Hjälpmedel", "Insatser enligt LSS"]
    assert table[0]["region"][0]["legal_references"][0]["citation"] == "HSL 8 kap. 7 §"
    assert table[1]["region"] == []
    duty = client.get(table[0]["municipal"][0]["url"]).json()
    assert duty["target_group"]["key"] == "vuxna"
    assert duty["html_url"].endswith(f"/malgrupp/vuxna/?omrade={table[0]['id']}")
    assert [row["name"] for row in client.get(url + "?law=LSS").json()["responsibility_table"]] == [
        "Insatser enligt LSS"
    ]


def test_search_finds_inflected_forms_and_marks_matching_duties(client, db):
    agreement()
    groups = client.get(f"{API}/search?q=hjälpmedel").json()["groups"]
    hit = groups[0]["hits"][0]
    assert hit["area"] == "Hjälpmedel"
    assert hit["municipal"][0]["matched"] is True
    assert client.get(f"{API}/search?q=hjälpmedel&county=08").json()["groups"] == []


def test_the_legal_index_lists_references_by_county(client, db):
    agreement()
    agreement(county="08")
    assert client.get(f"{API}/laws/HSL").json()["duty_count"] == 4
    assert client.get(f"{API}/laws/HSL/references").json()["count"] == 4
    assert client.get(f"{API}/laws/HSL/references?county=08").json()["count"] == 2
    assert client.get(f"{API}/laws/XYZ").status_code == 404


def test_an_unchanged_version_answers_a_conditional_request_with_304(client, db):
    version = agreement()
    url = f"{API}/agreements/{version.agreement_id}/versions/1"
    first = client.get(url)
    assert first["ETag"] and first["Last-Modified"]
    assert "public" in first["Cache-Control"]
    not_modified = client.get(url, headers={"if-none-match": first["ETag"]})
    assert not_modified.status_code == 304
    assert not_modified.content == b""
    assert client.get(url, headers={"if-modified-since": first["Last-Modified"]}).status_code == 304
    assert client.get(url, headers={"if-none-match": '"something-else"'}).status_code == 200


def test_a_changed_agreement_gets_a_new_etag(client, db):
    version = agreement()
    url = f"{API}/agreements/{version.agreement_id}"
    etag = client.get(url)["ETag"]
    Agreement.objects.filter(pk=version.agreement_id).update(short_title="Ny kortare titel")
    response = client.get(url, headers={"if-none-match": etag})
    assert response.status_code == 200
    assert response.json()["short_title"] == "Ny kortare titel"


def queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.mark.parametrize(
    "path", ["/agreements", "/target-groups", "/laws/HSL/references", "/search?q=hjälpmedel"]
)
def test_lists_take_the_same_queries_for_one_agreement_as_for_many(
    client, db, path, django_assert_max_num_queries
):
    agreement()
    small = queries(client, API + path)
    for number in range(4):
        agreement(title=f"Överenskommelse {number}", extra_area=f"Område {number}")
        agreement(county="08", title=f"Kalmar {number}")
    with django_assert_max_num_queries(small):
        client.get(API + path)


def test_agreement_and_table_details_take_flat_queries(client, db, django_assert_max_num_queries):
    small = agreement(title="Liten")
    small_detail = queries(client, f"{API}/agreements/{small.agreement_id}")
    small_table = queries(client, f"{API}/agreements/{small.agreement_id}/versions/1/target-groups/vuxna")
    large = agreement(title="Stor", extra_area="Tvångsåtgärder")
    revise(large, duty="mer", adopt_on=date(2025, 1, 1))
    with django_assert_max_num_queries(small_detail):
        client.get(f"{API}/agreements/{large.agreement_id}")
    with django_assert_max_num_queries(small_table):
        client.get(f"{API}/agreements/{large.agreement_id}/versions/2/target-groups/vuxna")
