"""An identity provider's SAML2 metadata: fetched from its URL, its signature checked against the
certificate the organisation gave, and read for what the portal needs (the provider's entity id).

The signature must cover the whole document: the root element carries the signature, and its reference
points at the root's own ID (a signature on some inner element is not enough, whatever xmlsec says of it).
"""

import tempfile
from dataclasses import dataclass

import requests
from defusedxml import ElementTree
from django.conf import settings
from django.utils.translation import gettext as _
from saml2.sigver import CryptoBackendXmlSec1, SignatureError, get_xmlsec_binary

MD = "urn:oasis:names:tc:SAML:2.0:metadata"
DS = "http://www.w3.org/2000/09/xmldsig#"


class MetadataError(Exception):
    """The metadata cannot be used; the message says why, in words for the administrator."""


@dataclass(frozen=True)
class IdentityProvider:
    entity_id: str
    endpoints: tuple[str, ...]  # the locations of its sign-on and logout services


def xmlsec_binary() -> str:
    return settings.SIGNIN_XMLSEC_BINARY or get_xmlsec_binary(["/usr/bin", "/usr/local/bin"])


def fetch(url: str) -> str:
    """The metadata document at ``url``, or MetadataError when it cannot be had."""
    try:
        response = requests.get(url, timeout=settings.SIGNIN_PROVIDER_TIMEOUT_SECONDS)
    except requests.RequestException as error:
        raise MetadataError(
            _("Metadata kunde inte hämtas från %(url)s (%(why)s).")
            % {"url": url, "why": type(error).__name__}
        ) from error
    if response.status_code != 200:
        raise MetadataError(
            _("Metadata kunde inte hämtas från %(url)s (%(why)s).")
            % {"url": url, "why": f"HTTP {response.status_code}"}
        )
    return response.content.decode("utf-8")


def read(xml: str) -> IdentityProvider:
    """The identity provider the metadata describes (one EntityDescriptor with an IDPSSODescriptor)."""
    try:
        root = ElementTree.fromstring(xml.encode("utf-8"))
    except Exception as error:  # defusedxml raises several kinds for bad or hostile XML
        raise MetadataError(_("Filen är inte giltig XML.")) from error
    if root.tag == f"{{{MD}}}EntitiesDescriptor":
        entities = root.findall(f"{{{MD}}}EntityDescriptor")
        entities = [e for e in entities if e.find(f"{{{MD}}}IDPSSODescriptor") is not None]
        if len(entities) != 1:
            raise MetadataError(_("Metadata ska beskriva exakt en identitetsleverantör."))
        entity = entities[0]
    elif root.tag == f"{{{MD}}}EntityDescriptor":
        entity = root
    else:
        raise MetadataError(_("Det här är inte SAML2-metadata (EntityDescriptor saknas)."))
    idp = entity.find(f"{{{MD}}}IDPSSODescriptor")
    if idp is None or not entity.get("entityID"):
        raise MetadataError(_("Metadata beskriver ingen identitetsleverantör (IDPSSODescriptor saknas)."))
    if idp.find(f"{{{MD}}}SingleSignOnService") is None:
        raise MetadataError(_("Identitetsleverantören har ingen SingleSignOnService."))
    services = [*idp.findall(f"{{{MD}}}SingleSignOnService"), *idp.findall(f"{{{MD}}}SingleLogoutService")]
    return IdentityProvider(
        entity_id=entity.get("entityID"),
        endpoints=tuple(service.get("Location", "") for service in services if service.get("Location")),
    )


def signature_check(xml: str, certificate_pem: str) -> None:
    """MetadataError unless the whole document is signed by the certificate's key."""
    root = ElementTree.fromstring(xml.encode("utf-8"))
    root_id = root.get("ID")
    signatures = list(root.iter(f"{{{DS}}}Signature"))
    own = root.find(f"{{{DS}}}Signature")
    if own is None or not root_id:
        raise MetadataError(_("Metadata är inte signerad."))
    if signatures[0] is not own:
        raise MetadataError(_("Metadata har en signatur som inte gäller hela dokumentet."))
    reference = own.find(f"{{{DS}}}SignedInfo/{{{DS}}}Reference")
    if reference is None or reference.get("URI") != f"#{root_id}":
        raise MetadataError(_("Metadatans signatur gäller inte hela dokumentet."))
    node_name = root.tag.replace(f"{{{MD}}}", f"{MD}:")
    with tempfile.NamedTemporaryFile("w", suffix=".pem") as cert_file:
        cert_file.write(certificate_pem.strip() + "\n")
        cert_file.flush()
        try:
            valid = CryptoBackendXmlSec1(xmlsec_binary()).validate_signature(
                xml, cert_file=cert_file.name, cert_type="pem", node_name=node_name, node_id=root_id
            )
        except SignatureError:
            valid = False
    if not valid:
        raise MetadataError(_("Metadatans signatur stämmer inte med certifikatet."))
