"""The portal's own key and certificate as a SAML2 service provider (it signs its requests with them and
publishes the certificate in its metadata), and the encryption of stored client secrets.

In production the pair comes from files (``SIGNIN_SAML_KEY_FILE``, ``SIGNIN_SAML_CERT_FILE``); in development
a self-signed pair is made once under ``var/saml/``. Client secrets are encrypted with a key derived from
``SIGNIN_SECRET_KEY`` (or ``SECRET_KEY``), so a copy of the database alone does not give them away.
"""

import base64
import datetime
import hashlib
from pathlib import Path

from cryptography import x509
from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


def sp_key_pair() -> tuple[str, str]:
    """Paths of the service provider's private key and certificate (PEM)."""
    key, cert = settings.SIGNIN_SAML_KEY_FILE, settings.SIGNIN_SAML_CERT_FILE
    if key and cert:
        return str(key), str(cert)
    if not settings.DEBUG:
        raise ImproperlyConfigured(
            "SIGNIN_SAML_KEY_FILE och SIGNIN_SAML_CERT_FILE måste sättas för SAML-inloggning i produktion"
        )
    folder = Path(settings.BASE_DIR) / "var" / "saml"
    key_path, cert_path = folder / "sp-key.pem", folder / "sp-cert.pem"
    if not (key_path.exists() and cert_path.exists()):
        folder.mkdir(parents=True, exist_ok=True)
        key_pem, cert_pem = self_signed_pair("Samverkan (utveckling)")
        key_path.write_bytes(key_pem)
        key_path.chmod(0o600)
        cert_path.write_bytes(cert_pem)
    return str(key_path), str(cert_path)


def self_signed_pair(common_name: str, *, days: int = 3650) -> tuple[bytes, bytes]:
    """A new RSA key and a self-signed certificate for it, both PEM."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=days))
        .sign(key, hashes.SHA256())
    )
    key_pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    return key_pem, cert.public_bytes(serialization.Encoding.PEM)


def certificate_check(pem: str) -> None:
    """Raises ValueError unless ``pem`` is one readable X.509 certificate."""
    x509.load_pem_x509_certificate(pem.strip().encode("ascii"))


def _fernet() -> Fernet:
    secret = settings.SIGNIN_SECRET_KEY or settings.SECRET_KEY
    digest = hashlib.sha256(b"samverkan.signin.client-secret:" + secret.encode()).digest()
    return Fernet(base64.urlsafe_b64encode(digest))


def secret_encrypt(plain: str) -> str:
    return _fernet().encrypt(plain.encode()).decode("ascii") if plain else ""


def secret_decrypt(token: str) -> str:
    if not token:
        return ""
    try:
        return _fernet().decrypt(token.encode("ascii")).decode()
    except InvalidToken as error:
        raise ImproperlyConfigured(
            "Klienthemligheten kan inte dekrypteras (har SIGNIN_SECRET_KEY eller SECRET_KEY bytts?)"
        ) from error
