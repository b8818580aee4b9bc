"""Reads for governance pages."""

from dataclasses import dataclass, field, fields
from datetime import date

from django.db.models import Exists, F, OuterRef, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from governance import permissions
from governance.models import (
    Adjustment,
    AgendaItem,
    Attachment,
    Attendance,
    Body,
    CycleDuty,
    Decision,
    Meeting,
    Membership,
    Paragraph,
    ReportingLine,
    WrittenViews,
)
from samverkan.concurrency import with_seen
from samverkan.history import HistoryEntry, history_of
from samverkan.models import County
from samverkan.permissions import AnyUser


@dataclass
class BodyNode:
    body: Body
    children: list["BodyNode"] = field(default_factory=list)


def body_tree(county: County) -> list[BodyNode]:
    """The county's bodies as a tree of who reports to whom (two queries). A body that reports to two
    bodies is shown under each; one whose lines loop (stored before that was refused) at the top."""
    order = list(Body.Level.values)  # political first, operational last
    bodies = sorted(Body.objects.filter(county=county), key=lambda b: (order.index(b.level), b.name))
    nodes = {body.pk: BodyNode(body) for body in bodies}
    parents_of: dict[int, list[int]] = {}
    for body_id, parent_id in ReportingLine.objects.filter(body__county=county).values_list(
        "body_id", "reports_to_id"
    ):
        parents_of.setdefault(body_id, []).append(parent_id)
    roots = []
    for body in bodies:
        parents = [nodes[pk] for pk in parents_of.get(body.pk, []) if pk in nodes]
        if not parents or _reports_to_itself(body.pk, parents_of):
            roots.append(nodes[body.pk])
            continue
        for parent in sorted(parents, key=lambda node: node.body.name):
            parent.children.append(nodes[body.pk])
    return roots


def _reports_to_itself(pk: int, parents_of: dict[int, list[int]]) -> bool:
    seen, todo = set(), list(parents_of.get(pk, []))
    while todo:
        current = todo.pop()
        if current == pk:
            return True
        if current not in seen:
            seen.add(current)
            todo.extend(parents_of.get(current, []))
    return False


def body_or_404(pk: int) -> Body:
    body = Body.objects.select_related("county").prefetch_related("parents").filter(pk=pk).first()
    if body is None:
        raise Http404
    return body


ROLE_ORDER = list(Membership.Role.values)  # chair, vice chair, secretary, member, co-opted


def current_members(body: Body) -> list[Membership]:
    """Members in force today: the chair first, then vice chair, secretary, members and co-opted."""
    today = timezone.localdate()
    members = (
        body.memberships.filter(starts_on__lte=today)
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=today))
        .select_related("user", "organisation")
        .order_by("organisation__name", "user__last_name")
    )
    return sorted(members, key=lambda m: ROLE_ORDER.index(m.role))


def memberships_on(meeting: Meeting) -> QuerySet[Membership]:
    """The memberships in force on the meeting day."""
    day = timezone.localtime(meeting.starts_at).date()
    return meeting.body.memberships.filter(starts_on__lte=day).filter(
        Q(ends_on__isnull=True) | Q(ends_on__gte=day)
    )


@dataclass(frozen=True)
class Signatories:
    """Who signs the protocol: the chair, the secretary (vid protokollet) and the adjusters."""

    chairs: list[str]
    secretaries: list[str]
    adjustments: list[Adjustment]


def _name(user) -> str:
    return user.get_full_name() or user.username


def protocol_signatories(meeting: Meeting) -> Signatories:
    """The chair and secretary of the body on the meeting day, and the protocol's adjusters (two queries)."""
    officers = (
        memberships_on(meeting)
        .filter(role__in=[Membership.Role.CHAIR, Membership.Role.SECRETARY])
        .select_related("user")
        .order_by("user__last_name", "user__first_name")
    )
    officers = list(officers)
    return Signatories(
        chairs=[_name(m.user) for m in officers if m.role == Membership.Role.CHAIR],
        secretaries=[_name(m.user) for m in officers if m.role == Membership.Role.SECRETARY],
        adjustments=list(meeting.adjustments.select_related("user").order_by("user__last_name", "pk")),
    )


