"""Adoption in steps: the joint body adopts, then each party's own council or board ratifies."""

from datetime import date

import pytest
from django.urls import reverse

from agreements.models import AgreementParty
from tests.factories import agreement, organisation


@pytest.fixture
def adopted(db):
    return agreement()


def edit_url(version) -> str:
    return reverse("agreements:ratification_edit", args=[version.agreement_id])


def party(version, code: str) -> AgreementParty:
    return AgreementParty.objects.get(agreement_id=version.agreement_id, organisation=organisation(code))


def test_an_editor_records_a_partys_ratification_and_the_page_shows_who_has_not(
    client, blekinge_editor, adopted
):
    client.force_login(blekinge_editor)
    karlskrona = party(adopted, "1080")
    response = client.post(
        edit_url(adopted),
        {
            "party": karlskrona.pk,
            "ratified_by": "Kommunfullmäktige",
            "ratified_on": "2024-04-25",
            "reference": "KF § 61",
            "reason": "Protokollsutdrag",
        },
    )
    assert response.status_code == 302
    karlskrona.refresh_from_db()
    assert (karlskrona.ratified_by, karlskrona.ratified_on) == ("Kommunfullmäktige", date(2024, 4, 25))
    assert karlskrona.history.first().history_change_reason == "Protokollsutdrag"
    client.logout()
    html = client.get(reverse("agreements:detail", args=[adopted.agreement_id])).content.decode()
    assert "fastställd av Kommunfullmäktige 25 april 2024 (KF § 61)" in html
    assert "inte fastställd än" in html  # Ronneby and the Region have not


def test_an_agreement_without_ratifications_says_nothing_about_them(client, adopted):
    html = client.get(reverse("agreements:detail", args=[adopted.agreement_id])).content.decode()
    assert "fastställd" not in html


def test_a_date_without_the_deciding_body_is_refused_next_to_the_field(client, blekinge_editor, adopted):
    client.force_login(blekinge_editor)
    response = client.post(
        edit_url(adopted),
        {"party": party(adopted, "1080").pk, "ratified_on": "2024-04-25", "reason": "x"},
    )
    assert response.status_code == 400
    assert "Ange vilket organ hos parten" in response.content.decode()
    assert party(adopted, "1080").ratified_on is None


def test_an_official_may_not_and_the_public_must_log_in(client, karlskrona_official, adopted):
    assert client.get(edit_url(adopted)).status_code == 302
    client.force_login(karlskrona_official)
    assert client.get(edit_url(adopted)).status_code == 403


def test_the_api_gives_each_partys_ratification(client, adopted):
    from agreements import services

    services.party_ratification_record(
        party=party(adopted, "1081"),
        ratified_by="Kommunstyrelsen",
        ratified_on=date(2024, 5, 2),
        reference="",
        by=None,
        reason="Test",
    )
    body = client.get(f"/api/v1/agreements/{adopted.agreement_id}").json()
    by_id = {p["id"]: p for p in body["parties"]}
    assert (by_id[organisation("1081").pk]["ratified_by"], by_id[organisation("1081").pk]["ratified_on"]) == (
        "Kommunstyrelsen",
        "2024-05-02",
    )
    assert by_id[organisation("1080").pk]["ratified_on"] is None
