"""Who may connect an organisation to its identity provider: a superuser, or the administrator of the
organisation's county (others get 404: a county's connections are not public). The login pages themselves
are open to everyone."""

from django.db.models import QuerySet

from samverkan.models import County, Role, RoleAssignment
from samverkan.permissions import AnyUser, counties_administered


def counties_connectable(user: AnyUser) -> QuerySet[County]:
    """Counties whose organisations the user may connect to their identity providers."""
    return counties_administered(user)


def must_give_second_factor(user: AnyUser) -> bool:
    """Who gives a TOTP code after the portal's password: those who can change who sees what (superusers
    and county administrators)."""
    return user.is_superuser or RoleAssignment.objects.filter(user=user, role=Role.COUNTY_ADMIN).exists()
