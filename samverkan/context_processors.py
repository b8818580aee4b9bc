from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from samverkan import permissions
from samverkan.selectors import acting_organisation


def acting(request: HttpRequest) -> dict:
    """Who the user acts for and what the menu may offer; evaluated only if a template uses it."""
    return {
        "acting_organisation": SimpleLazyObject(lambda: acting_organisation(request)),
        "nav_can_manage_roles": SimpleLazyObject(lambda: permissions.can_manage_roles(request.user)),
    }
