"""The one-time link of an invitation: a person invited by a county administrator chooses a password there.

The token is signed (SECRET_KEY) and dated, so it expires after ``INVITE_LINK_DAYS``; it also carries a
digest of the account's password hash, so it dies when a password is set (used once) and cannot be
used for an account that has been deactivated.
"""

import hashlib

from django.conf import settings
from django.contrib.auth.models import User
from django.core import signing

SALT = "samverkan.invitation"


def _fingerprint(user: User) -> str:
    return hashlib.sha256(f"{user.pk}:{user.password}:{user.is_active}".encode()).hexdigest()[:20]


def invitation_token(user: User) -> str:
    return signing.dumps({"u": user.pk, "f": _fingerprint(user)}, salt=SALT, compress=True)


def invited_user(token: str) -> User | None:
    """The account the token was made for, if the link is still valid; None otherwise."""
    try:
        data = signing.loads(token, salt=SALT, max_age=settings.INVITE_LINK_DAYS * 24 * 3600)
    except signing.BadSignature:  # tampered, or expired (SignatureExpired is a BadSignature)
        return None
    user = User.objects.filter(pk=data.get("u"), is_active=True).first()
    if user is None or _fingerprint(user) != data.get("f"):
        return None
    return user
