"""The local SAML2 IdP (idp/saml_idp.py, pysaml2's own IdP) in the test process, and the steps of a login
through it with the test client."""

import base64
from urllib.parse import parse_qs, urlparse

from django.urls import reverse

from idp.saml_idp import IdP, authn_response
from signin import saml, services
from signin.forms import connection_label
from signin.models import Connection
from tests.factories import organisation

IDP_URL = "http://idp.test"
PERSON = {
    "password": "idp-lösenord",
    "uid": "anna-uid-1",
    "email": "anna.andersson@karlskrona.se",
    "given_name": "Anna",
    "family_name": "Andersson",
}


def local_idp(tmp_path) -> IdP:
    return IdP(
        base_url=IDP_URL, users={"anna": PERSON}, state_dir=tmp_path / "idp", sp_metadata=saml.sp_metadata()
    )


def connect(idp: IdP, org_code: str = "1080", **extra) -> Connection:
    with open(idp.cert_file, encoding="ascii") as cert:
        certificate = cert.read()
    return services.connection_save(
        organisation=organisation(org_code),
        data=services.ConnectionData(
            protocol="saml", metadata_file=idp.metadata(), metadata_certificate=certificate, **extra
        ),
        by=None,
        reason="Test",
    )


def start(client, connection: Connection) -> dict:
    """Begin the login; the query the portal sends to the IdP."""
    response = client.get(reverse("signin:start"), {"organisation": connection_label(connection)})
    assert response.status_code == 302, response.content
    location = response["Location"]
    assert location.startswith(IDP_URL + "/sso/redirect?")
    return {k: v[0] for k, v in parse_qs(urlparse(location).query).items()}


def answer(idp: IdP, query: dict, person: dict = PERSON, **kwargs) -> str:
    """The IdP's SAMLResponse (base64) for the request in ``query``."""
    return authn_response(idp.server(), idp.request(query), person, **kwargs)["SAMLResponse"]


def tampered(saml_response: str, old: str, new: str) -> str:
    xml = base64.b64decode(saml_response).decode("utf-8")
    assert old in xml
    return base64.b64encode(xml.replace(old, new).encode("utf-8")).decode("ascii")


def post_answer(client, saml_response: str):
    return client.post(reverse("signin:saml_acs"), {"SAMLResponse": saml_response, "resent": "1"})
