"""Who may see and do what in the governance bodies.

The body directory, published agendas and published protocols are public. Members (including chair,
secretary and co-opted) see unpublished material of their body. The body's secretary, or an
administrator of its county, runs meetings and publishes; only designated adjusters adjust.
"""

from django.db.models import Q, QuerySet
from django.utils import timezone

from governance.models import AgendaItem, Body, Decision, Meeting, Membership
from samverkan import permissions as core
from samverkan.permissions import AnyUser


def _current_memberships(user: AnyUser) -> QuerySet[Membership]:
    return Membership.objects.in_force(timezone.localdate()).filter(user=user)


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
    return meeting.agenda_open and is_member(user, meeting.body)


def can_attach(
    user: AnyUser, item: AgendaItem, *, runs: bool | None = None, member: bool | None = None
) -> bool:
    """The secretary, or the member who submitted the item, attaches files until the meeting is held.
    ``runs`` and ``member`` may be passed when the caller knows them (one query per page, not per item)."""
    if not user.is_authenticated or item.meeting.status not in (
        Meeting.Status.PLANNED,
        Meeting.Status.AGENDA_PUBLISHED,
    ):
        return False
    if runs if runs is not None else can_run_meetings(user, item.meeting.body):
        return True
    return item.submitted_by_id == user.pk and (
        member if member is not None else is_member(user, item.meeting.body)
    )


def can_see_item(user: AnyUser, item: AgendaItem) -> bool:
    """Members see every item of their body; others the accepted items of a published agenda."""
    if can_see_unpublished(user, item.meeting.body):
        return True
    return item.meeting.agenda_is_public and item.status == AgendaItem.Status.ACCEPTED


def can_send_written_views(user: AnyUser, meeting: Meeting) -> bool:
    return meeting.agenda_open and not meeting.has_begun() and is_member(user, meeting.body)


def can_see_protocol(user: AnyUser, meeting: Meeting) -> bool:
    """The public once published; members (and the secretary) as soon as the protocol is drafted."""
    return meeting.protocol_is_public or (
        can_see_unpublished(user, meeting.body) and meeting.paragraphs.exists()
    )


def decisions_visible(user: AnyUser) -> QuerySet[Decision]:
    """Decisions of published protocols; members of the body and those who run its meetings also see the
    decisions of a protocol adjusted but not yet published (nothing of a protocol is public before it)."""
    published = Q(paragraph__meeting__status=Meeting.Status.PUBLISHED)
    if not user.is_authenticated:
        return Decision.objects.filter(published)
    own = Q(body__in=bodies_member_of(user)) | Q(body__county__in=core.counties_administered(user))
    return Decision.objects.filter(published | own)


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


def current_memberships(user: AnyUser) -> QuerySet[Membership]:
    """The user's memberships in force today (for other apps asking about chairs and secretaries)."""
    if not user.is_authenticated:
        return Membership.objects.none()
    return _current_memberships(user)


def can_administer_body(user: AnyUser, body: Body) -> bool:
    """A body is set up, changed, ended and seated by an administrator of its county (or a superuser)."""
    return user.is_authenticated and core.can_administer_county(user, body.county)


def counties_for_new_bodies(user: AnyUser) -> QuerySet:
    """The counties in which the user may set up bodies."""
    return core.counties_administered(user)


def can_create_body_in(user: AnyUser, county) -> bool:
    return counties_for_new_bodies(user).filter(pk=county.pk).exists()
