"""Who may see and do what in the governance bodies.

The body directory, published agendas and published protocols are public. Members (including chair,
secretary and co-opted) see unpublished material of their body. The body's secretary, or an
administrator of its county, runs meetings and publishes; only designated adjusters adjust.
"""

from django.contrib.auth.models import User
from django.db.models import Q, QuerySet
from django.utils import timezone

from governance.models import Body, Meeting, Membership
from samverkan import permissions as core
from samverkan.permissions import AnyUser


def _current_memberships(user: AnyUser) -> QuerySet[Membership]:
    today = timezone.localdate()
    return Membership.objects.filter(user=user, starts_on__lte=today).filter(
        Q(ends_on__isnull=True) | Q(ends_on__gte=today)
    )


def bodies_member_of(user: AnyUser) -> QuerySet[Body]:
    if not user.is_authenticated:
        return Body.objects.none()
    return Body.objects.filter(pk__in=_current_memberships(user).values("body_id"))


def is_member(user: AnyUser, body: Body) -> bool:
    return bodies_member_of(user).filter(pk=body.pk).exists()


def can_run_meetings(user: AnyUser, body: Body) -> bool:
    """The body's secretary or an administrator of its county."""
    if not user.is_authenticated:
        return False
    if core.can_administer_county(user, body.county):
        return True
    return _current_memberships(user).filter(body=body, role=Membership.Role.SECRETARY).exists()


def can_see_unpublished(user: AnyUser, body: Body) -> bool:
    return is_member(user, body) or can_run_meetings(user, body)


def can_submit_item(user: AnyUser, meeting: Meeting) -> bool:
    return meeting.status in (Meeting.Status.PLANNED, Meeting.Status.AGENDA_PUBLISHED) and is_member(
        user, meeting.body
    )


def can_adjust(user: AnyUser, meeting: Meeting) -> bool:
    return (
        user.is_authenticated
        and meeting.status == Meeting.Status.IN_ADJUSTMENT
        and meeting.adjustments.filter(user=user, approved_at__isnull=True).exists()
    )


def meetings_visible(user: AnyUser) -> QuerySet[Meeting]:
    """Meetings whose agenda is public, plus every meeting of the bodies the user belongs to or runs."""
    public = ~Q(status__in=[Meeting.Status.PLANNED, Meeting.Status.CANCELLED])
    if not user.is_authenticated:
        return Meeting.objects.filter(public)
    own = Q(body__in=bodies_member_of(user)) | Q(body__county__in=core.counties_administered(user))
    return Meeting.objects.filter(public | own)


def people_of(body: Body) -> QuerySet[User]:
    return User.objects.filter(pk__in=body.memberships.values("user_id"))
