"""Writes of the sign-in app: connecting an organisation to its provider, refreshing SAML metadata, and
signing a person in from what their provider asserted (just-in-time accounts)."""

import hashlib
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from samverkan.history import attribute
from samverkan.models import Organisation, Role
from samverkan.services import person_create, role_assign
from signin import keys, metadata, oidc
from signin.models import Connection, ExternalIdentity, UsedAssertion
from signin.saml import Identity, SignInRefused


@dataclass(frozen=True)
class ConnectionData:
    protocol: str
    active: bool = True
    email_domains: str = ""
    metadata_url: str = ""
    metadata_certificate: str = ""
    metadata_file: str = ""  # the XML of an uploaded metadata file
    issuer: str = ""
    client_id: str = ""
    client_secret: str = ""  # empty on a change: keep the stored one
    id_attribute: str = ""
    email_attribute: str = "email"
    given_name_attribute: str = "given_name"
    family_name_attribute: str = "family_name"


def _metadata_take(connection: Connection, *, xml: str, certificate: str, field: str) -> None:
    """Check the metadata (and its signature when a certificate is given) and put it on the connection."""
    try:
        if certificate:
            metadata.signature_check(xml, certificate)
        provider = metadata.read(xml)
    except metadata.MetadataError as error:
        raise ValidationError({field: str(error)}) from error
    connection.metadata_xml = xml
    connection.idp_entity_id = provider.entity_id
    connection.metadata_fetched_at = timezone.now()
    connection.endpoint_origins = origins_of(provider.endpoints)


def origins_of(urls) -> str:
    """The distinct origins (scheme://host[:port]) of ``urls``, space-separated, for the CSP."""
    found = []
    for url in urls:
        parts = urlsplit(url)
        if parts.scheme in ("http", "https") and parts.netloc:
            origin = f"{parts.scheme}://{parts.netloc}"
            if origin not in found:
                found.append(origin)
    return " ".join(found)


def _oidc_origins(connection: Connection) -> str:
    urls = [connection.issuer]
    try:
        provider = oidc.discovery(connection)
    except oidc.ProviderUnavailable:
        provider = {}  # the issuer's own origin, until the provider answers
    urls += [provider.get("authorization_endpoint", ""), provider.get("end_session_endpoint", "")]
    return origins_of(urls)


@transaction.atomic
def connection_save(
    *,
    organisation: Organisation,
    data: ConnectionData,
    by: User,
    reason: str,
    connection: Connection | None = None,
) -> Connection:
    """Connect the organisation to its provider, or change the connection. SAML metadata is fetched (its
    signature checked against the given certificate, which a URL requires) or taken from the file now,
    so that a connection that cannot work is refused next to the field."""
    connection = connection or Connection(organisation=organisation)
    connection.protocol = data.protocol
    connection.active = data.active
    connection.email_domains = ", ".join(
        d.strip().lower().lstrip("@") for d in data.email_domains.split(",") if d.strip()
    )
    for name in ("id_attribute", "email_attribute", "given_name_attribute", "family_name_attribute"):
        setattr(connection, name, getattr(data, name).strip())
    if data.protocol == Connection.Protocol.SAML:
        connection.issuer = connection.client_id = connection.client_secret = ""
        connection.metadata_url = data.metadata_url.strip()
        connection.metadata_certificate = data.metadata_certificate.strip()
        if connection.metadata_certificate:
            try:
                keys.certificate_check(connection.metadata_certificate)
            except ValueError as error:
                raise ValidationError(
                    {"metadata_certificate": _("Certifikatet kan inte läsas (PEM).")}
                ) from error
        if data.metadata_file:
            _metadata_take(
                connection,
                xml=data.metadata_file,
                certificate=connection.metadata_certificate,
                field="metadata_file",
            )
        elif connection.metadata_url:
            if not connection.metadata_certificate:
                raise ValidationError(
                    {"metadata_certificate": _("Metadata från en URL kräver certifikatet som signerar den.")}
                )
            try:
                xml = metadata.fetch(connection.metadata_url)
            except metadata.MetadataError as error:
                raise ValidationError({"metadata_url": str(error)}) from error
            _metadata_take(
                connection, xml=xml, certificate=connection.metadata_certificate, field="metadata_url"
            )
        elif not connection.metadata_xml:
            raise ValidationError({"metadata_url": _("Ange en metadata-URL eller ladda upp en metadatafil.")})
    else:
        connection.metadata_url = connection.metadata_certificate = connection.metadata_xml = ""
        connection.idp_entity_id = ""
        connection.metadata_fetched_at = None
        connection.issuer = data.issuer.strip().rstrip("/")
        connection.client_id = data.client_id.strip()
        if data.client_secret:
            connection.client_secret = keys.secret_encrypt(data.client_secret.strip())
        if not connection.issuer:
            raise ValidationError({"issuer": _("Ange utfärdarens adress.")})
        if not connection.client_id:
            raise ValidationError({"client_id": _("Ange klient-id.")})
        if not connection.client_secret:
            raise ValidationError({"client_secret": _("Ange klienthemligheten.")})
        connection.endpoint_origins = _oidc_origins(connection)
    _domains_free_check(connection)
    connection.full_clean()
    attribute(connection, by=by, reason=reason)
    connection.save()
    return connection


