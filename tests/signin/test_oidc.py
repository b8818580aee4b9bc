"""Signing in through an OpenID Connect provider: node-oidc-provider runs beside the test, a requests
session plays the browser at the provider, the test client plays it at the portal."""

import re
from urllib.parse import urljoin, urlparse

import pytest
import requests
from django.contrib.auth.models import User
from django.urls import reverse

from idp.run import OIDC_MODULE, free_port, oidc_provider
from samverkan import selectors as core_selectors
from signin import services
from signin.forms import connection_label
from signin.models import ExternalIdentity
from tests.factories import organisation, person

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(not OIDC_MODULE.exists(), reason="oidc-provider saknas i var/node (make setup)"),
]
PERSON = {
    "password": "idp-lösenord",
    "uid": "erik-sub-1",
    "email": "erik.eriksson@regionblekinge.se",
    "given_name": "Erik",
    "family_name": "Eriksson",
}


@pytest.fixture(scope="module")
def issuer():
    with oidc_provider(
        client_id="samverkan",
        client_secret="klienthemlighet-for-test",
        redirect_uri="http://testserver/konto/oidc/callback/",
        post_logout_uri="http://testserver/konto/utloggad/",
        users={"erik": PERSON},
    ) as url:
        yield url


@pytest.fixture
def connection(issuer, settings):
    settings.SITE_URL = "http://testserver"
    return services.connection_save(
        organisation=organisation("R10"),
        data=services.ConnectionData(
            protocol="oidc",
            issuer=issuer,
            client_id="samverkan",
            client_secret="klienthemlighet-for-test",
            email_domains="regionblekinge.se",
        ),
        by=None,
        reason="Test",
    )


def at_provider(authorization_url: str, username: str = "erik", password: str = PERSON["password"]) -> str:
    """Sign in at the provider as a browser would; the portal's callback URL it sends the browser back to."""
    browser = requests.Session()
    response = browser.get(authorization_url, allow_redirects=True, timeout=10)
    action = re.search(r'action="([^"]+)"', response.text).group(1)
    response = browser.post(
        urljoin(response.url, action),
        data={"username": username, "password": password},
        allow_redirects=False,
    )
    for _ in range(10):
        location = urljoin(response.url, response.headers["Location"])
        if location.startswith("http://testserver/"):
            return location
        response = browser.get(location, allow_redirects=False, timeout=10)
    raise AssertionError("the provider never sent the browser back")


def sign_in(client, connection, **start):
    response = client.get(reverse("signin:start"), start or {"organisation": connection_label(connection)})
    assert response.status_code == 302
    callback = at_provider(response["Location"])
    return client.get(callback.removeprefix("http://testserver"))


def test_the_first_sign_in_creates_the_person_in_the_connections_organisation(client, connection):
    response = sign_in(client, connection)

    assert response.status_code == 302
    user = User.objects.get(external_identities__subject=PERSON["uid"])
    assert (user.first_name, user.last_name, user.email) == ("Erik", "Eriksson", PERSON["email"])
    assert user.profile.organisation == organisation("R10")
    assert [h.role for h in core_selectors.roles_of(user)] == ["official"]
    assert int(client.session["_auth_user_id"]) == user.pk


def test_the_email_domain_finds_the_organisation(client, connection):
    response = sign_in(client, connection, email="Erik.Eriksson@RegionBlekinge.se")

    assert response.status_code == 302
    assert ExternalIdentity.objects.filter(connection=connection).count() == 1


def test_the_organisation_chosen_is_remembered_in_a_cookie(client, connection):
    sign_in(client, connection)
    remembered = client.cookies["samverkan_organisation"].value
    client.logout()  # the test client forgets every cookie; a browser keeps this one
    client.cookies["samverkan_organisation"] = remembered

    page = client.get(reverse("login")).content.decode()

    assert f"Logga in via {connection_label(connection)}" in page


def test_an_email_of_a_person_in_another_organisation_is_never_taken_over(client, connection):
    victim = person("1080", username="victim")
    victim.email = PERSON["email"]
    victim.save()

    response = sign_in(client, connection)

    assert response.status_code == 403
    assert "hör till ett annat konto" in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert not ExternalIdentity.objects.exists()


def test_a_callback_used_twice_is_refused_and_changes_nothing(client, connection):
    response = client.get(reverse("signin:start"), {"organisation": connection_label(connection)})
    callback = at_provider(response["Location"]).removeprefix("http://testserver")
    assert client.get(callback).status_code == 302
    client.logout()
    User.objects.filter(external_identities__isnull=False).delete()

    response = client.get(callback)

    assert response.status_code == 400
    assert "redan använts" in response.content.decode()
    assert not User.objects.filter(email=PERSON["email"]).exists()


def test_a_callback_with_another_state_is_refused(client, connection):
    response = client.get(reverse("signin:start"), {"organisation": connection_label(connection)})
    callback = at_provider(response["Location"]).removeprefix("http://testserver")

    response = client.get(re.sub(r"state=[^&]+", "state=forfalskad", callback))

    assert response.status_code == 403
    assert not User.objects.filter(email=PERSON["email"]).exists()


def test_a_provider_that_does_not_answer_gets_a_friendly_page_not_a_500(client, settings):
    settings.SITE_URL = "http://testserver"
    down = services.connection_save(
        organisation=organisation("1081"),
        data=services.ConnectionData(
            protocol="oidc", issuer=f"http://127.0.0.1:{free_port()}", client_id="x", client_secret="y"
        ),
        by=None,
        reason="Test",
    )

    response = client.get(reverse("signin:start"), {"organisation": connection_label(down)})

    assert response.status_code == 503
    assert "svarar inte just nu" in response.content.decode()
    assert not ExternalIdentity.objects.exists()


def test_an_unknown_organisation_is_told_next_to_the_field_and_sends_nobody_anywhere(client, connection):
    response = client.get(reverse("signin:start"), {"organisation": "Påhittade kommun"})

    assert response.status_code == 400
    assert "Ingen organisation med inloggning via eget konto heter så" in response.content.decode()
    assert 'aria-invalid="true"' in response.content.decode()


def test_signing_out_ends_the_portal_session_and_sends_the_browser_to_the_providers_end_session(
    client, connection, issuer
):
    sign_in(client, connection)

    response = client.post(reverse("logout"))

    assert "_auth_user_id" not in client.session
    assert response.status_code == 302
    location = urlparse(response["Location"])
    assert f"{location.scheme}://{location.netloc}" == issuer
    assert "post_logout_redirect_uri=http%3A%2F%2Ftestserver%2Fkonto%2Futloggad%2F" in location.query
