"""The second factor (TOTP) for superusers and county administrators who log in with the portal's own
password."""

import pytest
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from samverkan.models import Role
from tests.factories import PASSWORD, county, organisation, person

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def second_factor_on(settings):
    settings.SIGNIN_SECOND_FACTOR_REQUIRED = True


@pytest.fixture
def county_admin():
    return person("1080", (Role.COUNTY_ADMIN, county("10")), username="lansadmin")


def password_login(client, user):
    response = client.post(reverse("login"), {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302
    return response


def code_for(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):06d}"


def test_a_county_administrator_logging_in_with_a_password_reaches_nothing_before_the_second_factor(
    client, county_admin
):
    password_login(client, county_admin)

    response = client.get("/administration/")

    assert response.status_code == 302
    assert response["Location"] == reverse("signin:second_factor") + "?next=%2Fadministration%2F"


def test_the_first_time_the_page_shows_a_qr_code_and_the_key_and_a_right_code_lets_the_person_in(
    client, county_admin
):
    password_login(client, county_admin)
    page = client.get(reverse("signin:second_factor"))
    assert page.status_code == 200
    assert b"<svg" in page.content and "Nyckel att skriva in" in page.content.decode()
    device = TOTPDevice.objects.get(user=county_admin)
    assert not device.confirmed

    response = client.post(
        reverse("signin:second_factor"), {"token": code_for(device), "next": "/administration/"}
    )

    assert response.status_code == 302 and response["Location"] == "/administration/"
    device.refresh_from_db()
    assert device.confirmed
    assert client.get("/administration/").status_code == 200


def test_a_wrong_code_is_told_next_to_the_field_and_lets_nobody_in(client, county_admin):
    password_login(client, county_admin)
    client.get(reverse("signin:second_factor"))

    response = client.post(reverse("signin:second_factor"), {"token": "000000"})

    assert response.status_code == 400
    assert "Koden stämmer inte" in response.content.decode()
    assert client.get("/administration/").status_code == 302


def test_repeated_wrong_codes_are_throttled(client, county_admin):
    password_login(client, county_admin)
    client.get(reverse("signin:second_factor"))
    device = TOTPDevice.objects.get(user=county_admin)
    for _ in range(3):
        client.post(reverse("signin:second_factor"), {"token": "000000"})

    response = client.post(reverse("signin:second_factor"), {"token": code_for(device)})

    assert "För många felaktiga koder" in response.content.decode()


def test_a_superuser_is_asked_too_but_an_official_is_not(client):
    official = person("1080", (Role.OFFICIAL, organisation("1080")))
    password_login(client, official)
    assert client.get("/konto/").status_code == 200

    client.logout()
    boss = person(None, username="boss")
    boss.is_superuser = True
    boss.save()
    password_login(client, boss)
    assert client.get("/konto/").status_code == 302


def test_logging_out_is_possible_while_the_second_factor_is_pending(client, county_admin):
    password_login(client, county_admin)

    response = client.post(reverse("logout"))

    assert response.status_code == 302
    assert "_auth_user_id" not in client.session
