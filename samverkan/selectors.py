"""Reads for the core that span relations."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import timedelta

from django.contrib.auth.models import User
from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Model, Q, QuerySet
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from django.utils import timezone

from samverkan import permissions, registry
from samverkan.models import County, FailedLogin, Organisation, OrganisationUnit, RoleAssignment
from samverkan.roles import ASSIGNMENT, ROLE_SPECS, HeldRole, held_from_assignment

ACTING_SESSION_KEY = "acting_organisation_id"


def acting_organisation(request: HttpRequest) -> Organisation | None:
    """The organisation the user acts for on this request: the one chosen in the session if still allowed,
    else the profile's organisation if allowed, else the first allowed one. Cached on the request."""
    if hasattr(request, "_acting_organisation"):
        return request._acting_organisation
    allowed = permissions.organisations_acting_for(request.user).select_related("county")
    organisations = {org.pk: org for org in allowed}
    preferred = [request.session.get(ACTING_SESSION_KEY)]
    profile = getattr(request.user, "profile", None) if request.user.is_authenticated else None
    if profile:
        preferred.append(profile.organisation_id)
    chosen = next((organisations[pk] for pk in preferred if pk in organisations), None)
    if chosen is None and organisations:
        chosen = min(organisations.values(), key=lambda org: org.name)
    request._acting_organisation = chosen
    return chosen


def roles_of(user: User) -> list[HeldRole]:
    """The roles a user holds, wherever they are recorded, with their scopes loaded."""
    return roles_by_user([user.pk]).get(user.pk, [])


def roles_by_user(user_ids: Iterable[int]) -> dict[int, list[HeldRole]]:
    """The roles of several users: one query for the core's assignments, one (or so) per provider."""
    user_ids = list(user_ids)
    assignments = (
        RoleAssignment.objects.filter(user_id__in=user_ids)
        .select_related("scope_type")
        .prefetch_related("scope")
        .order_by("role", "pk")
    )
    held = [held_from_assignment(a) for a in assignments]
    for provider in registry.role_providers():
        held.extend(provider.held(user_ids))
    by_user: dict[int, list[HeldRole]] = {}
    for role in held:
        by_user.setdefault(role.user_id, []).append(role)
    return by_user


def holders_of(roles: str | Iterable[str], scopes: Model | QuerySet | Iterable[int]) -> QuerySet[User]:
    """The active users who hold any of ``roles`` today on the scope (an object, a queryset of them, or
    their ids): the one answer to "who is editor of this county, chair of this body, official of these
    organisations?", wherever the role is recorded. All ``roles`` must share one kind of scope."""
    roles = [roles] if isinstance(roles, str) else list(roles)
    if isinstance(scopes, Model):
        scope_ids = [scopes.pk]
    elif isinstance(scopes, QuerySet):
        scope_ids = scopes.values("pk")
    else:
        scope_ids = list(scopes)
    providers = {registry.role_provider(role) for role in roles}
    if len(providers) != 1:
        raise ValueError("holders_of: the roles must be recorded in one place")
    provider = providers.pop()
    if provider is not None:
        holders = provider.holders(roles, scope_ids)
    else:
        scope_type = ContentType.objects.get_for_model(ROLE_SPECS[roles[0]].model)
        assignments = RoleAssignment.objects.filter(
            role__in=roles, scope_type=scope_type, scope_id__in=scope_ids
        )
        holders = User.objects.filter(pk__in=assignments.values("user_id"))
    return holders.filter(is_active=True)


def counties_with_counts() -> QuerySet[County]:
    return County.objects.annotate(
        municipality_count=Count(
            "organisations", filter=Q(organisations__kind=Organisation.Kind.MUNICIPALITY)
        )
    ).order_by("code")


def county_organisations(county: County) -> QuerySet[Organisation]:
    return county.organisations.prefetch_related("units").order_by("kind", "name")