def body_meetings(user: AnyUser, body: Body) -> tuple[list[Meeting], QuerySet[Meeting]]:
    """(upcoming, past) meetings of the body that the user may see: the coming ones as a list, soonest
    first, and the past ones as a queryset, latest first, for the page to paginate (a body meeting ten
    times a year for years has hundreds). That a meeting is planned is public (its time and place; the
    agenda once sent): a coming meeting the user may not open yet is marked ``closed``."""
    meetings = permissions.meetings_visible(user).filter(body=body)
    now = timezone.now()
    upcoming = list(
        Meeting.objects.filter(body=body, starts_at__gte=now)
        .filter(Q(pk__in=meetings.values("pk")) | Q(status=Meeting.Status.PLANNED))
        .annotate(closed=~Exists(meetings.filter(pk=OuterRef("pk"))))
        .order_by("starts_at", "pk")
    )
    return upcoming, meetings.filter(starts_at__lt=now).order_by("-starts_at", "-pk")


def decisions_to_follow_up(user: AnyUser, body: Body) -> tuple[list[Decision], list[Decision]]:
    """(open, overdue) decisions of the body that the user may see: from published protocols, and for its
    members and those who run it also from adjusted ones not yet published."""
    today = timezone.localdate()
    decisions = list(
        permissions.decisions_visible(user)
        .filter(body=body, status=Decision.Status.OPEN)
        .select_related("paragraph", "responsible_organisation")
        .order_by("due", "pk")
    )
    return decisions, [d for d in decisions if d.due and d.due < today]


def meeting_or_404(user: AnyUser, pk: int) -> Meeting:
    meeting = permissions.meetings_visible(user).select_related("body__county").filter(pk=pk).first()
    if meeting is None:
        raise Http404
    return meeting


def item_or_404(user: AnyUser, pk: int) -> AgendaItem:
    """An agenda item the user may see: its meeting is visible and the item is on its public agenda (or the
    user is a member of the body or runs it)."""
    item = AgendaItem.objects.select_related("meeting__body__county").filter(pk=pk).first()
    if item is None:
        raise Http404
    item.meeting = meeting_or_404(user, item.meeting_id)
    if not permissions.can_see_item(user, item):
        raise Http404
    return item


def attachment_or_404(user: AnyUser, pk: int) -> Attachment:
    """An attachment of an item the user may see (item_or_404)."""
    attachment = Attachment.objects.select_related("item__meeting__body__county").filter(pk=pk).first()
    if attachment is None:
        raise Http404
    meeting_or_404(user, attachment.item.meeting_id)
    if not permissions.can_see_item(user, attachment.item):
        raise Http404
    return attachment


def paragraph_or_404(user: AnyUser, pk: int) -> Paragraph:
    """A paragraph of a protocol the user may see (published, or drafted and the user is a member)."""
    paragraph = Paragraph.objects.filter(pk=pk).first()
    if paragraph is None:
        raise Http404
    paragraph.meeting = meeting_or_404(user, paragraph.meeting_id)
    if not permissions.can_see_protocol(user, paragraph.meeting):
        raise Http404
    return paragraph


def decision_or_404(user: AnyUser, pk: int) -> Decision:
    decision = (
        permissions.decisions_visible(user)
        .select_related("body__county", "paragraph__meeting")
        .filter(pk=pk)
        .first()
    )
    if decision is None:
        raise Http404
    return decision


def meeting_agenda(meeting: Meeting, *, unpublished: bool) -> QuerySet[AgendaItem]:
    items = (
        meeting.items.select_related("submitted_by").prefetch_related("attachments").order_by("order", "pk")
    )
    if unpublished:
        return items
    return items.filter(status=AgendaItem.Status.ACCEPTED) if meeting.agenda_is_public else items.none()


def meeting_protocol(meeting: Meeting) -> tuple[list[Attendance], list[Paragraph]]:
    attendance = list(
        meeting.attendance.select_related("membership__user", "membership__organisation").order_by(
            "membership__role", "membership__user__last_name"
        )
    )
    paragraphs = list(
        with_seen(meeting.paragraphs.order_by("number"))  # the version the secretary's form saves against
        .prefetch_related(Prefetch("corrections"))
        .select_related("item")
    )
    return attendance, paragraphs


