"""A cooperation body with a full set of members, and meetings taken through the real services.

The board of LSVO: Olof (Sölvesborg) chairs without a mandate, Sara (Region Blekinge) is secretary, three
members sit for the region and four for the municipalities.
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from governance import services
from governance.models import AgendaItem, Attendance, Body, Meeting, Membership
from tests.factories import organisation, person

STOCKHOLM = ZoneInfo("Europe/Stockholm")
TERM_STARTS = date(2025, 1, 1)


def at(year: int, month: int, day: int, hour: int = 10, minute: int = 0) -> datetime:
    """A local time in Sweden."""
    return datetime(year, month, day, hour, minute, tzinfo=STOCKHOLM)


def member(
    body: Body,
    org_code: str,
    role: str = Membership.Role.MEMBER,
    *,
    username: str | None = None,
    starts_on: date = TERM_STARTS,
) -> Membership:
    """A new person from the organisation, added to the body through the service."""
    return services.membership_add(
        body=body,
        user=person(org_code, username=username),
        organisation=organisation(org_code),
        role=role,
        starts_on=starts_on,
        by=None,
        reason="Utsedd",
    )


@dataclass
class Board:
    body: Body
    chair: Membership
    secretary: Membership
    region: list[Membership]
    municipal: list[Membership]

    @property
    def members(self) -> list[Membership]:
        return self.region + self.municipal

    def memberships(self) -> list[Membership]:
        """Fresh from the database, as ``meeting_record`` reads them."""
        return list(self.body.memberships.select_related("organisation", "body"))


def board_for(
    body: Body,
    *,
    region: int = 3,
    municipal: tuple[str, ...] = ("1060", "1080", "1081", "1082"),
    chair: str | None = None,
    secretary: str | None = None,
) -> Board:
    """A chair from Sölvesborg, a secretary from the region, and voting members from both sides."""
    return Board(
        body=body,
        chair=member(body, "1083", Membership.Role.CHAIR, username=chair),
        secretary=member(body, "R10", Membership.Role.SECRETARY, username=secretary),
        region=[member(body, "R10") for _ in range(region)],
        municipal=[member(body, code) for code in municipal],
    )


@pytest.fixture
def board(lsvo) -> Board:
    return board_for(lsvo, chair="olof", secretary="sara")


@pytest.fixture
def secretary(board):
    return board.secretary.user


def plan(board: Board, starts_at: datetime) -> Meeting:
    return services.meeting_plan(body=board.body, starts_at=starts_at, location="Karlskrona", by=None)


def submit(board: Board, meeting: Meeting, title: str, kind: str = AgendaItem.Kind.DECISION, **kwargs):
    """An item submitted in good time by the first region member."""
    kwargs.setdefault("now", meeting.item_deadline - timedelta(days=1))
    return services.agenda_item_submit(
        meeting=meeting, by=board.region[0].user, title=title, kind=kind, **kwargs
    )


def agenda(board: Board, starts_at: datetime, *titles: str, kind: str = AgendaItem.Kind.DECISION) -> Meeting:
    """A meeting with the given items accepted and its agenda published in time."""
    meeting = plan(board, starts_at)
    for title in titles:
        item = submit(board, meeting, title, kind=kind, proposal=f"Att godkänna {title.lower()}.")
        services.agenda_item_decide(item=item, decision=AgendaItem.Status.ACCEPTED, by=board.secretary.user)
    now = meeting.agenda_deadline - timedelta(days=1)
    return services.agenda_publish(meeting=meeting, by=board.secretary.user, now=now)


def begin(meeting: Meeting) -> Meeting:
    """The day of the meeting comes: the tests cannot move the clock to the meeting, so the meeting moves to
    the clock (it began a minute ago). For the pages, which record attendance only once a meeting has
    begun."""
    meeting.starts_at = timezone.now() - timedelta(minutes=1)
    meeting.save(update_fields=["starts_at"])
    return meeting


def record(board: Board, meeting: Meeting, present: list[Membership] | None = None) -> Meeting:
    """Hold the meeting (recorded as it begins, whatever the day); by default everybody with a vote is
    there."""
    present = board.members if present is None else present
    return services.meeting_record(
        meeting=meeting,
        presence={m.pk: Attendance.Presence.PRESENT for m in present},
        by=board.secretary.user,
        now=meeting.starts_at,
    )
