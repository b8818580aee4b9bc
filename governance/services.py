"""Writes for governance. Each function is atomic, checks the body's rules and is attributable."""

from datetime import datetime, timedelta

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from governance.models import (
    AgendaItem,
    Attendance,
    Body,
    Correction,
    Decision,
    Meeting,
    Membership,
    Paragraph,
)
from samverkan import services as core_services
from samverkan.history import attribute
from samverkan.models import Role, RoleAssignment

MEMBERSHIP_ROLES = {
    Membership.Role.CHAIR: Role.CHAIR,
    Membership.Role.VICE_CHAIR: Role.MEMBER,
    Membership.Role.SECRETARY: Role.SECRETARY,
    Membership.Role.MEMBER: Role.MEMBER,
    Membership.Role.CO_OPTED: Role.MEMBER,
}


def _require(meeting: Meeting, *statuses: str) -> None:
    if meeting.status not in statuses:
        raise ValidationError(
            _("Det går inte nu: mötet har status ”%(status)s”.") % {"status": meeting.get_status_display()}
        )


def _save(instance, *, by: User | None, reason: str, fields: list[str] | None = None) -> None:
    attribute(instance, by=by, reason=reason)
    instance.save(update_fields=fields)


# --- Members ----------------------------------------------------------------------------------------


@transaction.atomic
def membership_add(
    *,
    body: Body,
    user: User,
    organisation,
    role: str,
    starts_on,
    function: str = "",
    by: User | None,
    reason: str,
) -> Membership:
    """Add a member and give the portal role that goes with it (chair, secretary or member of the body)."""
    membership = Membership(
        body=body, user=user, organisation=organisation, role=role, starts_on=starts_on, function=function
    )
    membership.full_clean()
    _save(membership, by=by, reason=reason)
    core_services.role_assign(user=user, role=MEMBERSHIP_ROLES[role], scope=body, by=by, reason=reason)
    return membership


@transaction.atomic
def membership_end(*, membership: Membership, ends_on, by: User | None, reason: str) -> None:
    membership.ends_on = ends_on
    membership.full_clean()
    _save(membership, by=by, reason=reason, fields=["ends_on"])
    role = MEMBERSHIP_ROLES[membership.role]
    still = Membership.objects.filter(body=membership.body, user=membership.user, ends_on__isnull=True)
    if any(MEMBERSHIP_ROLES[m.role] == role for m in still.exclude(pk=membership.pk)):
        return
    for assignment in RoleAssignment.objects.filter(
        user=membership.user, role=role, scope_type__model="body", scope_id=membership.body_id
    ):
        core_services.role_remove(assignment=assignment, by=by, reason=reason)


# --- Agenda -----------------------------------------------------------------------------------------


def agenda_deadline(meeting: Meeting) -> datetime:
    """The latest time the agenda may be sent: the body's notice period before the meeting."""
    # Count whole days in Swedish wall-clock time, so a deadline across a DST change keeps its hour.
    return timezone.localtime(meeting.starts_at) - timedelta(days=meeting.body.agenda_notice_days)


def item_deadline(meeting: Meeting) -> datetime:
    """The latest time items can be submitted: the body's item deadline before the agenda is due."""
    return agenda_deadline(meeting) - timedelta(days=meeting.body.item_deadline_days)


@transaction.atomic
def meeting_plan(*, body: Body, starts_at: datetime, location: str, by: User | None) -> Meeting:
    meeting = Meeting(body=body, starts_at=starts_at, location=location)
    meeting.full_clean()
    _save(meeting, by=by, reason=_("Möte planerat"))
    return meeting


@transaction.atomic
def agenda_item_submit(
    *,
    meeting: Meeting,
    by: User,
    title: str,
    kind: str,
    proposal: str = "",
    presenter: str = "",
    now: datetime | None = None,
) -> AgendaItem:
    """A member submits an item. After the deadline it is marked late and waits for the secretary."""
    _require(meeting, Meeting.Status.PLANNED, Meeting.Status.AGENDA_PUBLISHED)
    now = now or timezone.now()
    item = AgendaItem(
        meeting=meeting,
        title=title.strip(),
        kind=kind,
        proposal=proposal.strip(),
        presenter=presenter.strip(),
        submitted_by=by,
        late=now > item_deadline(meeting),
        order=(meeting.items.aggregate(m=Max("order"))["m"] or 0) + 1,
    )
    item.full_clean()
    _save(item, by=by, reason=_("Ärende anmält"))
    return item