def people_for_role_admin(user: User, *, query: str = "") -> QuerySet[User]:
    """People the user may manage roles for, optionally filtered by name, with their organisation."""
    people = permissions.users_manageable(user).select_related("profile__organisation__county")
    if query:
        people = people.filter(
            Q(username__icontains=query)
            | Q(first_name__icontains=query)
            | Q(last_name__icontains=query)
            | Q(profile__organisation__name__icontains=query)
        )
    return people.order_by("last_name", "first_name", "username")


@dataclass(frozen=True)
class PersonRoles:
    person: User
    roles: list[HeldRole]


def with_roles(people: Iterable[User]) -> list[PersonRoles]:
    """Each person (e.g. of one page of a list) with the roles they hold."""
    people = list(people)
    roles = roles_by_user(p.pk for p in people)
    return [PersonRoles(p, roles.get(p.pk, [])) for p in people]


def held_role_or_404(people: QuerySet[User], *, kind: str, held_id: int) -> HeldRole:
    """A role held today by one of ``people``, by where it is recorded and which record; 404 otherwise."""
    user_ids = set(people.values_list("pk", flat=True))
    if kind == ASSIGNMENT:
        assignment = RoleAssignment.objects.filter(pk=held_id, user_id__in=user_ids).first()
        if assignment is not None:
            return held_from_assignment(assignment)
    for provider in registry.role_providers():
        if provider.kind == kind:
            for held in provider.held(user_ids):
                if held.held_id == held_id:
                    return held
    raise Http404


def login_is_blocked(*, username: str, ip_address: str | None, limit: int, window_seconds: int) -> bool:
    """True when the user name (in any look-alike spelling), or the address, has failed too often within
    the window. The address may fail ``FailedLogin.ADDRESS_FACTOR`` times as often as one name."""
    since = timezone.now() - timedelta(seconds=window_seconds)
    recent = FailedLogin.objects.filter(at__gte=since)
    key = FailedLogin.name_key(username)
    by_name = recent.filter(username=key).count() if key else 0
    by_address = recent.filter(ip_address=ip_address).count() if ip_address else 0
    return by_name >= limit or by_address >= limit * FailedLogin.ADDRESS_FACTOR


def email_taken(email: str, *, besides: User | None = None) -> bool:
    """Is the address (compared without regard to case) already an account's e-mail or user name?"""
    email = email.strip()
    taken = User.objects.filter(Q(email__iexact=email) | Q(username__iexact=email))
    if besides is not None:
        taken = taken.exclude(pk=besides.pk)
    return taken.exists()


def county_people(county: County, *, query: str = "") -> QuerySet[User]:
    """The people who work in the county's organisations (active or not), optionally filtered by name,
    e-mail or organisation, with their profile, organisation and unit loaded."""
    people = User.objects.filter(profile__organisation__county=county).select_related(
        "profile__organisation", "profile__unit"
    )
    for word in query.split():
        people = people.filter(
            Q(first_name__icontains=word)
            | Q(last_name__icontains=word)
            | Q(email__icontains=word)
            | Q(username__icontains=word)
            | Q(profile__organisation__name__icontains=word)
        )
    return people.order_by("-is_active", "last_name", "first_name", "username")


def county_person_or_404(county: County, user_id: int) -> User:
    return get_object_or_404(county_people(county), pk=user_id)


def county_units(county: County) -> QuerySet[OrganisationUnit]:
    return OrganisationUnit.objects.filter(organisation__county=county).select_related("organisation")


@dataclass(frozen=True)
class WorkspaceCounty:
    county: County
    entries: list[registry.WorkspaceEntry]


def workspace_of(user: User) -> list[WorkspaceCounty]:
    """The counties the user administers, each with what the apps registered for the workspace."""
    entries = registry.workspace_entries()
    return [
        WorkspaceCounty(county, entries)
        for county in permissions.counties_administered(user).order_by("name")
    ]
