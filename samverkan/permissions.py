"""The one place that answers "may user U do A to O?" and "which O may U see or act on?" for the core.

The core's roles are recorded as ``RoleAssignment`` rows and enforced through django-guardian object
permissions on the scope (organisation, county); body roles are memberships, decided by governance.
Superusers may administer everything but act for no organisation
unless they hold the official role there.
"""

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser, User
from django.db.models import QuerySet
from guardian.shortcuts import get_objects_for_user

from samverkan.models import County, Organisation, Role
from samverkan.roles import ROLE_SPECS, HeldRole, scope_county, scope_county_id, scope_model

AnyUser = AbstractBaseUser | AnonymousUser


def _objects_with_role(user: AnyUser, role: str, *, superuser_sees_all: bool) -> QuerySet:
    spec = ROLE_SPECS[role]
    if not user.is_authenticated or not user.is_active:
        return spec.model.objects.none()
    return get_objects_for_user(
        user,
        spec.perm,
        klass=spec.model,
        accept_global_perms=False,
        with_superuser=superuser_sees_all,
    )


def organisations_acting_for(user: AnyUser) -> QuerySet[Organisation]:
    """Organisations the user may act for: those where the user holds the official role."""
    return _objects_with_role(user, Role.OFFICIAL, superuser_sees_all=False)


def can_act_for(user: AnyUser, organisation: Organisation) -> bool:
    return organisations_acting_for(user).filter(pk=organisation.pk).exists()


def counties_editable(user: AnyUser) -> QuerySet[County]:
    """Counties whose agreements the user may edit."""
    return _objects_with_role(user, Role.EDITOR, superuser_sees_all=True)


def can_edit_agreements_of(user: AnyUser, county: County) -> bool:
    return counties_editable(user).filter(pk=county.pk).exists()


def counties_administered(user: AnyUser) -> QuerySet[County]:
    """Counties in which the user administers roles (all of them for a superuser)."""
    return _objects_with_role(user, Role.COUNTY_ADMIN, superuser_sees_all=True)


def can_administer_county(user: AnyUser, county: County) -> bool:
    return counties_administered(user).filter(pk=county.pk).exists()


def can_manage_roles(user: AnyUser) -> bool:
    """May the user open role administration at all?"""
    return counties_administered(user).exists()


def users_manageable(user: AnyUser) -> QuerySet[User]:
    """People whose roles the user may see and change: those working in a county the user administers."""
    if not user.is_authenticated:
        return User.objects.none()
    if user.is_superuser:
        return User.objects.all()
    return User.objects.filter(profile__organisation__county__in=counties_administered(user))


def can_assign_role(user: AnyUser, role: str, scope) -> bool:
    """Superusers assign any role; a county administrator assigns the other roles within the county."""
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    if role == Role.COUNTY_ADMIN:
        return False
    return can_administer_county(user, scope_county(scope))


def can_end_role(user: AnyUser, held: HeldRole) -> bool:
    return can_assign_role(user, held.role, held.scope)


def roles_removable(user: AnyUser, roles: list[HeldRole]) -> set[str]:
    """Keys of the held roles (scopes already loaded) the user may end, in one query."""
    if not user.is_authenticated or not user.is_active:
        return set()
    if user.is_superuser:
        return {held.key for held in roles}
    counties = set(counties_administered(user).values_list("pk", flat=True))
    return {h.key for h in roles if h.role != Role.COUNTY_ADMIN and scope_county_id(h.scope) in counties}


def assignable_scopes(user: AnyUser, role: str) -> QuerySet:
    """The objects a role may be assigned on by the user, e.g. the organisations of their counties."""
    model = scope_model(role)
    if not user.is_authenticated or (role == Role.COUNTY_ADMIN and not user.is_superuser):
        return model.objects.none()
    if user.is_superuser:
        return model.objects.all()
    counties = counties_administered(user)
    if model is County:
        return counties
    return model.objects.filter(county__in=counties)
