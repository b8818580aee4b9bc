"""Writes for governance. Each function is atomic, checks the body's rules and is attributable."""

from datetime import datetime, time, timedelta

from django.conf import settings
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from governance import CACHE_SCOPE, selectors
from governance.models import (
    Adjustment,
    AgendaItem,
    Attachment,
    Attendance,
    Body,
    Correction,
    CycleDuty,
    CycleRule,
    Decision,
    Meeting,
    Membership,
    Paragraph,
    ReportingLine,
    Seat,
    WrittenViews,
)
from samverkan import pagecache
from samverkan.concurrency import guard
from samverkan.history import attribute
from samverkan.tasks import email_send, enqueue_on_commit
from samverkan.uploads import check_upload

# What a governance write makes stale: its own pages and the agreement pages that name the adopting body.
CHANGED_SCOPES = (CACHE_SCOPE, "agreements")


def _require_agenda_open(meeting: Meeting) -> None:
    if not meeting.agenda_open:
        _refuse(meeting)


def _refuse(meeting: Meeting) -> None:
    raise ValidationError(
        _("Det går inte nu: mötet har status ”%(status)s”.") % {"status": meeting.get_status_display()}
    )


def _require(meeting: Meeting, *statuses: str) -> None:
    if meeting.status not in statuses:
        _refuse(meeting)


def _save(instance, *, by: User | None, reason: str, fields: list[str] | None = None) -> None:
    attribute(instance, by=by, reason=reason)
    instance.save(update_fields=fields)


# --- Bodies -----------------------------------------------------------------------------------------

BODY_FIELDS = [
    "name",
    "abbreviation",
    "level",
    "mandate",
    "time_horizon",
    "meetings_per_year",
    "agenda_notice_days",
    "item_deadline_days",
    "quorum_rule",
    "chair_has_mandate",
    "valid_from",
]


def _lines_set(body: Body, parents: list[Body], *, by: User | None, reason: str) -> None:
    refusal = body.reporting_refusal(parents)
    if refusal:
        raise ValidationError({"parents": refusal})
    wanted = {parent.pk for parent in parents}
    for line in body.lines_up.exclude(reports_to_id__in=wanted):
        attribute(line, by=by, reason=reason)
        line.delete()
    have = set(body.lines_up.values_list("reports_to_id", flat=True))
    for parent_id in sorted(wanted - have):
        line = ReportingLine(body=body, reports_to_id=parent_id)
        line.full_clean()
        _save(line, by=by, reason=reason)


@pagecache.changes(*CHANGED_SCOPES)
@transaction.atomic
def body_create(*, county, values: dict, parents: list[Body], by: User | None, reason: str) -> Body:
    """Set up a body in the county, with the bodies it reports to (of the same county, never in a loop)."""
    body = Body(county=county, **{name: values[name] for name in BODY_FIELDS if name in values})
    body.full_clean()
    _save(body, by=by, reason=reason)
    _lines_set(body, parents, by=by, reason=reason)
    return body


@pagecache.changes(*CHANGED_SCOPES)
@transaction.atomic
def body_update(*, body: Body, values: dict, parents: list[Body], by: User | None, reason: str) -> Body:
    for name in BODY_FIELDS:
        if name in values:
            setattr(body, name, values[name])
    body.full_clean()
    _save(body, by=by, reason=reason)
    _lines_set(body, parents, by=by, reason=reason)
    return body


@pagecache.changes(*CHANGED_SCOPES)
@transaction.atomic
def body_end(*, body: Body, last_day, by: User | None, reason: str) -> Body:
    """The body ends after ``last_day``: its members' terms end then too; it stays readable with its
    protocols, and no new meeting is planned for it."""
    if body.valid_to is not None:
        raise ValidationError(_("Organet är redan avslutat."))
    body.valid_to = last_day
    body.full_clean()
    _save(body, by=by, reason=reason, fields=["valid_to"])
    for membership in body.memberships.filter(Q(ends_on__isnull=True) | Q(ends_on__gt=last_day)):
        if membership.starts_on > last_day:
            attribute(membership, by=by, reason=reason)
            membership.delete()
        else:
            membership_end(membership=membership, ends_on=last_day, by=by, reason=reason)
    return body