@transaction.atomic
def agenda_item_decide(*, item: AgendaItem, decision: str, by: User, move_to: Meeting | None = None) -> None:
    """The secretary accepts, rejects or moves a submitted item."""
    _require(item.meeting, Meeting.Status.PLANNED, Meeting.Status.AGENDA_PUBLISHED)
    if decision == AgendaItem.Status.MOVED:
        if move_to is None or move_to.body_id != item.meeting.body_id or move_to.pk == item.meeting_id:
            raise ValidationError({"move_to": _("Välj ett annat möte i samma organ.")})
        _require(move_to, Meeting.Status.PLANNED, Meeting.Status.AGENDA_PUBLISHED)
        item.meeting, item.status = move_to, AgendaItem.Status.SUBMITTED
        item.order = (move_to.items.aggregate(m=Max("order"))["m"] or 0) + 1
        _save(item, by=by, reason=_("Ärendet flyttat"), fields=["meeting", "status", "order"])
        return
    if decision not in (AgendaItem.Status.ACCEPTED, AgendaItem.Status.REJECTED):
        raise ValidationError(_("Okänt beslut om ärendet."))
    item.status = decision
    _save(item, by=by, reason=_("Ärendet behandlat av sekreteraren"), fields=["status"])


@transaction.atomic
def agenda_item_move(*, item: AgendaItem, up: bool, by: User) -> None:
    """Reorder the agenda: swap with the neighbour above or below."""
    _require(item.meeting, Meeting.Status.PLANNED, Meeting.Status.AGENDA_PUBLISHED)
    items = list(item.meeting.items.order_by("order", "pk"))
    index = items.index(item)
    other = index - 1 if up else index + 1
    if not 0 <= other < len(items):
        return
    items[index], items[other] = items[other], items[index]
    for position, sibling in enumerate(items):
        if sibling.order != position:
            sibling.order = position
            _save(sibling, by=by, reason=_("Dagordningen ordnad om"), fields=["order"])


@transaction.atomic
def agenda_publish(
    *, meeting: Meeting, by: User, late_reason: str = "", now: datetime | None = None
) -> Meeting:
    """Send the agenda. Later than the notice period is refused unless the secretary records why."""
    _require(meeting, Meeting.Status.PLANNED)
    now = now or timezone.now()
    if now > agenda_deadline(meeting) and not late_reason.strip():
        raise ValidationError(
            {
                "late_reason": _(
                    "Kallelsen ska skickas senast %(days)s dagar före mötet (senast %(deadline)s). "
                    "Ange skälet om den ändå ska skickas nu."
                )
                % {
                    "days": meeting.body.agenda_notice_days,
                    "deadline": timezone.localtime(agenda_deadline(meeting)).strftime("%Y-%m-%d %H:%M"),
                }
            }
        )
    waiting = meeting.items.filter(status=AgendaItem.Status.SUBMITTED)
    if waiting.exists():
        raise ValidationError(
            _("%(n)s anmälda ärenden väntar på beslut: godta, avvisa eller flytta dem först.")
            % {"n": waiting.count()}
        )
    meeting.status, meeting.agenda_published_at = Meeting.Status.AGENDA_PUBLISHED, now
    meeting.late_agenda_reason = late_reason.strip()
    _save(
        meeting,
        by=by,
        reason=_("Kallelse skickad"),
        fields=["status", "agenda_published_at", "late_agenda_reason"],
    )
    return meeting


# --- Meeting and protocol ---------------------------------------------------------------------------


def _memberships_on(meeting: Meeting):
    """The memberships in force on the meeting day."""
    day = timezone.localtime(meeting.starts_at).date()
    return meeting.body.memberships.filter(starts_on__lte=day).filter(
        Q(ends_on__isnull=True) | Q(ends_on__gte=day)
    )


def quorum(body: Body, present: set[int], memberships: list[Membership]) -> bool:
    """Is the meeting quorate with these memberships present? Blekinge: more than half of the voting members
    from each principal side."""
    voters = [m for m in memberships if m.votes]
    if body.quorum_rule == Body.Quorum.NONE:
        return True
    if body.quorum_rule == Body.Quorum.MAJORITY:
        return sum(m.pk in present for m in voters) * 2 > len(voters)
    for side in ("region", "municipal"):
        side_voters = [m for m in voters if m.side == side]
        if side_voters and sum(m.pk in present for m in side_voters) * 2 <= len(side_voters):
            return False
    return True


def _next_number(body: Body, year: int) -> int:
    last = Paragraph.objects.select_for_update().filter(body=body, year=year).aggregate(m=Max("number"))["m"]
    return (last or 0) + 1


@transaction.atomic
def meeting_record(
    *, meeting: Meeting, presence: dict[int, str], written_views: dict[int, str] | None = None, by: User
) -> Meeting:
    """Record attendance, compute quorum and open the protocol with one § per accepted item."""
    _require(meeting, Meeting.Status.AGENDA_PUBLISHED)
    memberships = list(_memberships_on(meeting).select_related("organisation", "body"))
    for membership in memberships:
        state = presence.get(membership.pk, Attendance.Presence.ABSENT)
        Attendance.objects.update_or_create(
            meeting=meeting,
            membership=membership,
            defaults={"presence": state, "written_views": (written_views or {}).get(membership.pk, "")},
        )
    present = {pk for pk, state in presence.items() if state == Attendance.Presence.PRESENT}
    meeting.quorate = quorum(meeting.body, present, memberships)
    year = timezone.localtime(meeting.starts_at).year
    Body.objects.select_for_update().filter(pk=meeting.body_id).first()  # serialise § numbering per body
    number = _next_number(meeting.body, year)
    for item in meeting.items.filter(status=AgendaItem.Status.ACCEPTED).order_by("order", "pk"):
        paragraph = Paragraph(
            meeting=meeting,
            body=meeting.body,
            year=year,
            number=number,
            item=item,
            title=item.title,
            decision=item.proposal,
        )
        _save(paragraph, by=by, reason=_("Protokoll upprättat"))
        number += 1
    meeting.status = Meeting.Status.PROTOCOL_DRAFT
    _save(meeting, by=by, reason=_("Mötet genomfört"), fields=["status", "quorate"])
    return meeting


