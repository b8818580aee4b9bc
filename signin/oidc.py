"""The portal as an OpenID Connect relying party: Authlib's OAuth 2 client for the authorization code flow
with PKCE, and joserfc (by Authlib's authors) to check the ID token.

Per connection the provider is found by discovery (``<issuer>/.well-known/openid-configuration``, whose
``issuer`` must be the configured one). The ID token must be signed with a key from the provider's JWKS
(RS256, PS256 or ES256, never "none"), be issued by the issuer, to our client id, for the nonce of this
browser's login, and hold in time within ``SIGNIN_CLOCK_SKEW_SECONDS``. The ``sub`` claim (or the
connection's own id attribute) identifies the person; the e-mail address never does.
"""

import datetime
import hashlib
import logging
from urllib.parse import urlencode

import requests
from authlib.common.security import generate_token
from authlib.integrations.requests_client import OAuth2Session
from django.conf import settings
from django.core.cache import cache
from django.urls import reverse
from django.utils.translation import gettext as _
from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import KeySet

from signin import keys
from signin.models import Connection
from signin.saml import Identity, SignInRefused

logger = logging.getLogger(__name__)
ALGORITHMS = ["RS256", "PS256", "ES256"]
SCOPE = "openid email profile"


class ProviderUnavailable(Exception):
    """The provider does not answer (or answers nonsense); the person is told to try again later."""


def redirect_uri() -> str:
    return settings.SITE_URL.rstrip("/") + reverse("signin:oidc_callback")


def _get_json(url: str) -> dict:
    try:
        response = requests.get(url, timeout=settings.SIGNIN_PROVIDER_TIMEOUT_SECONDS)
        response.raise_for_status()
        return response.json()
    except (requests.RequestException, ValueError) as error:
        raise ProviderUnavailable(f"{url}: {type(error).__name__}") from error


def discovery(connection: Connection) -> dict:
    """The provider's configuration, kept for an hour in the shared cache."""
    issuer = connection.issuer.rstrip("/")
    key = "signin:oidc:discovery:" + hashlib.sha256(issuer.encode()).hexdigest()
    found = cache.get(key)
    if found is None:
        found = _get_json(issuer + "/.well-known/openid-configuration")
        if found.get("issuer", "").rstrip("/") != issuer:
            raise ProviderUnavailable(f"discovery for {issuer} names another issuer")
        cache.set(key, found, 3600)
    return found


def _session(connection: Connection, **kwargs) -> OAuth2Session:
    return OAuth2Session(
        client_id=connection.client_id,
        client_secret=keys.secret_decrypt(connection.client_secret),
        scope=SCOPE,
        redirect_uri=redirect_uri(),
        code_challenge_method="S256",
        **kwargs,
    )


def login_redirect(connection: Connection) -> tuple[str, dict]:
    """The provider's authorization URL, and what the callback must find in the session (state, nonce,
    PKCE verifier)."""
    provider = discovery(connection)
    nonce, verifier = generate_token(32), generate_token(64)
    url, state = _session(connection).create_authorization_url(
        provider["authorization_endpoint"], nonce=nonce, code_verifier=verifier
    )
    return url, {"state": state, "nonce": nonce, "verifier": verifier}


def identity_read(connection: Connection, *, code: str, pending: dict) -> Identity:
    """Exchange the code for tokens and check the ID token; SignInRefused or ProviderUnavailable."""
    provider = discovery(connection)
    try:
        token = _session(connection, state=pending["state"]).fetch_token(
            provider["token_endpoint"],
            code=code,
            code_verifier=pending["verifier"],
            timeout=settings.SIGNIN_PROVIDER_TIMEOUT_SECONDS,
        )
    except requests.RequestException as error:
        raise ProviderUnavailable(f"token endpoint: {type(error).__name__}") from error
    except Exception as error:  # Authlib's OAuth errors: the provider refused the code
        logger.info("OIDC-koden avvisades av %s: %r", connection.issuer, error)
        raise SignInRefused(_("Identitetsleverantören godtog inte inloggningen. Logga in igen.")) from error
    id_token = token.get("id_token")
    if not id_token:
        raise SignInRefused(_("Identitetsleverantören skickade ingen ID-token."))
    key_set = KeySet.import_key_set(_get_json(provider["jwks_uri"]))
    try:
        decoded = jwt.decode(id_token, key_set, algorithms=ALGORITHMS)
        claims = decoded.claims
        jwt.JWTClaimsRegistry(
            leeway=settings.SIGNIN_CLOCK_SKEW_SECONDS,
            iss={"essential": True, "value": connection.issuer.rstrip("/")},
            aud={"essential": True, "value": connection.client_id},
            exp={"essential": True},
            iat={"essential": True},
            sub={"essential": True},
            nonce={"essential": True, "value": pending["nonce"]},
        ).validate(claims)
    except (JoseError, ValueError) as error:
        logger.info("ID-token från %s avvisades: %r", connection.issuer, error)
        raise SignInRefused(_("ID-token från identitetsleverantören kunde inte godtas.")) from error
    audiences = claims["aud"] if isinstance(claims["aud"], list) else [claims["aud"]]
    if len(audiences) > 1 and claims.get("azp") != connection.client_id:
        raise SignInRefused(_("ID-token från identitetsleverantören var inte ställd till den här portalen."))
    if not claims.get("email") and provider.get("userinfo_endpoint"):
        claims = {**_userinfo(provider["userinfo_endpoint"], token["access_token"]), **claims}
    subject = str(claims.get(connection.id_attribute) or "") if connection.id_attribute else ""
    return Identity(
        subject=(subject or str(claims["sub"])).strip(),
        email=str(claims.get(connection.email_attribute) or ""),
        first_name=str(claims.get(connection.given_name_attribute) or ""),
        last_name=str(claims.get(connection.family_name_attribute) or ""),
        assertion_key="oidc:" + hashlib.sha256(id_token.encode()).hexdigest(),
        expires_at=datetime.datetime.fromtimestamp(int(claims["exp"]), datetime.UTC)
        + datetime.timedelta(seconds=settings.SIGNIN_CLOCK_SKEW_SECONDS),
        logout={"id_token": id_token},
    )


def _userinfo(url: str, access_token: str) -> dict:
    try:
        response = requests.get(
            url,
            headers={"Authorization": f"Bearer {access_token}"},
            timeout=settings.SIGNIN_PROVIDER_TIMEOUT_SECONDS,
        )
        response.raise_for_status()
        return response.json()
    except (requests.RequestException, ValueError) as error:
        raise ProviderUnavailable(f"userinfo: {type(error).__name__}") from error


def logout_redirect(connection: Connection, logout: dict, *, after: str) -> str | None:
    """The provider's end-session URL (RP-initiated logout), or None when it has none."""
    try:
        endpoint = discovery(connection).get("end_session_endpoint")
    except ProviderUnavailable:
        return None
    if not endpoint:
        return None
    query = {"client_id": connection.client_id, "post_logout_redirect_uri": after}
    if logout.get("id_token"):
        query["id_token_hint"] = logout["id_token"]
    return f"{endpoint}?{urlencode(query)}"
