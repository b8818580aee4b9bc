"""The one place that answers "may user U do A to O?" and "which O may U see or act on?" for the core.

Roles are recorded as ``RoleAssignment`` rows and enforced through django-guardian object permissions on
the scope (organisation, county, body). Superusers may administer everything but act for no organisation
unless they hold the official role there.
"""

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser, User
from django.db.models import QuerySet
from guardian.shortcuts import get_objects_for_user

from samverkan.models import County, Organisation, Role, RoleAssignment
from samverkan.roles import ROLE_SPECS, scope_county, scope_county_id

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


def can_manage_roles_of(user: AnyUser, person: User) -> bool:
    return users_manageable(user).filter(pk=person.pk).exists()


def can_assign_role(user: AnyUser, role: str, scope) -> bool:
    """Superusers assign any role; a county administrator assigns the other roles within the county."""
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    if role == Role.COUNTY_ADMIN:
        return False
    return can_administer_county(user, scope_county(scope))


def can_remove_assignment(user: AnyUser, assignment: RoleAssignment) -> bool:
    return can_assign_role(user, assignment.role, assignment.scope)


def assignments_removable(user: AnyUser, assignments: list[RoleAssignment]) -> set[int]:
    """Ids of the assignments (scopes already loaded) the user may remove, in one query."""
    if not user.is_authenticated or not user.is_active:
        return set()
    if user.is_superuser:
        return {a.pk for a in assignments}
    counties = set(counties_administered(user).values_list("pk", flat=True))
    return {a.pk for a in assignments if a.role != Role.COUNTY_ADMIN and scope_county_id(a.scope) in counties}


def assignable_scopes(user: AnyUser, role: str) -> QuerySet:
    """The objects a role may be assigned on by the user, e.g. the organisations of their counties."""
    spec = ROLE_SPECS[role]
    if not user.is_authenticated or (role == Role.COUNTY_ADMIN and not user.is_superuser):
        return spec.model.objects.none()
    if user.is_superuser:
        return spec.model.objects.all()
    counties = counties_administered(user)
    if spec.model is County:
        return counties
    return spec.model.objects.filter(county__in=counties)