def written_views_by_membership(meeting: Meeting) -> dict[int, str]:
    """The written views sent before the meeting, one text per membership (per item views headed by it)."""
    texts: dict[int, list[str]] = {}
    # General views first: after a headed item they would read as part of that item's views.
    order = (F("item__order").asc(nulls_first=True), "item_id", "pk")
    for views in meeting.written_views.select_related("item").order_by(*order):
        text = f"{views.item.title}: {views.text}" if views.item else views.text
        texts.setdefault(views.membership_id, []).append(text)
    return {pk: "\n\n".join(parts) for pk, parts in texts.items()}


def written_views_for(user: AnyUser, meeting: Meeting, *, everyone: bool) -> list[WrittenViews]:
    """Written views sent before the meeting: all of them for the secretary, otherwise the user's own."""
    views = meeting.written_views.select_related("membership__user", "membership__organisation", "item")
    return list(views if everyone else views.filter(membership__user=user))


@dataclass(frozen=True)
class CycleEntry:
    """One date in a body's annual cycle: a meeting or a recurring duty."""

    day: date
    kind: str  # "meeting" or "duty"
    title: str
    status: str  # the display label of the meeting's or duty's status
    url: str = ""
    description: str = ""


def annual_cycle(user: AnyUser, body: Body, year: int) -> list[CycleEntry]:
    """The body's year: the meetings the user may see and the duties of the year, in date order."""
    meetings = (
        permissions.meetings_visible(user).filter(body=body, starts_at__year=year).order_by("starts_at")
    )
    entries = [
        CycleEntry(
            day=timezone.localtime(m.starts_at).date(),
            kind="meeting",
            title=_("Möte %(time)s") % {"time": timezone.localtime(m.starts_at).strftime("%H:%M")}
            + (f", {m.location}" if m.location else ""),
            status=m.get_status_display(),
            url=m.get_absolute_url(),
        )
        for m in meetings
    ]
    entries += [
        CycleEntry(
            day=d.due, kind="duty", title=d.title, status=d.get_status_display(), description=d.description
        )
        for d in CycleDuty.objects.filter(body=body, due__year=year)
    ]
    return sorted(entries, key=lambda e: (e.day, e.kind != "meeting", e.title))


def cycle_months(entries: list[CycleEntry]) -> list[tuple[int, list[CycleEntry]]]:
    """The entries grouped by month, all twelve months present."""
    return [(month, [e for e in entries if e.day.month == month]) for month in range(1, 13)]


def meeting_history(meeting: Meeting) -> list[HistoryEntry]:
    """The audit trail of a meeting: the meeting, its items, attachments, paragraphs and decisions."""
    items = list(meeting.items.values_list("pk", flat=True))
    paragraphs = list(meeting.paragraphs.values_list("pk", flat=True))
    return history_of(
        (_("Mötet"), Meeting.history.filter(id=meeting.pk), lambda r: str(_("Mötet"))),
        (
            _("Ärende"),
            AgendaItem.history.filter(meeting_id=meeting.pk),
            lambda r: f"{_('Ärende')}: {r.title}",
        ),
        (_("Bilaga"), Attachment.history.filter(item_id__in=items), lambda r: f"{_('Bilaga')}: {r.name}"),
        (
            _("Justering"),
            Adjustment.history.filter(meeting_id=meeting.pk),
            lambda r: f"{_('Justering')}: {_name(r.user)}",
        ),
        (_("Paragraf"), Paragraph.history.filter(id__in=paragraphs), lambda r: f"§ {r.number} {r.title}"),
        (
            _("Beslut"),
            Decision.history.filter(paragraph_id__in=paragraphs),
            lambda r: f"{_('Beslut')}: {r.text[:60]}",
        ),
    )


@dataclass(frozen=True)
class AgendaRow:
    item: AgendaItem
    can_attach: bool
    seen: int | None  # the version the secretary's buttons carry (samverkan.concurrency)


@dataclass(frozen=True)
class ParagraphRow:
    paragraph: Paragraph
    notes: str
    decision: str
    seen: int | str | None
    form: object = None  # a refused save's form: what was written, and why


