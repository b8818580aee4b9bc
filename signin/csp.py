"""The Content Security Policy's ``form-action`` is the portal's own origin. Two forms lead a browser to an
identity provider by a redirect, which browsers hold to the form-action of the page the form was on: the
organisation choice on the login page (to the provider's sign-on service) and the logout button of a
person signed in through a provider (to its logout service). This middleware adds exactly those providers'
origins to the policy of those pages, and nothing for anybody else.

It must come after Django's ContentSecurityPolicyMiddleware in MIDDLEWARE, so that it sees the response
first.
"""

from django.conf import settings
from django.http import HttpRequest

LOGOUT_KEY = "signin_logout"


def allow_form_action(request: HttpRequest, origins) -> None:
    """Let this page's forms lead to ``origins`` (besides the portal itself)."""
    request.signin_form_action = {*getattr(request, "signin_form_action", ()), *origins}


class ProviderFormActionMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest):
        response = self.get_response(request)
        origins = set(getattr(request, "signin_form_action", ()))
        if settings.SESSION_COOKIE_NAME in request.COOKIES and hasattr(request, "session"):
            origins.update((request.session.get(LOGOUT_KEY) or {}).get("origins", ()))
        if origins and not hasattr(response, "_csp_config"):
            policy = dict(settings.SECURE_CSP)
            policy["form-action"] = [*policy.get("form-action", ()), *sorted(origins)]
            response._csp_config = policy  # as django.views.decorators.csp.csp_override sets it
        return response
