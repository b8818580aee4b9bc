"""Reads for the core that span relations."""

from django.contrib.auth.models import User
from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import HttpRequest

from samverkan import permissions
from samverkan.models import County, Organisation, RoleAssignment

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


def roles_of(user: User) -> list[RoleAssignment]:
    """A user's role assignments with their scopes loaded."""
    return list(
        RoleAssignment.objects.filter(user=user).select_related("scope_type").prefetch_related("scope")
    )


def counties_with_counts() -> QuerySet[County]:
    return County.objects.annotate(
        municipality_count=Count(
            "organisations", filter=Q(organisations__kind=Organisation.Kind.MUNICIPALITY)
        )
    ).order_by("code")


def county_organisations(county: County) -> QuerySet[Organisation]:
    return county.organisations.prefetch_related("units").order_by("kind", "name")


def people_for_role_admin(user: User, *, query: str = "") -> QuerySet[User]:
    """People the user may manage roles for, optionally filtered by name, with organisation and roles."""
    people = permissions.users_manageable(user).select_related("profile__organisation__county")
    if query:
        people = people.filter(
            Q(username__icontains=query)
            | Q(first_name__icontains=query)
            | Q(last_name__icontains=query)
            | Q(profile__organisation__name__icontains=query)
        )
    assignments = RoleAssignment.objects.select_related("scope_type").prefetch_related("scope")
    return people.prefetch_related(Prefetch("role_assignments", queryset=assignments)).order_by(
        "last_name", "first_name", "username"
    )