@dataclass(frozen=True)
class MeetingPage:
    """Everything the meeting page shows and offers one user, decided here so that the view only adds
    its forms and the template only reads."""

    meeting: Meeting
    body: Body
    unpublished: bool
    show_protocol: bool
    can_run: bool
    can_submit: bool
    can_adjust: bool
    can_send_views: bool
    items: list[AgendaRow]
    attendance: list[Attendance]
    paragraphs: list[ParagraphRow]
    members: list[Membership]
    other_meetings: list[Meeting]
    signatories: "Signatories | None"
    written_views: list[WrittenViews]

    def context(self) -> dict:
        return {f.name: getattr(self, f.name) for f in fields(self)}


def meeting_page(user: AnyUser, meeting: Meeting, *, refused_paragraph: tuple | None = None) -> MeetingPage:
    """The meeting page for ``user``; ``refused_paragraph`` is (pk, form) of a paragraph save that failed,
    shown with what was written."""
    body = meeting.body
    unpublished = permissions.can_see_unpublished(user, body)
    show_protocol = permissions.can_see_protocol(user, meeting)
    can_run = permissions.can_run_meetings(user, body)
    is_member = permissions.is_member(user, body)
    agenda = meeting_agenda(meeting, unpublished=unpublished)
    items = [
        AgendaRow(
            item,
            permissions.can_attach(user, item, runs=can_run, member=is_member),
            getattr(item, "seen", None),
        )
        for item in (with_seen(agenda) if can_run else agenda)
    ]
    attendance, paragraphs = meeting_protocol(meeting) if show_protocol else ([], [])
    written_pk, written = refused_paragraph or (None, None)
    rows = [
        ParagraphRow(p, *(written[f].value() for f in ("notes", "decision", "seen")), form=written)
        if p.pk == written_pk
        else ParagraphRow(p, p.notes, p.decision, getattr(p, "seen", None))
        for p in paragraphs
    ]
    can_send_views = permissions.can_send_written_views(user, meeting)
    others = body.meetings.filter(status__in=Meeting.AGENDA_OPEN).exclude(pk=meeting.pk) if can_run else []
    return MeetingPage(
        meeting=meeting,
        body=body,
        unpublished=unpublished,
        show_protocol=show_protocol,
        can_run=can_run,
        can_submit=permissions.can_submit_item(user, meeting),
        can_adjust=permissions.can_adjust(user, meeting),
        can_send_views=can_send_views,
        items=items,
        attendance=attendance,
        paragraphs=rows,
        members=current_members(body) if can_run else [],
        other_meetings=list(others),
        signatories=protocol_signatories(meeting) if show_protocol else None,
        written_views=written_views_for(user, meeting, everyone=can_run) if can_send_views or can_run else [],
    )


def coming_meetings(bodies: list[Body], *, limit: int = 20) -> list[Meeting]:
    """The next meetings of the bodies (not cancelled ones), soonest first."""
    return list(
        Meeting.objects.filter(body__in=bodies, starts_at__gte=timezone.now())
        .exclude(status=Meeting.Status.CANCELLED)
        .select_related("body__county")
        .order_by("starts_at")[:limit]
    )


def protocols_to_adjust(user: AnyUser) -> list[Meeting]:
    """Meetings whose protocol waits for the user's adjustment."""
    return list(
        Meeting.objects.filter(
            status=Meeting.Status.IN_ADJUSTMENT, adjustments__user=user, adjustments__approved_at=None
        ).select_related("body__county")
    )


def cycle_duties_by_id(body: Body, year: int) -> dict[int, CycleDuty]:
    return {duty.pk: duty for duty in body.cycle_duties.filter(due__year=year)}


def home_county_code(request, acting) -> str:
    """The county a person starts in: the one of the organisation they act for, else of the organisation
    they work for (a county administrator acts for none), else Blekinge."""
    if acting is not None:
        return acting.county.code
    if request.user.is_authenticated:
        code = (
            County.objects.filter(organisations__people__user=request.user)
            .values_list("code", flat=True)
            .first()
        )
        if code:
            return code
    return "10"
