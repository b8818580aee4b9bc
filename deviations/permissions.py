"""Who may see and do what with deviations and disputes.

A case is seen by the person who reported it, the reporting organisation, the concerned organisations,
the members of the bodies that handle or have handled it, and the county's administrators. Nobody else,
not even other municipalities in the same county; the public sees only aggregated statistics. The
handlers of the current level act on it: the parties' officials at levels handled by the parties, the
chair or secretary of the handling body at levels handled by a body.
"""

from django.contrib.auth.models import User
from django.db.models import Exists, OuterRef, Q, QuerySet

from deviations.models import TRANSITIONS, Case, LadderLevel
from governance.models import Body, Membership
from governance.permissions import bodies_member_of, current_memberships
from samverkan import permissions as core
from samverkan.models import Organisation, Role
from samverkan.permissions import AnyUser
from samverkan.selectors import holders_of

LEADING_ROLES = (Membership.Role.CHAIR, Membership.Role.VICE_CHAIR, Membership.Role.SECRETARY)


def bodies_led_by(user: AnyUser) -> QuerySet[Body]:
    """Bodies where the user is chair, vice chair or secretary today."""
    leading = current_memberships(user).filter(role__in=LEADING_ROLES)
    return Body.objects.filter(pk__in=leading.values("body_id"))


def cases_visible(user: AnyUser) -> QuerySet[Case]:
    if not user.is_authenticated:
        return Case.objects.none()
    if user.is_superuser:
        return Case.objects.all()
    organisations = core.organisations_acting_for(user).values("pk")
    concerned = Case.concerned.through.objects.filter(
        case_id=OuterRef("pk"), organisation_id__in=organisations
    )
    involved = Case.involved_bodies.through.objects.filter(
        case_id=OuterRef("pk"), body_id__in=bodies_member_of(user).values("pk")
    )
    return Case.objects.filter(
        Q(reported_by=user)  # a chair reporting on behalf of another organisation follows the case
        | Q(reporting_organisation__in=organisations)
        | Q(county__in=core.counties_administered(user))
        | Exists(concerned)
        | Exists(involved)
    )


def reporting_organisations(user: AnyUser) -> QuerySet[Organisation]:
    """Organisations the user may report for: their own, and for chairs and secretaries of a body (and
    county administrators) any organisation of that county, on behalf of others."""
    if not user.is_authenticated:
        return Organisation.objects.none()
    counties = Q(county__in=bodies_led_by(user).values("county")) | Q(
        county__in=core.counties_administered(user)
    )
    return Organisation.objects.filter(Q(pk__in=core.organisations_acting_for(user).values("pk")) | counties)


def can_report(user: AnyUser) -> bool:
    return reporting_organisations(user).exists()


def _parties(case: Case) -> list[int]:
    return [case.reporting_organisation_id, *(o.pk for o in case.concerned.all())]


def can_handle(user: AnyUser, case: Case) -> bool:
    """The handlers of the case's current level (and the county's administrators)."""
    if not user.is_authenticated or not case.is_open:
        return False
    if core.can_administer_county(user, case.county):
        return True
    if case.level_handler == LadderLevel.Handler.BODY and case.handling_body_id:
        bodies = [case.handling_body_id, case.deciding_body_id]
        return bodies_led_by(user).filter(pk__in=[pk for pk in bodies if pk]).exists()
    # The parties handle their levels, and record what happens at a level handled outside the county.
    return core.organisations_acting_for(user).filter(pk__in=_parties(case)).exists()


def actions_for(user: AnyUser, case: Case) -> list[tuple[str, str]]:
    """The handling actions the user may take now. Where one body prepares and another decides, the
    preparing body's leaders prepare (receive, investigate, give feedback) and only the deciding body's
    leaders (and the county's administrators) decide."""
    actions = case.available_actions
    if not case.deciding_body_id or core.can_administer_county(user, case.county):
        return actions
    if bodies_led_by(user).filter(pk=case.deciding_body_id).exists():
        return actions
    return [(action, label) for action, label in actions if not TRANSITIONS[action].decides]


def can_escalate(user: AnyUser, case: Case) -> bool:
    """The current handlers, or the reporting organisation when it is not satisfied."""
    if not user.is_authenticated or not case.is_open:
        return False
    return can_handle(user, case) or core.can_act_for(user, case.reporting_organisation)


def party_organisations(user: AnyUser, case: Case) -> QuerySet[Organisation]:
    """The parties of the case the user acts for (to state a position in a dispute)."""
    return core.organisations_acting_for(user).filter(pk__in=_parties(case))


def can_see_queue(user: AnyUser, body: Body) -> bool:
    """A body's queue of cases: its chair, vice chair and secretary, and the county's administrators."""
    return bodies_led_by(user).filter(pk=body.pk).exists() or core.can_administer_county(user, body.county)


def can_edit_ladder(user: AnyUser, county) -> bool:
    return core.can_administer_county(user, county)


def handlers_of(case: Case) -> QuerySet[User]:
    """The people to notify at the case's current level: the leaders of the handling body, or the
    officials of the parties."""
    if case.level_handler == LadderLevel.Handler.BODY and case.handling_body_id:
        bodies = [pk for pk in (case.handling_body_id, case.deciding_body_id) if pk]
        return holders_of((Role.CHAIR, Role.VICE_CHAIR, Role.SECRETARY), bodies)
    return holders_of(Role.OFFICIAL, _parties(case))
