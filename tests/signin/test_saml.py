"""Signing in through a SAML2 identity provider: pysaml2's own IdP answers, the portal checks."""

import pytest
from django.contrib.auth.models import User

from samverkan import selectors as core_selectors
from signin.models import ExternalIdentity
from tests.factories import organisation, person
from tests.signin.saml_helpers import PERSON, answer, connect, local_idp, post_answer, start, tampered

pytestmark = pytest.mark.django_db


@pytest.fixture
def idp(tmp_path, settings):
    settings.SITE_URL = "http://testserver"
    return local_idp(tmp_path)


@pytest.fixture
def connection(idp):
    return connect(idp)


def nothing_created():
    return (
        not User.objects.filter(email__iexact=PERSON["email"]).exists()
        and not ExternalIdentity.objects.exists()
    )


def test_the_first_sign_in_creates_the_person_in_the_connections_organisation_as_an_official(
    client, idp, connection
):
    response = post_answer(client, answer(idp, start(client, connection)))

    assert response.status_code == 302
    user = User.objects.get(email=PERSON["email"])
    assert (user.first_name, user.last_name) == ("Anna", "Andersson")
    assert user.profile.organisation == organisation("1080")
    assert [h.role for h in core_selectors.roles_of(user)] == ["official"]
    assert ExternalIdentity.objects.get(user=user).subject == PERSON["uid"]
    assert client.get("/konto/").status_code == 200  # signed in


def test_the_next_sign_in_finds_the_person_by_the_providers_identifier_not_the_email(client, idp, connection):
    post_answer(client, answer(idp, start(client, connection)))
    client.logout()
    moved = dict(PERSON, email="anna.ny@karlskrona.se")

    post_answer(client, answer(idp, start(client, connection), moved))

    assert User.objects.filter(external_identities__subject=PERSON["uid"]).count() == 1
    assert User.objects.count() == User.objects.filter(pk__in=User.objects.values("pk")).count()
    assert int(client.session["_auth_user_id"]) == ExternalIdentity.objects.get().user_id


def test_an_email_of_a_person_in_another_organisation_is_never_taken_over(client, idp, connection):
    victim = person("1081", username="victim")  # Ronneby, not Karlskrona
    victim.email = PERSON["email"]
    victim.save()

    response = post_answer(client, answer(idp, start(client, connection)))

    assert response.status_code == 403
    assert "hör till ett annat konto" in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert not ExternalIdentity.objects.exists()


@pytest.mark.parametrize(
    "case",
    ["unsigned", "tampered", "wrong_audience", "wrong_recipient", "expired", "replayed", "unsolicited"],
)
def test_a_bad_answer_is_refused_with_a_clear_message_and_nothing_created(client, idp, connection, case):
    query = start(client, connection)
    if case == "unsigned":
        saml_response = answer(idp, query, sign_assertion=False)
        expected = "inte signerat"
    elif case == "tampered":
        saml_response = tampered(answer(idp, query), "Andersson", "Admin")
        expected = "signaturen stämmer inte"
    elif case == "wrong_audience":
        saml_response = answer(idp, query, audience="https://annan-tjanst.example/sp")
        expected = "inte ställt till den här portalen"
    elif case == "wrong_recipient":  # meant for another service's consumer service
        saml_response = answer(idp, query, recipient="https://annan-tjanst.example/acs")
        expected = "kunde inte godtas"
    elif case == "expired":
        idp.server().config.setattr("idp", "policy", None)
        from saml2.assertion import Policy

        idp.server().config.setattr(
            "idp", "policy", Policy({"default": {"lifetime": {"minutes": -10}}}, mds=idp.server().metadata)
        )
        saml_response = answer(idp, query)
        expected = "gått ut"
    elif case == "replayed":
        saml_response = answer(idp, query)
        assert post_answer(client, saml_response).status_code == 302
        client.logout()
        User.objects.all().delete()
        expected = "hör inte till någon inloggning"
    else:  # an answer to a request this browser never made
        client.session.flush()
        client.cookies.clear()
        saml_response = answer(idp, query)
        expected = "hör inte till någon inloggning"

    response = post_answer(client, saml_response)

    assert response.status_code in (400, 403)
    assert expected in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert nothing_created()


