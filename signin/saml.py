"""The portal as a SAML2 service provider, with pysaml2 (IdentityPython).

One service provider for the whole portal (one entity id, one assertion consumer service), so that a
federation registers the portal once; each organisation's connection adds its identity provider's metadata.
What pysaml2 checks for us, configured here: the assertion must be signed by the provider in the metadata
(``want_assertions_signed``), the audience must be the portal, the recipient and destination must be our
consumer service, the response must answer a request this browser started (``allow_unsolicited`` off, the
outstanding request id kept in the session) and its times must hold within ``SIGNIN_CLOCK_SKEW_SECONDS``.
Replays are refused again by the services, which remember every assertion id until it expires.
"""

import datetime
import logging
from dataclasses import dataclass

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _
from saml2 import BINDING_HTTP_POST, BINDING_HTTP_REDIRECT
from saml2.client import Saml2Client
from saml2.config import SPConfig
from saml2.metadata import entity_descriptor
from saml2.saml import NAMEID_FORMAT_PERSISTENT, NameID, name_id_from_string
from saml2.sigver import SIG_RSA_SHA256
from saml2.validate import ResponseLifetimeExceed

from signin import keys
from signin.metadata import xmlsec_binary
from signin.models import Connection

logger = logging.getLogger(__name__)


class SignInRefused(Exception):
    """The provider's answer cannot be accepted; the message says why, for the person signing in."""


@dataclass(frozen=True)
class Identity:
    """What a provider said about the person, and the key under which the assertion is remembered."""

    subject: str
    email: str
    first_name: str
    last_name: str
    assertion_key: str
    expires_at: datetime.datetime
    logout: dict  # what single logout needs later (name id, session index), kept in the session


def _url(name: str) -> str:
    return settings.SITE_URL.rstrip("/") + reverse(name)


def entity_id() -> str:
    return _url("signin:saml_metadata")


def config(connection: Connection | None = None) -> SPConfig:
    key_file, cert_file = keys.sp_key_pair()
    conf = {
        "entityid": entity_id(),
        "xmlsec_binary": xmlsec_binary(),
        "key_file": key_file,
        "cert_file": cert_file,
        "accepted_time_diff": settings.SIGNIN_CLOCK_SKEW_SECONDS,
        "allow_unknown_attributes": True,
        "service": {
            "sp": {
                "name": "Samverkan",
                "endpoints": {
                    "assertion_consumer_service": [(_url("signin:saml_acs"), BINDING_HTTP_POST)],
                    "single_logout_service": [(_url("signin:saml_sls"), BINDING_HTTP_REDIRECT)],
                },
                "allow_unsolicited": False,
                "authn_requests_signed": True,
                "logout_requests_signed": True,
                "want_assertions_signed": True,
                "want_response_signed": False,
                "name_id_format": NAMEID_FORMAT_PERSISTENT,
                "name_id_format_allow_create": True,
                "signing_algorithm": SIG_RSA_SHA256,
            }
        },
        "metadata": {"inline": [connection.metadata_xml]} if connection and connection.metadata_xml else {},
    }
    sp_config = SPConfig()
    sp_config.load(conf)
    return sp_config


def client(connection: Connection) -> Saml2Client:
    return Saml2Client(config=config(connection))


def sp_metadata() -> str:
    """The portal's service provider metadata, for the providers' administrators."""
    return str(entity_descriptor(config()))


def login_redirect(connection: Connection) -> tuple[str, str]:
    """A signed AuthnRequest to the connection's provider: (request id, the provider's URL to send the
    browser to)."""
    request_id, info = client(connection).prepare_for_authenticate(
        entityid=connection.idp_entity_id,
        binding=BINDING_HTTP_REDIRECT,
        sign=True,
        sigalg=SIG_RSA_SHA256,
    )
    return request_id, dict(info["headers"])["Location"]


def _first(attributes: dict, name: str) -> str:
    values = attributes.get(name) or []
    return str(values[0]).strip() if values else ""


def not_started_message() -> str:
    """An answer to no login this browser started (or one already used)."""
    return _(
        "Svaret från identitetsleverantören hör inte till någon inloggning som påbörjats här, "
        "eller har redan använts. Logga in igen."
    )


