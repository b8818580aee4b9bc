"""The one login throttle. Every way to log in passes through it, because it sits in the authentication
backend.

Every login path in Django (the portal's login form, the admin site's, and sign-in methods still to come
such as SAML or OIDC, whose libraries all call ``django.contrib.auth.authenticate``) ends in an
authentication backend. So the throttle is a backend mixin, ``ThrottledBackendMixin``, not a check in one
form:

- before the backend checks credentials it asks ``login_blocked``; a blocked name or address makes it raise
  ``PermissionDenied``, which stops ``authenticate()`` from trying the other backends;
- after the check it counts a failure, or forgets the name's failures on success
  (``services.login_failure_record`` / ``login_success_record``).

All paths count on one table (``FailedLogin``), so failures on the admin login block the portal login and
the other way round. A new backend that checks credentials must take the mixin
(tests/samverkan/test_login_throttle.py fails otherwise); a login form takes ``ThrottledLoginFormMixin``,
which only turns the refusal into the throttle message (the test walks the URLconf for login views).

Names are counted as they log in: NFKC-normalised and case-folded (``FailedLogin.name_key``), so a
look-alike (``ｒut``, ``RUT``) gets no extra tries.

A lock on a name must not lock out its owner: a completed password reset forgets the name's failures
(``lift_for_owner``) and gives the owner's browser a signed pass that lets it past the name's lock (not the
address limit) for one window, so an attacker who goes on failing cannot keep the owner out.
"""

import inspect

from asgiref.sync import sync_to_async
from django import forms
from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.core import signing
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _

from samverkan import selectors, services
from samverkan.models import FailedLogin
from samverkan.netaddr import client_ip

OWNER_PASS_COOKIE = "samverkan_login_pass"  # noqa: S105 – a cookie's name
OWNER_PASS_SALT = "samverkan.login_throttle.owner_pass"  # noqa: S105 – a signing namespace


class LoginThrottled(PermissionDenied):
    """Too many failed logins for this name or from this address."""


def login_blocked(*, request: HttpRequest | None, username: str | None) -> bool:
    """True when a login as ``username`` from this request must be refused without checking the password:
    the name or the address has failed too often within the window. A browser holding the owner's pass
    for the name (``lift_for_owner``) is let past the name's lock."""
    name = username or ""
    if name and _holds_owner_pass(request, name):
        name = ""
    return selectors.login_is_blocked(
        username=name,
        ip_address=client_ip(request) if request is not None else None,
        limit=settings.LOGIN_FAILURE_LIMIT,
        window_seconds=settings.LOGIN_FAILURE_WINDOW_SECONDS,
    )


def refusal_message() -> str:
    """The throttle's message, with a link to password reset (the owner's way back in)."""
    minutes = max(1, settings.LOGIN_FAILURE_WINDOW_SECONDS // 60)
    return format_html(
        '{} <a href="{}">{}</a>',
        _(
            "För många misslyckade inloggningsförsök. Vänta %(minutes)s minuter och försök igen. "
            "Är det ditt konto kan du logga in direkt genom att återställa lösenordet via e-post:"
        )
        % {"minutes": minutes},
        reverse("password_reset"),
        _("Återställ lösenordet"),
    )


def lift_for_owner(*, request: HttpRequest, response: HttpResponse, username: str) -> None:
    """The owner of ``username`` has proved it (a password reset through their e-mail is complete): forget
    the name's failures and let this browser past the name's lock for one window."""
    services.login_lock_lift(username=username)
    response.set_cookie(
        OWNER_PASS_COOKIE,
        signing.dumps(FailedLogin.name_key(username), salt=OWNER_PASS_SALT),
        max_age=settings.LOGIN_FAILURE_WINDOW_SECONDS,
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )


def _holds_owner_pass(request: HttpRequest | None, username: str) -> bool:
    value = request.COOKIES.get(OWNER_PASS_COOKIE) if request is not None else None
    if not value:
        return False
    try:
        name = signing.loads(value, salt=OWNER_PASS_SALT, max_age=settings.LOGIN_FAILURE_WINDOW_SECONDS)
    except signing.BadSignature:
        return False
    return name == FailedLogin.name_key(username)


class ThrottledBackendMixin:
    """Put in front of an authentication backend that checks credentials: refuses a blocked name or
    address, counts failures and forgets them on success. ``throttle_name`` says which credential names the
    account (the user name for passwords). Should two backends ever check the same passwords, only one of
    them should count, or each failure counts twice."""

    def throttle_name(self, credentials: dict) -> str:
        return credentials.get("username") or ""

    def authenticate(self, request, **credentials):
        try:
            inspect.signature(super().authenticate).bind(request, **credentials)
        except TypeError:
            return None  # not credentials this backend checks
        name = self.throttle_name(credentials)
        if login_blocked(request=request, username=name):
            raise LoginThrottled
        user = super().authenticate(request, **credentials)
        if user is None:
            services.login_failure_record(
                username=name, ip_address=client_ip(request) if request is not None else None
            )
        else:
            services.login_success_record(
                username=name or user.get_username(),
                window_seconds=settings.LOGIN_FAILURE_WINDOW_SECONDS,
            )
        return user

    async def aauthenticate(self, request, **credentials):
        return await sync_to_async(self.authenticate)(request, **credentials)


class ThrottledLoginFormMixin:
    """For a login form (AuthenticationForm and its subclasses): when the throttle has refused the login,
    say so, with the way back in, instead of "wrong name or password". The refusal itself is the
    backend's."""

    def get_invalid_login_error(self):
        if login_blocked(request=self.request, username=self.cleaned_data.get("username")):
            return forms.ValidationError(refusal_message(), code="throttled")
        return super().get_invalid_login_error()


class ThrottledModelBackend(ThrottledBackendMixin, ModelBackend):
    """Django's user name and password backend, throttled."""
