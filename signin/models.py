"""An organisation's connection to its identity provider, the identities people sign in with, and the
assertions already used (so that none is used twice)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from samverkan.models import Organisation


class Connection(models.Model):
    """How the people of one organisation sign in: a SAML2 identity provider (its metadata, from a URL or a
    file, signature checked) or an OpenID Connect provider (issuer, client id and secret)."""

    class Protocol(models.TextChoices):
        SAML = "saml", _("SAML2")
        OIDC = "oidc", _("OpenID Connect")

    organisation = models.OneToOneField(
        Organisation,
        on_delete=models.CASCADE,
        related_name="signin_connection",
        verbose_name=_("organisation"),
    )
    protocol = models.CharField(_("protokoll"), max_length=4, choices=Protocol.choices)
    active = models.BooleanField(_("i bruk"), default=True)
    email_domains = models.CharField(
        _("e-postdomäner"),
        max_length=500,
        blank=True,
        help_text=_("Kommaseparerade, t.ex. karlskrona.se. Inloggningen känner igen dem."),
    )
    # SAML2
    metadata_url = models.URLField(_("metadata-URL"), max_length=500, blank=True)
    metadata_certificate = models.TextField(
        _("certifikat som signerar metadata"),
        blank=True,
        help_text=_("PEM. Metadata från en URL används bara om signaturen stämmer med det."),
    )
    metadata_xml = models.TextField(_("metadata"), blank=True)
    metadata_fetched_at = models.DateTimeField(_("metadata hämtad"), null=True, blank=True)
    idp_entity_id = models.CharField(_("identitetsleverantörens entity id"), max_length=500, blank=True)
    # OpenID Connect
    issuer = models.URLField(_("utfärdare (issuer)"), max_length=500, blank=True)
    client_id = models.CharField(_("klient-id"), max_length=200, blank=True)
    client_secret = models.TextField(_("klienthemlighet (krypterad)"), blank=True)
    # What the provider sends
    id_attribute = models.CharField(
        _("attribut med personens unika id"),
        max_length=200,
        blank=True,
        help_text=_("Tomt: SAML:s NameID (beständigt) eller OIDC:s sub."),
    )
    email_attribute = models.CharField(_("attribut med e-postadress"), max_length=200, default="email")
    given_name_attribute = models.CharField(_("attribut med förnamn"), max_length=200, default="given_name")
    family_name_attribute = models.CharField(
        _("attribut med efternamn"), max_length=200, default="family_name"
    )
    endpoint_origins = models.CharField(
        _("leverantörens adresser"),
        max_length=1000,
        blank=True,
        help_text=_(
            "Origins (schema, värd, port) som webbläsaren skickas till; läggs till i CSP:ns form-action."
        ),
    )
    history = HistoricalRecords(excluded_fields=["client_secret", "metadata_xml"])

    class Meta:
        ordering = ["organisation__name"]
        verbose_name = _("inloggningskoppling")
        verbose_name_plural = _("inloggningskopplingar")
        constraints = [
            models.CheckConstraint(
                condition=Q(protocol="oidc", issuer__gt="", client_id__gt="")
                | Q(protocol="saml", metadata_url__gt="")
                | Q(protocol="saml", metadata_xml__gt=""),
                name="signin_connection_complete",
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation} ({self.get_protocol_display()})"

    @property
    def origins(self) -> list[str]:
        return self.endpoint_origins.split()

    @property
    def domains(self) -> list[str]:
        return [d.strip().lower().lstrip("@") for d in self.email_domains.split(",") if d.strip()]


class ExternalIdentity(models.Model):
    """A person as their organisation's provider knows them: the provider's own identifier, which the portal
    uses to find the person (never the e-mail address)."""

    connection = models.ForeignKey(Connection, on_delete=models.PROTECT, related_name="identities")
    subject = models.CharField(_("identifierare hos leverantören"), max_length=500)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="external_identities"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    last_signed_in_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("extern identitet")
        verbose_name_plural = _("externa identiteter")
        constraints = [
            models.UniqueConstraint(fields=["connection", "subject"], name="signin_identity_unique"),
            models.UniqueConstraint(fields=["connection", "user"], name="signin_identity_one_per_user"),
        ]

    def __str__(self) -> str:
        return f"{self.subject} @ {self.connection}"


class UsedAssertion(models.Model):
    """An assertion (SAML) or ID token (OIDC) already used to sign in, kept until it has expired, so that
    a copy of it is refused."""

    key = models.CharField(max_length=600, unique=True)
    expires_at = models.DateTimeField(db_index=True)

    def __str__(self) -> str:
        return self.key