def test_an_answer_posted_without_the_session_cookie_is_posted_again_from_the_portal(client, idp, connection):
    saml_response = answer(idp, start(client, connection))
    client.cookies.clear()

    response = client.post("/konto/saml/acs/", {"SAMLResponse": saml_response})

    assert response.status_code == 200
    assert 'name="resent" value="1"' in response.content.decode()
    assert nothing_created()


def test_the_portal_publishes_its_service_provider_metadata(client, settings):
    settings.SITE_URL = "https://samverkan.example.se"

    response = client.get("/konto/saml/metadata/")

    assert response.status_code == 200
    body = response.content.decode()
    assert 'entityID="https://samverkan.example.se/konto/saml/metadata/"' in body
    assert "https://samverkan.example.se/konto/saml/acs/" in body
    assert "X509Certificate" in body


def test_signing_out_ends_the_portal_session_and_the_providers_by_single_logout(client, idp, connection):
    from urllib.parse import parse_qs, urlparse

    post_answer(client, answer(idp, start(client, connection)))
    assert PERSON["uid"] not in idp.signed_in  # signed in through the helper, not the IdP's login form
    idp.signed_in.add(PERSON["uid"])

    response = client.post("/konto/logga-ut/")

    assert "_auth_user_id" not in client.session
    location = response["Location"]
    assert location.startswith("http://idp.test/slo/redirect?")
    back = idp.logout_answer({k: v[0] for k, v in parse_qs(urlparse(location).query).items()})
    assert PERSON["uid"] not in idp.signed_in
    assert back.startswith("http://testserver/konto/saml/sls/?")

    page = client.get(back.removeprefix("http://testserver"), follow=True).content.decode()

    assert "även hos din organisations identitetsleverantör" in page


def test_a_metadata_url_that_does_not_answer_keeps_the_metadata_and_says_so(
    client, idp, connection, settings
):
    from samverkan.models import Role
    from signin.models import Connection
    from tests.factories import county, person

    Connection.objects.filter(pk=connection.pk).update(metadata_url="http://127.0.0.1:9/metadata")
    admin = person("1080", (Role.COUNTY_ADMIN, county("10")))
    client.force_login(admin)

    response = client.post(
        f"/administration/10/inloggning/{connection.organisation_id}/hamta-metadata/", follow=True
    )

    assert response.status_code == 200
    assert "Metadata hämtades inte: Metadata kunde inte hämtas från http://127.0.0.1:9/metadata" in (
        response.content.decode()
    )
    connection.refresh_from_db()
    assert connection.metadata_xml and connection.idp_entity_id == "http://idp.test/metadata"


def test_a_person_created_by_signing_in_is_active_not_invited_in_the_county_administrators_list(
    client, idp, connection
):
    from django.test import Client

    from samverkan.models import Role
    from tests.factories import county

    post_answer(client, answer(idp, start(client, connection)))
    admin = Client()
    admin.force_login(person("1080", (Role.COUNTY_ADMIN, county("10"))))

    page = admin.get("/administration/10/personer/", {"q": "Andersson"}).content.decode()

    row = page[page.index("Anna Andersson") :]
    assert row[: row.index("</tr>")].count("Aktiv") == 1 and "Inbjuden" not in row[: row.index("</tr>")]


def test_without_a_key_pair_in_production_the_metadata_says_so_and_a_login_gets_a_friendly_page(
    client, idp, connection, settings
):
    settings.DEBUG = False
    settings.SIGNIN_SAML_KEY_FILE = settings.SIGNIN_SAML_CERT_FILE = ""

    metadata = client.get("/konto/saml/metadata/")
    login = client.get("/konto/organisation/", {"organisation": "Karlskrona kommun (Blekinge län)"})

    assert metadata.status_code == 503 and "SIGNIN_SAML_KEY_FILE" in metadata.content.decode()
    assert login.status_code == 503 and "svarar inte just nu" in login.content.decode()