@transaction.atomic
def paragraph_write(*, paragraph: Paragraph, notes: str, decision: str, by: User) -> Paragraph:
    _require(paragraph.meeting, Meeting.Status.PROTOCOL_DRAFT)
    paragraph.notes, paragraph.decision = notes.strip(), decision.strip()
    _save(paragraph, by=by, reason=_("Protokollet skrivet"), fields=["notes", "decision"])
    return paragraph


@transaction.atomic
def protocol_send_for_adjustment(*, meeting: Meeting, adjusters: list[User], by: User) -> Meeting:
    _require(meeting, Meeting.Status.PROTOCOL_DRAFT)
    if not adjusters:
        raise ValidationError({"adjusters": _("Utse minst en justerare.")})
    members = set(_memberships_on(meeting).values_list("user_id", flat=True))
    if any(user.pk not in members for user in adjusters):
        raise ValidationError({"adjusters": _("Justerare ska vara ledamöter i organet.")})
    meeting.adjustments.all().delete()
    for user in adjusters:
        meeting.adjustments.create(user=user)
    meeting.status = Meeting.Status.IN_ADJUSTMENT
    _save(meeting, by=by, reason=_("Protokollet skickat för justering"), fields=["status"])
    return meeting


@transaction.atomic
def protocol_adjust(*, meeting: Meeting, by: User, now: datetime | None = None) -> Meeting:
    """An adjuster approves. When all have, the protocol is locked and decisions enter the register."""
    _require(meeting, Meeting.Status.IN_ADJUSTMENT)
    adjustment = meeting.adjustments.select_for_update().filter(user=by, approved_at__isnull=True).first()
    if adjustment is None:
        raise ValidationError(_("Du är inte justerare av protokollet, eller har redan justerat det."))
    adjustment.approved_at = now or timezone.now()
    adjustment.save(update_fields=["approved_at"])
    if not meeting.adjustments.filter(approved_at__isnull=True).exists():
        meeting.status = Meeting.Status.ADJUSTED
        _save(meeting, by=by, reason=_("Protokollet justerat"), fields=["status"])
        for paragraph in meeting.paragraphs.select_related("item"):
            if paragraph.item and paragraph.item.kind == AgendaItem.Kind.DECISION and paragraph.decision:
                decision = Decision(
                    paragraph=paragraph,
                    body=meeting.body,
                    text=paragraph.decision,
                    without_quorum=not meeting.quorate,
                )
                _save(decision, by=by, reason=_("Beslut från justerat protokoll"))
    return meeting


@transaction.atomic
def protocol_publish(*, meeting: Meeting, by: User, now: datetime | None = None) -> Meeting:
    _require(meeting, Meeting.Status.ADJUSTED)
    meeting.status, meeting.protocol_published_at = Meeting.Status.PUBLISHED, now or timezone.now()
    _save(meeting, by=by, reason=_("Protokollet publicerat"), fields=["status", "protocol_published_at"])
    return meeting


@transaction.atomic
def paragraph_correct(*, paragraph: Paragraph, text: str, by: User) -> Correction:
    """Corrections after adjustment are recorded beside the paragraph; the adjusted text never changes."""
    _require(paragraph.meeting, Meeting.Status.ADJUSTED, Meeting.Status.PUBLISHED)
    if not text.strip():
        raise ValidationError({"text": _("Skriv rättelsen.")})
    return Correction.objects.create(paragraph=paragraph, text=text.strip(), made_by=by)


@transaction.atomic
def decision_follow_up(
    *, decision: Decision, status: str, notes: str, by: User, due=None, responsible_person: str | None = None
) -> Decision:
    decision.status, decision.notes = status, notes.strip()
    if due is not None:
        decision.due = due
    if responsible_person is not None:
        decision.responsible_person = responsible_person.strip()
    decision.full_clean()
    _save(
        decision,
        by=by,
        reason=_("Beslutet följt upp"),
        fields=["status", "notes", "due", "responsible_person"],
    )
    return decision


@transaction.atomic
def meeting_cancel(*, meeting: Meeting, by: User) -> Meeting:
    _require(meeting, Meeting.Status.PLANNED, Meeting.Status.AGENDA_PUBLISHED)
    meeting.status = Meeting.Status.CANCELLED
    _save(meeting, by=by, reason=_("Mötet inställt"), fields=["status"])
    return meeting
