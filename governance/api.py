"""Open data API: cooperation bodies with their seats and members' functions (never names or contact
data), and meetings whose agenda is published, with the accepted agenda items and, once published, the
protocol. Meetings are read through ``permissions.meetings_visible`` with the anonymous user."""

from datetime import date, datetime

from django.db.models import Max, Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from governance import permissions, selectors
from governance.models import AgendaItem, Attendance, Body, Meeting, Membership, Paragraph, Seat
from samverkan.api import (
    PUBLIC,
    CountyCode,
    Day,
    Id,
    LinkedPagination,
    Ref,
    choices,
    latest,
    link,
    page_link,
    request_of,
    set_last_modified,
)

router = Router(tags=["Samverkansorgan och möten"])
BodyLevel = choices("BodyLevel", Body.Level)
QuorumRule = choices("QuorumRule", Body.Quorum)
MemberRole = choices("MemberRole", Membership.Role)
MeetingStatus = choices("MeetingStatus", Meeting.Status)
ItemKind = choices("AgendaItemKind", AgendaItem.Kind)
Presence = choices("Presence", Attendance.Presence)


def _ref(request: HttpRequest, name: str, pk: int | None) -> dict | None:
    return None if pk is None else {"id": pk, "url": link(request, name, pk=pk)}


class OrganisationRef(Ref):
    name: str


def _organisation(request: HttpRequest, organisation) -> dict | None:
    if organisation is None:
        return None
    return {
        "id": organisation.pk,
        "url": link(request, "organisation", pk=organisation.pk),
        "name": organisation.name,
    }


class BodyOut(Schema):
    id: int
    url: str
    html_url: str
    county: str
    name: str
    abbreviation: str
    level: BodyLevel
    parent: Ref | None = Field(description="Det första organet i reports_to (för äldre klienter)")
    reports_to: list[Ref] = Field(description="Organen som organet rapporterar till")
    valid_from: date | None
    valid_to: date | None = Field(description="Organets sista dag, om det är avslutat")
    mandate: str
    time_horizon: str
    meetings_per_year: int | None
    meetings_url: str

    @staticmethod
    def resolve_url(obj: Body, context) -> str:
        return link(request_of(context), "body", pk=obj.pk)

    @staticmethod
    def resolve_html_url(obj: Body, context) -> str:
        return page_link(request_of(context), obj.get_absolute_url())

    @staticmethod
    def resolve_county(obj: Body) -> str:
        return obj.county.code

    @staticmethod
    def resolve_parent(obj: Body, context) -> dict | None:
        parents = sorted(parent.pk for parent in obj.parents.all())
        return _ref(request_of(context), "body", parents[0]) if parents else None

    @staticmethod
    def resolve_reports_to(obj: Body, context) -> list[dict]:
        return [
            _ref(request_of(context), "body", pk) for pk in sorted(parent.pk for parent in obj.parents.all())
        ]

    @staticmethod
    def resolve_meetings_url(obj: Body, context) -> str:
        return link(request_of(context), "meeting_list") + f"?body={obj.pk}"


class SeatOut(Schema):
    function: str
    organisation: OrganisationRef | None
    organisation_text: str
    count: int

    @staticmethod
    def resolve_organisation(obj: Seat, context) -> dict | None:
        return _organisation(request_of(context), obj.organisation)


class MemberOut(Schema):
    """A current member's place: role, function and organisation. Names and contact data are not published."""

    role: MemberRole
    function: str
    organisation: OrganisationRef

    @staticmethod
    def resolve_organisation(obj: Membership, context) -> dict:
        return _organisation(request_of(context), obj.organisation)


class BodyDetail(BodyOut):
    quorum_rule: QuorumRule
    chair_has_mandate: bool
    agenda_notice_days: int
    children: list[Ref]
    seats: list[SeatOut]
    members: list[MemberOut]

    @staticmethod
    def resolve_children(obj: Body, context) -> list[dict]:
        return [_ref(request_of(context), "body", pk) for pk in obj.child_ids]

    @staticmethod
    def resolve_seats(obj: Body) -> list[Seat]:
        return obj.seat_list


class MeetingOut(Schema):
    id: int
    url: str
    html_url: str
    body: Ref
    body_name: str
    county: str
    starts_at: datetime
    location: str
    status: MeetingStatus
    agenda_published_at: datetime | None
    protocol_published_at: datetime | None
    protocol_public: bool

    @staticmethod
    def resolve_url(obj: Meeting, context) -> str:
        return link(request_of(context), "meeting", pk=obj.pk)

    @staticmethod
    def resolve_html_url(obj: Meeting, context) -> str:
        return page_link(request_of(context), obj.get_absolute_url())

    @staticmethod
    def resolve_body(obj: Meeting, context) -> dict:
        return _ref(request_of(context), "body", obj.body_id)

    @staticmethod
    def resolve_body_name(obj: Meeting) -> str:
        return obj.body.name

    @staticmethod
    def resolve_county(obj: Meeting) -> str:
        return obj.body.county.code

    @staticmethod
    def resolve_protocol_public(obj: Meeting) -> bool:
        return obj.protocol_is_public


class AttachmentOut(Schema):
    name: str
    content_type: str
    size: int
    download_url: str

    @staticmethod
    def resolve_download_url(obj, context) -> str:
        return page_link(request_of(context), obj.get_absolute_url())


