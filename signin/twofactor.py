"""The second factor (TOTP, django-otp) for the portal's own passwords of those who can change who sees
what: superusers and county administrators.

At login (Django's ``user_logged_in``) the session is marked: signed in through the organisation's provider
(its own checks count), or, for a password login of such a person, "pending". While it is pending the
middleware lets the person reach only the second-factor page and logging out. The mark lives in the
server-side session, so the browser cannot change it; a role given during a session counts from the next
login.
"""

import io
from base64 import b32encode

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.contrib.auth.models import User
from django.http import HttpRequest
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from signin.permissions import must_give_second_factor

SESSION_KEY = "signin_second_factor"
PENDING = "pending"


def is_pending(request: HttpRequest) -> bool:
    return request.session.get(SESSION_KEY) == PENDING


def device_of(user: User) -> TOTPDevice:
    """The person's TOTP device: the confirmed one, or the one being enrolled (made on first need)."""
    device = TOTPDevice.objects.filter(user=user).order_by("-confirmed", "pk").first()
    return device or TOTPDevice.objects.create(user=user, name="Samverkan", confirmed=False)


def code_check(request: HttpRequest, device: TOTPDevice, token: str) -> str | None:
    """Check the code; on success the device is confirmed (enrolment) and the session's mark lifted.
    Otherwise why not, for the person (wrong codes are throttled by django-otp)."""
    if not device.verify_is_allowed()[0]:
        return _("För många felaktiga koder. Vänta en stund och försök igen.")
    if not device.verify_token(token):
        return _("Koden stämmer inte. Skriv den kod som appen visar just nu.")
    if not device.confirmed:
        device.confirmed = True
        device.save(update_fields=["confirmed"])
    otp_login(request, device)
    request.session[SESSION_KEY] = "totp"
    return None


def enrolment(device: TOTPDevice) -> tuple[str, str]:
    """What the authenticator app needs: the QR code (SVG, labelled by the element ``qr-title``) and the key
    to type, in groups of four."""
    buffer = io.BytesIO()
    qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathImage, box_size=8).save(buffer)
    svg = buffer.getvalue().decode("utf-8")
    svg = svg[svg.index("<svg") :].replace("<svg", '<svg role="img" aria-labelledby="qr-title"', 1)
    secret = b32encode(device.bin_key).decode("ascii")
    return svg, " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def on_login(sender, request: HttpRequest, user: User, **kwargs) -> None:
    if request is None or not hasattr(request, "session"):
        return
    how = getattr(request, "signin_method", None)
    if how:
        request.session[SESSION_KEY] = how
    elif settings.SIGNIN_SECOND_FACTOR_REQUIRED and must_give_second_factor(user):
        request.session[SESSION_KEY] = PENDING


class SecondFactorMiddleware:
    """Sends a person whose second factor is pending to the second-factor page (after the authentication
    middleware). A request without a pending mark costs nothing: the session is read only if the request
    carries one, and a logged-in request has read it already."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.open_paths = None

    def __call__(self, request: HttpRequest):
        if (
            settings.SESSION_COOKIE_NAME in request.COOKIES
            and is_pending(request)
            and not self._open(request.path)
        ):
            return redirect(
                reverse("signin:second_factor") + "?" + urlencode({"next": request.get_full_path()})
            )
        return self.get_response(request)

    def _open(self, path: str) -> bool:
        if self.open_paths is None:
            self.open_paths = (
                reverse("signin:second_factor"),
                reverse("logout"),
                settings.STATIC_URL,
                "/i18n/",
                "/healthz",
            )
        return path.startswith(self.open_paths)