@pagecache.changes(*CHANGED_SCOPES)
@transaction.atomic
def seat_add(*, body: Body, function: str, organisation, count: int, by: User | None, reason: str) -> Seat:
    """A seat as in the agreements' tables: function × organisation × count."""
    if organisation is not None and organisation.county_id != body.county_id:
        raise ValidationError({"organisation": _("Organisationen hör inte till organets län.")})
    order = (body.seats.aggregate(last=Max("order"))["last"] or 0) + 1
    seat = Seat(body=body, function=function, organisation=organisation, count=count, order=order)
    seat.full_clean()
    seat.save()
    _body_touched(body, by=by, reason=reason)
    return seat


@pagecache.changes(*CHANGED_SCOPES)
@transaction.atomic
def seat_remove(*, seat: Seat, by: User | None, reason: str) -> None:
    body = seat.body
    seat.delete()
    _body_touched(body, by=by, reason=reason)


def _body_touched(body: Body, *, by: User | None, reason: str) -> None:
    """Seats have no history of their own: the change is recorded on the body's."""
    _save(body, by=by, reason=reason)


# --- Members ----------------------------------------------------------------------------------------


@pagecache.changes(*CHANGED_SCOPES)
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
    """Add a member: the membership is the body role (chair, secretary, member) in the whole portal."""
    membership = Membership(
        body=body, user=user, organisation=organisation, role=role, starts_on=starts_on, function=function
    )
    membership.full_clean()
    _save(membership, by=by, reason=reason)
    return membership


@pagecache.changes(*CHANGED_SCOPES)
@transaction.atomic
def member_seat(
    *,
    body: Body,
    user: User,
    organisation,
    role: str,
    starts_on,
    ends_on=None,
    function: str = "",
    by: User | None,
    reason: str,
) -> Membership:
    """Seat a person of the body's county for a term (from ``starts_on``, to ``ends_on`` if known). A body
    that has ended takes no new members, and a body has one chair at a time."""
    if not body.is_current(starts_on):
        raise ValidationError(
            {"starts_on": _("Organet finns inte den dagen: det är avslutat eller inte inrättat.")}
        )
    if organisation.county_id != body.county_id:
        raise ValidationError({"organisation": _("Organisationen hör inte till organets län.")})
    if role == Membership.Role.CHAIR:
        others = body.memberships.filter(role=Membership.Role.CHAIR).filter(
            Q(ends_on__isnull=True) | Q(ends_on__gte=starts_on)
        )
        if ends_on is not None:
            others = others.filter(starts_on__lte=ends_on)
        if others.exists():
            raise ValidationError(
                {"role": _("Organet har redan en ordförande den perioden. Avsluta det mandatet först.")}
            )
    membership = membership_add(
        body=body,
        user=user,
        organisation=organisation,
        role=role,
        starts_on=starts_on,
        function=function,
        by=by,
        reason=reason,
    )
    if ends_on is not None:
        membership_end(membership=membership, ends_on=ends_on, by=by, reason=reason)
    return membership


@pagecache.changes(*CHANGED_SCOPES)
@transaction.atomic
def membership_end(*, membership: Membership, ends_on, by: User | None, reason: str) -> None:
    """End a membership after ``ends_on`` (its last day in the body); the role ends with it."""
    membership.ends_on = ends_on
    membership.full_clean()
    _save(membership, by=by, reason=reason, fields=["ends_on"])


@pagecache.changes(*CHANGED_SCOPES)
@transaction.atomic
def membership_end_now(*, membership: Membership, by: User | None, reason: str) -> None:
    """End a membership so that the role is gone today: yesterday was its last day, or, for one that
    began today or has not begun, it is withdrawn (the history keeps it)."""
    today = timezone.localdate()
    if membership.starts_on < today:
        membership_end(membership=membership, ends_on=today - timedelta(days=1), by=by, reason=reason)
        return
    attribute(membership, by=by, reason=reason)
    membership.delete()


# --- Agenda -----------------------------------------------------------------------------------------