class AgendaItemOut(Schema):
    order: int
    title: str
    kind: ItemKind
    presenter: str
    proposal: str
    attachments: list[AttachmentOut]

    @staticmethod
    def resolve_attachments(obj: AgendaItem) -> list:
        return list(obj.attachments.all())


class AttendanceOut(Schema):
    role: MemberRole
    function: str
    organisation: OrganisationRef
    presence: Presence

    @staticmethod
    def resolve_role(obj: Attendance) -> str:
        return obj.membership.role

    @staticmethod
    def resolve_function(obj: Attendance) -> str:
        return obj.membership.function

    @staticmethod
    def resolve_organisation(obj: Attendance, context) -> dict:
        return _organisation(request_of(context), obj.membership.organisation)


class CorrectionOut(Schema):
    text: str
    made_at: datetime


class ParagraphOut(Schema):
    number: int
    year: int
    title: str
    notes: str
    decision: str
    corrections: list[CorrectionOut]

    @staticmethod
    def resolve_corrections(obj: Paragraph) -> list:
        return list(obj.corrections.all())


class ProtocolOut(Schema):
    published_at: datetime | None
    quorate: bool | None
    pdf_url: str
    attendance: list[AttendanceOut]
    paragraphs: list[ParagraphOut]


class MeetingDetail(MeetingOut):
    agenda: list[AgendaItemOut]
    protocol: ProtocolOut | None = Field(description="Finns när protokollet är publicerat")


class BodyFilter(Schema):
    county: CountyCode | None = None
    level: BodyLevel | None = None


class MeetingFilter(Schema):
    county: CountyCode | None = None
    body: Id | None = None
    protocol_published: bool | None = Field(
        None, description="Endast möten med (true) eller utan publicerat protokoll"
    )
    since: Day | None = Field(None, description="Möten från och med detta datum")
    until: Day | None = Field(None, description="Möten till och med detta datum")


@router.get("/bodies", response=list[BodyOut], url_name="body_list", summary="Samverkansorgan")
@paginate(LinkedPagination)
def body_list(request: HttpRequest, filters: Query[BodyFilter]):
    bodies = (
        Body.objects.select_related("county")
        .prefetch_related("parents")
        .order_by("county__code", "name", "pk")
    )
    if filters.county:
        bodies = bodies.filter(county__code=filters.county)
    if filters.level:
        bodies = bodies.filter(level=filters.level)
    return bodies


@router.get(
    "/bodies/{pk}",
    response=BodyDetail,
    url_name="body",
    summary="Ett organ med platser och ledamöternas funktioner",
)
def body_detail(request: HttpRequest, pk: Id):
    body = selectors.body_or_404(pk)
    body.seat_list = list(body.seats.select_related("organisation").order_by("order", "pk"))
    body.child_ids = list(body.children.order_by("name").values_list("pk", flat=True))
    body.members = selectors.current_members(body)
    return body


def _meetings():
    return permissions.meetings_visible(PUBLIC).select_related("body__county")


@router.get(
    "/meetings", response=list[MeetingOut], url_name="meeting_list", summary="Möten med publicerad kallelse"
)
@paginate(LinkedPagination)
def meeting_list(request: HttpRequest, filters: Query[MeetingFilter]):
    """Meetings whose agenda is published, newest first. Planned and cancelled meetings are not public."""
    meetings = _meetings().order_by("-starts_at", "-pk")
    if filters.county:
        meetings = meetings.filter(body__county__code=filters.county)
    if filters.body:
        meetings = meetings.filter(body_id=filters.body)
    if filters.protocol_published is not None:
        published = {"status": Meeting.Status.PUBLISHED}
        meetings = (
            meetings.filter(**published) if filters.protocol_published else meetings.exclude(**published)
        )
    if filters.since:
        meetings = meetings.filter(starts_at__date__gte=filters.since)
    if filters.until:
        meetings = meetings.filter(starts_at__date__lte=filters.until)
    return meetings


@router.get(
    "/meetings/{pk}",
    response=MeetingDetail,
    url_name="meeting",
    summary="Ett möte: dagordning och publicerat protokoll",
)
def meeting_detail(request: HttpRequest, response: HttpResponse, pk: Id):
    meeting = _meetings().filter(pk=pk).first()
    if meeting is None:
        raise Http404
    protocol = None
    if permissions.can_see_protocol(PUBLIC, meeting):
        attendance, paragraphs = selectors.meeting_protocol(meeting)
        url = reverse("governance:meeting_pdf", kwargs={"pk": meeting.pk, "kind": "protokoll"})
        protocol = {
            "published_at": meeting.protocol_published_at,
            "quorate": meeting.quorate,
            "pdf_url": page_link(request, url),
            "attendance": attendance,
            "paragraphs": paragraphs,
        }
    items = selectors.meeting_agenda(meeting, unpublished=False).prefetch_related(Prefetch("attachments"))
    set_last_modified(
        response,
        latest(
            meeting.history.aggregate(at=Max("history_date"))["at"],
            AgendaItem.history.filter(meeting_id=meeting.pk).aggregate(at=Max("history_date"))["at"],
            Paragraph.history.filter(meeting_id=meeting.pk).aggregate(at=Max("history_date"))["at"],
            Paragraph.objects.filter(meeting=meeting).aggregate(at=Max("corrections__made_at"))["at"],
        ),
    )
    meeting.agenda = list(items)
    meeting.protocol = protocol
    return meeting