def _why(error: Exception) -> str:
    text = f"{type(error).__name__}: {error}"
    if "Audience" in text or "audience" in text:
        return _("Svaret från identitetsleverantören var inte ställt till den här portalen.")
    if isinstance(error, ResponseLifetimeExceed) or any(
        word in text for word in ("ToOld", "TooOld", "ToEarly", "lifetime", "Condition not OK")
    ):
        return _("Svaret från identitetsleverantören har gått ut (eller gäller inte ännu). Logga in igen.")
    if "Unsolicited" in text or "InResponseTo" in text:
        return not_started_message()
    if "ignature" in text:
        return _("Svaret från identitetsleverantören är inte signerat, eller signaturen stämmer inte.")
    return _("Svaret från identitetsleverantören kunde inte godtas.")


def assertion_read(connection: Connection, saml_response: str, *, outstanding: dict) -> Identity:
    """The signed assertion in a response to one of the ``outstanding`` requests, or SignInRefused."""
    try:
        response = client(connection).parse_authn_request_response(
            saml_response, BINDING_HTTP_POST, outstanding=outstanding
        )
        if response is None:
            raise SignInRefused(_("Svaret från identitetsleverantören kunde inte godtas."))
        assertion = response.assertion
        if assertion is None:  # pysaml2 kept no assertion it could verify (e.g. another recipient)
            raise SignInRefused(_("Svaret från identitetsleverantören kunde inte godtas."))
        if response.issuer() != connection.idp_entity_id:
            raise SignInRefused(_("Svaret kom inte från organisationens identitetsleverantör."))
        if not getattr(response, "require_signature", True) or assertion.signature is None:
            raise SignInRefused(
                _("Svaret från identitetsleverantören är inte signerat, eller signaturen stämmer inte.")
            )
    except SignInRefused:
        raise
    except Exception as error:  # pysaml2 raises many kinds; every one of them refuses the response
        logger.info("SAML-svar från %s avvisades: %r", connection.idp_entity_id, error)
        raise SignInRefused(_why(error)) from error
    attributes = response.ava or {}
    name_id: NameID = response.name_id
    subject = _first(attributes, connection.id_attribute) if connection.id_attribute else ""
    if (
        not subject
        and name_id is not None
        and name_id.format != "urn:oasis:names:tc:SAML:2.0:nameid-format:transient"
    ):
        subject = name_id.text or ""
    if not subject:
        raise SignInRefused(_("Identitetsleverantören skickade ingen beständig identifierare för personen."))
    not_on_or_after = response.not_on_or_after or 0
    expires = datetime.datetime.fromtimestamp(not_on_or_after or 0, datetime.UTC)
    if not not_on_or_after:
        expires = datetime.datetime.now(datetime.UTC) + datetime.timedelta(hours=1)
    session_index = response.session_index() if hasattr(response, "session_index") else None
    return Identity(
        subject=subject.strip(),
        email=_first(attributes, connection.email_attribute),
        first_name=_first(attributes, connection.given_name_attribute),
        last_name=_first(attributes, connection.family_name_attribute),
        assertion_key=f"saml:{connection.idp_entity_id}:{assertion.id}",
        expires_at=expires + datetime.timedelta(seconds=settings.SIGNIN_CLOCK_SKEW_SECONDS),
        logout={
            "name_id": str(name_id) if name_id is not None else "",
            "session_index": session_index or "",
        },
    )


def logout_redirect(connection: Connection, logout: dict) -> str | None:
    """Where to send the browser for single logout at the provider, or None when it offers none."""
    if not logout.get("name_id"):
        return None
    saml = client(connection)
    try:
        destinations = saml.metadata.single_logout_service(
            connection.idp_entity_id, BINDING_HTTP_REDIRECT, "idpsso"
        )
    except Exception:
        return None
    if not destinations:
        return None
    destination = destinations[0]["location"]
    _request_id, request = saml.create_logout_request(
        destination,
        connection.idp_entity_id,
        name_id=name_id_from_string(logout["name_id"]),
        session_indexes=[logout["session_index"]] if logout.get("session_index") else None,
        sign=False,
    )
    info = saml.apply_binding(
        BINDING_HTTP_REDIRECT,
        str(request),
        destination,
        relay_state=str(connection.pk),
        sign=True,
        sigalg=SIG_RSA_SHA256,
    )
    return dict(info["headers"])["Location"]


def logout_response_read(connection: Connection, saml_response: str) -> bool:
    """Whether the provider's LogoutResponse is valid and says the logout succeeded."""
    try:
        response = client(connection).parse_logout_request_response(saml_response, BINDING_HTTP_REDIRECT)
    except Exception as error:
        logger.info("SAML-utloggningssvar avvisades: %r", error)
        return False
    return response is not None and response.status_ok()
