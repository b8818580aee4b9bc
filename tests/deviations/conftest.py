"""An agreement between Region Blekinge, Karlskrona and Ronneby with a three-level ladder, and cases taken
through the real services.

Level 1 is handled by the parties (14 days to start, 30 to feedback), level 2 by a local group (7/21), level 3
by a county-wide group (7/30, closes only when the parties agree). Karin (Karlskrona) reports about the
Region; Rut (Ronneby) is another municipality in the same county and must see nothing.
"""

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from deviations import services
from deviations.models import Case, Category, LadderLevel
from governance.models import Body, Membership
from governance.services import membership_add
from samverkan.models import Role
from tests.factories import BodyFactory, agreement, organisation, person

STOCKHOLM = ZoneInfo("Europe/Stockholm")


def at(year: int, month: int, day: int, hour: int = 10) -> datetime:
    return datetime(year, month, day, hour, tzinfo=STOCKHOLM)


def after_start_deadline(case: Case) -> datetime:
    """The day after the case's level had to start handling it: its handlers did not, so it may be lifted."""
    return datetime.combine(case.start_due + timedelta(days=1), time(10), tzinfo=STOCKHOLM)


def escalate_unanswered(case: Case, by, reason: str = "Inget svar.", **kwargs) -> Case:
    """Escalate the case once its level's start deadline has passed without the handlers acting."""
    return services.case_escalate(case=case, by=by, reason=reason, now=after_start_deadline(case), **kwargs)


@pytest.fixture
def deal(db):
    """The agreement with its ladder; returns the agreement."""
    version = agreement()
    return version.agreement


@pytest.fixture
def local_group(db):
    return BodyFactory(
        name="Lokal samverkansgrupp Karlskrona", abbreviation="LSG Karlskrona", level=Body.Level.OPERATIONAL
    )


@pytest.fixture
def county_group(db):
    return BodyFactory(name="Samverkansgrupp Vuxna", abbreviation="SG Vuxna", level=Body.Level.TACTICAL)


@pytest.fixture
def ladder(deal, local_group, county_group):
    return services.ladder_save(
        agreement=deal,
        by=None,
        levels=[
            {
                "name": "Närmaste chef",
                "handler": LadderLevel.Handler.PARTIES,
                "start_days": 14,
                "feedback_days": 30,
            },
            {
                "name": "Lokal samverkansgrupp",
                "handler": LadderLevel.Handler.BODY,
                "bodies": [local_group],
                "start_days": 7,
                "feedback_days": 21,
            },
            {
                "name": "Länsövergripande samverkansgrupp",
                "handler": LadderLevel.Handler.BODY,
                "bodies": [county_group],
                "start_days": 7,
                "feedback_days": 30,
                "needs_agreement": True,
            },
        ],
    )


@pytest.fixture
def region_official(db):
    return person("R10", (Role.OFFICIAL, organisation("R10")), username="regina")


@pytest.fixture
def group_chair(local_group):
    user = person("1080", username="lotta")
    membership_add(
        body=local_group,
        user=user,
        organisation=organisation("1080"),
        role=Membership.Role.CHAIR,
        starts_on=datetime(2024, 1, 1).date(),
        by=None,
        reason="Utsedd",
    )
    return user


def report(deal, by, *, kind=Case.Kind.DEVIATION, concerned=("R10",), now=None, **fields) -> Case:
    """Report a case from Karlskrona about the Region (unless told otherwise)."""
    data = {
        "kind": kind,
        "agreement": deal,
        "reporting_organisation": organisation("1080"),
        "concerned": [organisation(code) for code in concerned],
        "title": "Remiss obesvarad",
        "description": "Remissen till vuxenpsykiatrin besvarades inte inom överenskommen tid.",
        "category": Category.objects.get(code="referral-not-answered")
        if kind == Case.Kind.DEVIATION
        else None,
        "question": Case.Question.RESPONSIBILITY if kind == Case.Kind.DISPUTE else "",
    } | fields
    return services.case_report(report=services.Report(**data), by=by, now=now or at(2026, 3, 2))