@pagecache.changes(*CHANGED_SCOPES)
@transaction.atomic
def meeting_plan(*, body: Body, starts_at: datetime, location: str, by: User | None) -> Meeting:
    if not body.is_current(timezone.localtime(starts_at).date()):
        raise ValidationError(
            {"starts_at": _("Organet finns inte den dagen: det är avslutat eller inte inrättat.")}
        )
    meeting = Meeting(body=body, starts_at=starts_at, location=location)
    meeting.full_clean()
    _save(meeting, by=by, reason=_("Möte planerat"))
    return meeting


@pagecache.changes(*CHANGED_SCOPES)
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
    _require_agenda_open(meeting)
    now = now or timezone.now()
    item = AgendaItem(
        meeting=meeting,
        title=title.strip(),
        kind=kind,
        proposal=proposal.strip(),
        presenter=presenter.strip(),
        submitted_by=by,
        late=now > meeting.item_deadline,
        order=(meeting.items.aggregate(m=Max("order"))["m"] or 0) + 1,
    )
    item.full_clean()
    _save(item, by=by, reason=_("Ärende anmält"))
    return item


@pagecache.changes(*CHANGED_SCOPES)
@transaction.atomic
def agenda_item_decide(
    *, item: AgendaItem, decision: str, by: User, move_to: Meeting | None = None, seen: str | None = None
) -> None:
    """The secretary accepts, rejects or moves a submitted item (as it was when ``seen``)."""
    guard(item, seen)
    _require_agenda_open(item.meeting)
    if decision == AgendaItem.Status.MOVED:
        if move_to is None or move_to.body_id != item.meeting.body_id or move_to.pk == item.meeting_id:
            raise ValidationError({"move_to": _("Välj ett annat möte i samma organ.")})
        _require_agenda_open(move_to)
        item.meeting, item.status = move_to, AgendaItem.Status.SUBMITTED
        item.order = (move_to.items.aggregate(m=Max("order"))["m"] or 0) + 1
        _save(item, by=by, reason=_("Ärendet flyttat"), fields=["meeting", "status", "order"])
        return
    if decision not in (AgendaItem.Status.ACCEPTED, AgendaItem.Status.REJECTED):
        raise ValidationError(_("Okänt beslut om ärendet."))
    item.status = decision
    _save(item, by=by, reason=_("Ärendet behandlat av sekreteraren"), fields=["status"])


@pagecache.changes(*CHANGED_SCOPES)
@transaction.atomic
def agenda_item_move(*, item: AgendaItem, up: bool, by: User, seen: str | None = None) -> None:
    """Reorder the agenda: swap with the neighbour above or below."""
    guard(item, seen)
    _require_agenda_open(item.meeting)
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


