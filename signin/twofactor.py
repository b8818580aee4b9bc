"""The second factor (TOTP, django-otp) for the portal's own passwords of those who can change who sees
what: superusers and county administrators.

At login (Django's ``user_logged_in``) the session is marked: signed in through the organisation's provider
(its own checks count), or, for a password login of such a person, "pending". While it is pending the
middleware lets the person reach only the second-factor page and logging out. The mark lives in the
server-side session, so the browser cannot change it; a role given during a session counts from the next
login.
"""

from django.conf import settings
from django.contrib.auth.models import User
from django.http import HttpRequest
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode

from samverkan.models import Role, RoleAssignment

SESSION_KEY = "signin_second_factor"
PENDING = "pending"


def needs_second_factor(user: User) -> bool:
    return user.is_superuser or RoleAssignment.objects.filter(user=user, role=Role.COUNTY_ADMIN).exists()


def on_login(sender, request: HttpRequest, user: User, **kwargs) -> None:
    if request is None or not hasattr(request, "session"):
        return
    how = getattr(request, "signin_method", None)
    if how:
        request.session[SESSION_KEY] = how
    elif settings.SIGNIN_SECOND_FACTOR_REQUIRED and needs_second_factor(user):
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
            and request.session.get(SESSION_KEY) == PENDING
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
