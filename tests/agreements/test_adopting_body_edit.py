"""An editor sets or changes the adopting body after an import, in the portal."""

import pytest
from django.urls import reverse

from agreements.models import Agreement
from tests.factories import BodyFactory, agreement, county


@pytest.fixture
def adopted(db):
    return agreement()


def edit_url(version) -> str:
    return reverse("agreements:adopting_body_edit", args=[version.agreement_id])


def test_an_editor_links_the_agreement_to_the_body_that_adopted_it(client, blekinge_editor, adopted, lsvo):
    client.force_login(blekinge_editor)
    assert client.get(edit_url(adopted)).status_code == 200
    response = client.post(edit_url(adopted), {"adopting_body": lsvo.pk, "reason": "Antogs av LSVO"})
    assert response.status_code == 302
    deal = Agreement.objects.get(pk=adopted.agreement_id)
    assert deal.adopting_body == lsvo
    assert deal.history.first().history_change_reason == "Antogs av LSVO"
    assert lsvo.get_absolute_url() in client.get(deal.get_absolute_url()).content.decode()


def test_a_body_of_another_county_cannot_be_chosen(client, blekinge_editor, adopted):
    other = BodyFactory(county=county("08"), name="LLS", abbreviation="LLS")
    client.force_login(blekinge_editor)
    response = client.post(edit_url(adopted), {"adopting_body": other.pk, "reason": "Fel"})
    assert response.status_code == 400
    assert "Välj ett giltigt alternativ" in response.content.decode()
    assert Agreement.objects.get(pk=adopted.agreement_id).adopting_body is None


def test_the_reason_is_required_and_nothing_is_lost(client, blekinge_editor, adopted, lsvo):
    client.force_login(blekinge_editor)
    response = client.post(edit_url(adopted), {"adopting_body": lsvo.pk, "reason": ""})
    assert response.status_code == 400
    assert f'value="{lsvo.pk}" selected' in response.content.decode()


def test_an_official_may_not_and_the_public_must_log_in(client, karlskrona_official, adopted):
    assert client.get(edit_url(adopted)).status_code == 302
    client.force_login(karlskrona_official)
    assert client.get(edit_url(adopted)).status_code == 403