@pagecache.changes(*CHANGED_SCOPES)
@transaction.atomic
def agenda_publish(
    *, meeting: Meeting, by: User, late_reason: str = "", now: datetime | None = None
) -> Meeting:
    """Send the agenda. Later than the notice period is refused unless the secretary records why."""
    _require(meeting, Meeting.Status.PLANNED)
    now = now or timezone.now()
    if now > meeting.agenda_deadline and not late_reason.strip():
        raise ValidationError(
            {
                "late_reason": _(
                    "Kallelsen ska skickas senast %(days)s dagar före mötet (senast %(deadline)s). "
                    "Ange skälet om den ändå ska skickas nu."
                )
                % {
                    "days": meeting.body.agenda_notice_days,
                    "deadline": timezone.localtime(meeting.agenda_deadline).strftime("%Y-%m-%d %H:%M"),
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
    meeting.full_clean()
    _save(
        meeting,
        by=by,
        reason=_("Kallelse skickad"),
        fields=["status", "agenda_published_at", "late_agenda_reason"],
    )
    enqueue_on_commit("governance.tasks.agenda_members_notify_run", meeting.pk)
    return meeting


def agenda_members_notify(meeting: Meeting) -> int:
    """E-mail the members that the agenda is out (run by the task worker); a failing address is logged and
    does not stop the others. Returns how many messages were sent."""
    recipients = [m.user.email for m in selectors.current_members(meeting.body) if m.user.email]
    subject = _("Kallelse: %(body)s %(date)s") % {
        "body": meeting.body,
        "date": timezone.localtime(meeting.starts_at).strftime("%Y-%m-%d %H:%M"),
    }
    body = _("Dagordningen till mötet är publicerad:\n%(url)s\n") % {
        "url": settings.SITE_URL.rstrip("/") + meeting.get_absolute_url()
    }
    return email_send.call(subject=subject, body=body, to=recipients)


# --- Meeting and protocol ---------------------------------------------------------------------------


_memberships_on = selectors.memberships_on


def _require_begun(meeting: Meeting, now: datetime | None) -> None:
    """Attendance and the protocol of a meeting that has not begun would record what has not happened."""
    if not meeting.has_begun(now):
        raise ValidationError(
            _(
                "Mötet har inte börjat än. Närvaro och protokoll registreras när mötet har börjat "
                "(%(starts)s)."
            )
            % {"starts": timezone.localtime(meeting.starts_at).strftime("%Y-%m-%d %H:%M")}
        )


def _next_number(body: Body, year: int) -> int:
    last = Paragraph.objects.select_for_update().filter(body=body, year=year).aggregate(m=Max("number"))["m"]
    return (last or 0) + 1


@pagecache.changes(*CHANGED_SCOPES)
@transaction.atomic
def meeting_record(
    *,
    meeting: Meeting,
    presence: dict[int, str],
    written_views: dict[int, str] | None = None,
    by: User,
    now: datetime | None = None,
) -> Meeting:
    """Record attendance, compute quorum and open the protocol with one § per accepted item. Not before the
    meeting has begun."""
    _require(meeting, Meeting.Status.AGENDA_PUBLISHED)
    _require_begun(meeting, now)
    memberships = list(_memberships_on(meeting).select_related("organisation", "body"))
    sent = selectors.written_views_by_membership(meeting)
    for membership in memberships:
        state = presence.get(membership.pk, Attendance.Presence.ABSENT)
        views = (written_views or {}).get(membership.pk) or sent.get(membership.pk, "")
        if state == Attendance.Presence.ABSENT and views:
            state = Attendance.Presence.WRITTEN_VIEWS
        Attendance.objects.update_or_create(
            meeting=meeting,
            membership=membership,
            defaults={
                "presence": state,
                "written_views": views if state != Attendance.Presence.PRESENT else "",
            },
        )
    present = {pk for pk, state in presence.items() if state == Attendance.Presence.PRESENT}
    meeting.quorate = meeting.body.is_quorate(present, memberships)
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


@pagecache.changes(*CHANGED_SCOPES)
@transaction.atomic
def paragraph_write(
    *, paragraph: Paragraph, notes: str, decision: str, by: User, seen: str | None = None
) -> Paragraph:
    _require(paragraph.meeting, Meeting.Status.PROTOCOL_DRAFT)
    guard(paragraph, seen)
    paragraph.notes, paragraph.decision = notes.strip(), decision.strip()
    paragraph.full_clean()
    _save(paragraph, by=by, reason=_("Protokollet skrivet"), fields=["notes", "decision"])
    return paragraph


@pagecache.changes(*CHANGED_SCOPES)
@transaction.atomic
def protocol_send_for_adjustment(*, meeting: Meeting, adjusters: list[User], by: User) -> Meeting:
    _require(meeting, Meeting.Status.PROTOCOL_DRAFT)
    if not adjusters:
        raise ValidationError({"adjusters": _("Utse minst en justerare.")})
    members = set(_memberships_on(meeting).values_list("user_id", flat=True))
    if any(user.pk not in members for user in adjusters):
        raise ValidationError({"adjusters": _("Justerare ska vara ledamöter i organet.")})
    for earlier in meeting.adjustments.all():  # sent back for a change, now sent again
        attribute(earlier, by=by, reason=_("Protokollet skickat för justering igen"))
        earlier.delete()
    for user in adjusters:
        _save(Adjustment(meeting=meeting, user=user), by=by, reason=_("Justerare utsedd"))
    meeting.status = Meeting.Status.IN_ADJUSTMENT
    _save(meeting, by=by, reason=_("Protokollet skickat för justering"), fields=["status"])
    return meeting


@pagecache.changes(*CHANGED_SCOPES)
@transaction.atomic
def protocol_adjust(*, meeting: Meeting, by: User, now: datetime | None = None) -> Meeting:
    """An adjuster approves. When all have, the protocol is locked and decisions enter the register;
    procedural items (formalia) are no decisions to follow up."""
    _require(meeting, Meeting.Status.IN_ADJUSTMENT)
    adjustment = _adjustment_of(meeting, by)
    adjustment.approved_at = now or timezone.now()
    _save(adjustment, by=by, reason=_("Protokollet justerat av justeraren"), fields=["approved_at"])
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


def _adjustment_of(meeting: Meeting, user: User) -> Adjustment:
    adjustment = meeting.adjustments.select_for_update().filter(user=user, approved_at__isnull=True).first()
    if adjustment is None:
        raise ValidationError(_("Du är inte justerare av protokollet, eller har redan justerat det."))
    return adjustment


@pagecache.changes(*CHANGED_SCOPES)
@transaction.atomic
def protocol_request_change(
    *, meeting: Meeting, by: User, comment: str, now: datetime | None = None
) -> Meeting:
    """An adjuster sends the protocol back to the secretary with what should change. The protocol is a
    draft again and every approval given so far is withdrawn: the adjusters approve the changed text."""
    _require(meeting, Meeting.Status.IN_ADJUSTMENT)
    adjustment = _adjustment_of(meeting, by)
    if not comment.strip():
        raise ValidationError({"comment": _("Skriv vad sekreteraren ska ändra i protokollet.")})
    now = now or timezone.now()
    for other in (
        meeting.adjustments.select_for_update().exclude(pk=adjustment.pk).filter(approved_at__isnull=False)
    ):
        other.approved_at = None
        _save(
            other, by=by, reason=_("Justeringen återkallad: protokollet ska ändras"), fields=["approved_at"]
        )
    adjustment.change_requested_at, adjustment.change_request = now, comment.strip()
    _save(
        adjustment,
        by=by,
        reason=_("Justeraren begär ändring"),
        fields=["change_requested_at", "change_request"],
    )
    meeting.status = Meeting.Status.PROTOCOL_DRAFT
    _save(meeting, by=by, reason=_("Protokollet tillbaka till sekreteraren för ändring"), fields=["status"])
    return meeting


@pagecache.changes(*CHANGED_SCOPES)
@transaction.atomic
def protocol_publish(*, meeting: Meeting, by: User, now: datetime | None = None) -> Meeting:
    _require(meeting, Meeting.Status.ADJUSTED)
    meeting.status, meeting.protocol_published_at = Meeting.Status.PUBLISHED, now or timezone.now()
    _save(meeting, by=by, reason=_("Protokollet publicerat"), fields=["status", "protocol_published_at"])
    return meeting


@pagecache.changes(*CHANGED_SCOPES)
@transaction.atomic
def paragraph_correct(*, paragraph: Paragraph, text: str, by: User) -> Correction:
    """Corrections after adjustment are recorded beside the paragraph; the adjusted text never changes."""
    if not paragraph.meeting.protocol_locked:
        _refuse(paragraph.meeting)
    if not text.strip():
        raise ValidationError({"text": _("Skriv rättelsen.")})
    correction = Correction(paragraph=paragraph, text=text.strip(), made_by=by)
    correction.full_clean()
    correction.save()
    return correction


@pagecache.changes(*CHANGED_SCOPES)
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


@pagecache.changes(*CHANGED_SCOPES)
@transaction.atomic
def meeting_cancel(*, meeting: Meeting, by: User) -> Meeting:
    _require_agenda_open(meeting)
    meeting.status = Meeting.Status.CANCELLED
    _save(meeting, by=by, reason=_("Mötet inställt"), fields=["status"])
    return meeting


# --- Written views, attachments -----------------------------------------------------------------------


@pagecache.changes(*CHANGED_SCOPES)
@transaction.atomic
def written_views_send(
    *, meeting: Meeting, by: User, text: str, item: AgendaItem | None = None, now: datetime | None = None
) -> WrittenViews:
    """A member who cannot attend sends written views before the meeting, on the whole agenda or one item.
    Sending again replaces the earlier text (the history keeps it)."""
    _require_agenda_open(meeting)
    now = now or timezone.now()
    if now >= meeting.starts_at:
        raise ValidationError(_("Mötet har börjat. Skriftliga synpunkter skickas före mötet."))
    membership = _memberships_on(meeting).filter(user=by).first()
    if membership is None:
        raise ValidationError(_("Bara organets ledamöter kan skicka skriftliga synpunkter."))
    if item is not None and item.meeting_id != meeting.pk:
        raise ValidationError({"item": _("Ärendet hör inte till mötet.")})
    if not text.strip():
        raise ValidationError({"text": _("Skriv dina synpunkter.")})
    views = WrittenViews.objects.filter(meeting=meeting, membership=membership, item=item).first()
    views = views or WrittenViews(meeting=meeting, membership=membership, item=item)
    views.text, views.sent_at = text.strip(), now
    views.full_clean()
    _save(views, by=by, reason=_("Skriftliga synpunkter skickade"))
    return views


@pagecache.changes(*CHANGED_SCOPES)
@transaction.atomic
def attachment_add(*, item: AgendaItem, upload, by: User) -> Attachment:
    """Attach a file to an item before the meeting. The file must be PDF or an office document."""
    _require_agenda_open(item.meeting)
    checked = check_upload(upload, field="file")
    attachment = Attachment(
        item=item,
        name=checked.name,
        content_type=checked.content_type,
        size=checked.size,
        sha256=checked.sha256,
        uploaded_by=by,
    )
    attachment.full_clean(exclude=["file"])  # stored below, once the rest is known to be valid
    attachment.file.save(checked.name, upload, save=False)
    _save(attachment, by=by, reason=_("Bilaga bifogad"))
    return attachment


@pagecache.changes(*CHANGED_SCOPES)
@transaction.atomic
def attachment_remove(*, attachment: Attachment, by: User) -> None:
    """Remove an attachment before the meeting. The stored file stays for the history."""
    _require_agenda_open(attachment.item.meeting)
    attribute(attachment, by=by, reason=_("Bilaga borttagen"))
    attachment.delete()


# --- Annual cycle (årshjul) ---------------------------------------------------------------------------


@pagecache.changes(*CHANGED_SCOPES)
@transaction.atomic
def cycle_rule_create(*, body: Body, by: User, **fields) -> CycleRule:
    rule = CycleRule(body=body, **fields)
    rule.clean()
    rule.full_clean()
    _save(rule, by=by, reason=_("Regel i årshjulet tillagd"))
    return rule


@pagecache.changes(*CHANGED_SCOPES)
@transaction.atomic
def annual_cycle_generate(*, body: Body, year: int, by: User | None) -> tuple[int, int]:
    """Create the year's meetings and duties from the body's rules. Dates that already have a meeting of
    the body, or the duty, are left alone, so generating twice creates nothing new. Returns (meetings,
    duties) created."""
    meetings = duties = 0
    for rule in body.cycle_rules.all():
        rule.clean()
        for day in rule.dates(year):
            if rule.kind == CycleRule.Kind.MEETING:
                if body.meetings.filter(starts_at__date=day).exists():
                    continue
                starts_at = timezone.make_aware(datetime.combine(day, rule.time or time(13, 0)))
                meeting_plan(body=body, starts_at=starts_at, location=rule.location, by=by)
                meetings += 1
            elif not CycleDuty.objects.filter(rule=rule, due=day).exists():
                duty = CycleDuty(
                    body=body, rule=rule, title=rule.title, description=rule.description, due=day
                )
                _save(duty, by=by, reason=_("Årshjulet genererat"))
                duties += 1
    return meetings, duties


@pagecache.changes(*CHANGED_SCOPES)
@transaction.atomic
def cycle_duty_mark(*, duty: CycleDuty, done: bool, by: User) -> CycleDuty:
    duty.status = CycleDuty.Status.DONE if done else CycleDuty.Status.PLANNED
    _save(duty, by=by, reason=_("Uppgift i årshjulet markerad"), fields=["status"])
    return duty