def _domains_free_check(connection: Connection) -> None:
    others = Connection.objects.exclude(pk=connection.pk).exclude(email_domains="")
    taken = {domain: other for other in others for domain in other.domains}
    for domain in connection.domains:
        if domain in taken:
            raise ValidationError(
                {
                    "email_domains": _("Domänen %(domain)s hör redan till %(organisation)s.")
                    % {"domain": domain, "organisation": taken[domain].organisation}
                }
            )


@transaction.atomic
def connection_metadata_refresh(*, connection: Connection, reason: str) -> None:
    """Fetch the connection's metadata again from its URL; a changed provider entity id or a bad signature
    keeps the stored metadata and raises MetadataError."""
    xml = metadata.fetch(connection.metadata_url)
    metadata.signature_check(xml, connection.metadata_certificate)
    provider = metadata.read(xml)
    if connection.idp_entity_id and provider.entity_id != connection.idp_entity_id:
        raise metadata.MetadataError(
            _("Metadata beskriver en annan identitetsleverantör (%(entity)s) än kopplingens.")
            % {"entity": provider.entity_id}
        )
    if xml == connection.metadata_xml:
        Connection.objects.filter(pk=connection.pk).update(metadata_fetched_at=timezone.now())
        return
    connection.metadata_xml = xml
    connection.idp_entity_id = provider.entity_id
    connection.metadata_fetched_at = timezone.now()
    connection.endpoint_origins = origins_of(provider.endpoints)
    attribute(connection, by=None, reason=reason)
    connection.save()


@transaction.atomic
def identity_sign_in(*, connection: Connection, identity: Identity) -> User:
    """The person the provider asserted, found by the provider's identifier. The first time, the person is
    created in the connection's organisation as an official of it, or (same organisation, same e-mail) the
    existing account is linked. An e-mail address of a person of another organisation is never taken over.
    A refusal creates nothing; an assertion is accepted once."""
    now = timezone.now()
    if not connection.active:
        raise SignInRefused(_("Inloggning via organisationens konto är avstängd för din organisation."))
    UsedAssertion.objects.filter(expires_at__lt=now).delete()
    _used, fresh = UsedAssertion.objects.get_or_create(
        key=identity.assertion_key[:600], defaults={"expires_at": identity.expires_at}
    )
    if not fresh:
        raise SignInRefused(_("Svaret från identitetsleverantören har redan använts. Logga in igen."))
    found = (
        ExternalIdentity.objects.select_related("user__profile")
        .filter(connection=connection, subject=identity.subject)
        .first()
    )
    reason = f"Inloggning via {connection.organisation.name}s identitetsleverantör"
    if found:
        user = found.user
        if not user.is_active:
            raise SignInRefused(_("Ditt konto i portalen är avaktiverat. Kontakta länsadministratören."))
        if user.profile.organisation_id != connection.organisation_id:
            raise SignInRefused(
                _("Ditt konto i portalen hör till en annan organisation. Kontakta länsadministratören.")
            )
        _names_update(user, identity, reason=reason)
        found.last_signed_in_at = now
        found.save(update_fields=["last_signed_in_at"])
        return user
    user = _account_for_new_identity(connection, identity, reason=reason)
    identity_row = ExternalIdentity(
        connection=connection, subject=identity.subject, user=user, last_signed_in_at=now
    )
    identity_row.full_clean(exclude=["user"])
    attribute(identity_row, by=user, reason=reason)
    identity_row.save()
    return user


def _account_for_new_identity(connection: Connection, identity: Identity, *, reason: str) -> User:
    email = identity.email.strip()
    existing = User.objects.select_related("profile").filter(email__iexact=email).first() if email else None
    if existing is not None:
        organisation_id = getattr(getattr(existing, "profile", None), "organisation_id", None)
        if (
            organisation_id != connection.organisation_id
            or existing.is_superuser
            or existing.is_staff
            or existing.external_identities.filter(connection=connection).exists()
        ):
            raise SignInRefused(
                _(
                    "E-postadressen som din identitetsleverantör uppger hör till ett annat konto i portalen. "
                    "Inget konto har skapats. Kontakta länsadministratören."
                )
            )
        if not existing.is_active:
            raise SignInRefused(_("Ditt konto i portalen är avaktiverat. Kontakta länsadministratören."))
        return existing
    username = email.lower()
    if not username or User.objects.filter(username__iexact=username).exists():
        digest = hashlib.sha256(f"{connection.pk}:{identity.subject}".encode()).hexdigest()[:16]
        username = f"konto-{connection.pk}-{digest}"
    try:
        user = person_create(
            username=username,
            password=None,
            first_name=identity.first_name[:150],
            last_name=identity.last_name[:150],
            email=email,
            organisation=connection.organisation,
            by=None,
            reason=reason,
        )
    except ValidationError as error:
        raise SignInRefused(
            _("Kontot kunde inte skapas: %(why)s") % {"why": " ".join(error.messages)}
        ) from error
    role_assign(user=user, role=Role.OFFICIAL, scope=connection.organisation, by=None, reason=reason)
    return user


def _names_update(user: User, identity: Identity, *, reason: str) -> None:
    """The provider is the source of the person's name."""
    first, last = identity.first_name[:150], identity.last_name[:150]
    if (first and first != user.first_name) or (last and last != user.last_name):
        user.first_name = first or user.first_name
        user.last_name = last or user.last_name
        attribute(user, by=user, reason=reason)
        user.save(update_fields=["first_name", "last_name"])
