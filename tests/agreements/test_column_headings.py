"""A table may divide duties by service: its column headings are the agreement's own, on the page, in the
PDF, in the import format, from a Word document, in the API and editable on a draft."""

import pytest
from django.urls import reverse

from agreements import services
from agreements.importer import AgreementFileError, parse_data
from agreements.models import TargetGroup
from tests.factories import agreement, agreement_data


def by_service(**changes):
    data = agreement_data(**changes)
    data["version"]["target_groups"][0]["columns"] = {
        "municipal": "Socialtjänst",
        "region": "Hälso- och sjukvård",
    }
    return data


def imported(data):
    return services.agreement_version_import(parsed=parse_data(data, "fil.yaml"), source="fil.yaml", by=None)


def test_a_table_by_service_shows_its_own_headings(client, db):
    version = imported(by_service())
    group = TargetGroup.objects.get(version=version)
    assert group.column_headings == {"municipal": "Socialtjänst", "region": "Hälso- och sjukvård"}
    html = client.get(
        reverse("agreements:table", args=[version.agreement.pk, version.number, group.key])
    ).content.decode()
    assert '<th scope="col">Socialtjänst</th>' in html and "Hälso- och sjukvård" in html
    assert "Kommunerna i Blekinge</th>" not in html


def test_without_own_headings_the_parties_name_the_columns(client, db):
    version = agreement()
    group = TargetGroup.objects.get(version=version)
    html = client.get(
        reverse("agreements:table", args=[version.agreement.pk, version.number, group.key])
    ).content.decode()
    assert "Kommunerna i Blekinge" in html


def test_the_import_refuses_a_heading_for_a_side_that_does_not_exist(db):
    data = agreement_data()
    data["version"]["target_groups"][0]["columns"] = {"landstinget": "Vård"}
    with pytest.raises(AgreementFileError) as refused:
        parse_data(data, "fil.yaml")
    assert refused.value.path == "version.target_groups[0].columns.landstinget"


def test_an_editor_sets_the_headings_of_a_draft_and_an_adopted_table_is_not_changed(login, blekinge_editor):
    version = agreement(status="draft")
    group = TargetGroup.objects.get(version=version)
    url = reverse("agreements:table_headings", args=[version.agreement.pk, version.number, group.key])
    response = login(blekinge_editor).post(url, {"municipal": "Socialtjänst", "region": "", "shared": "Båda"})
    assert response.status_code == 302
    group.refresh_from_db()
    assert group.column_headings == {"municipal": "Socialtjänst", "shared": "Båda"}
    adopted = agreement(title="Antagen")
    adopted_group = TargetGroup.objects.get(version=adopted)
    url = reverse("agreements:table_headings", args=[adopted.agreement.pk, adopted.number, adopted_group.key])
    assert login(blekinge_editor).post(url, {"municipal": "X"}).status_code == 403


def test_the_pdf_and_the_api_carry_the_headings(client, db):
    from agreements.pdf import _context

    version = imported(by_service())
    (item,) = _context(version)["groups"]
    assert item["headings"]["municipal"] == "Socialtjänst"
    group = TargetGroup.objects.get(version=version)
    api = client.get(
        f"/api/v1/agreements/{version.agreement.pk}/versions/{version.number}/target-groups/{group.key}"
    )
    assert api.status_code == 200, api.content
    assert api.json()["column_headings"]["region"] == "Hälso- och sjukvård"
