"""The demo ladders from the seeds, walked level by level: Blekinge 8.2 (three levels, then LSVO for
general questions), Kalmar (four levels, discussions start within two weeks) and Västernorrland "Vid tvist"
(three)."""

import pytest
from django.core.exceptions import ValidationError

from deviations import permissions, services
from deviations.models import Case, Category, Ladder, LadderLevel
from tests.deviations.conftest import escalate_unanswered
from tests.shared import built_once, load_demo

P, B, E = LadderLevel.Handler.PARTIES, LadderLevel.Handler.BODY, LadderLevel.Handler.EXECUTIVES
EXPECTED = {
    "10": [(P, 7), (B, 30), (B, 30)],
    "08": [(P, 14), (B, 14), (E, 14), (E, 14)],
    "22": [(P, 14), (P, 14), (B, 30)],
}


@pytest.fixture(scope="module")
def demo_world(django_db_setup, django_db_blocker, tmp_path_factory):
    with built_once(django_db_blocker, load_demo, media_root=tmp_path_factory.mktemp("demo-media")):
        yield


@pytest.fixture
def demo(demo_world, db):
    """The demo world, loaded once for the module; each test walks its ladders in a savepoint of its own
    (tests/shared.py)."""


def new_case(ladder: Ladder, kind: str) -> Case:
    parties = list(ladder.agreement.parties.select_related("organisation"))
    reporter = next(p.organisation for p in parties if p.side == "municipal")
    concerned = next(p.organisation for p in parties if p.side == "region")
    report = services.Report(
        kind=kind,
        agreement=ladder.agreement,
        reporting_organisation=reporter,
        concerned=[concerned],
        title="Prov av trappan",
        description="Ett ärende som lyfts nivå för nivå.",
        category=Category.objects.get(code="other") if kind == Case.Kind.DEVIATION else None,
        question=Case.Question.PAYMENT if kind == Case.Kind.DISPUTE else "",
    )
    return services.case_report(report=report, by=reporter_user(reporter))


def reporter_user(organisation):
    from django.contrib.auth.models import User

    return User.objects.filter(profile__organisation=organisation).first() or User.objects.first()


def test_each_demo_ladder_is_walked_from_the_first_level_to_the_last(demo):
    for code, expected in EXPECTED.items():
        ladder = Ladder.objects.get(agreement__county__code=code)
        levels = list(ladder.levels.prefetch_related("bodies"))
        assert [(lv.handler, lv.start_days) for lv in levels] == expected, code
        assert levels[-1].needs_agreement, code
        for kind in (Case.Kind.DEVIATION, Case.Kind.DISPUTE):
            case = new_case(ladder, kind)
            for level in levels[1:]:
                bodies = list(level.bodies.all())
                case = escalate_unanswered(
                    case, case.reported_by, "Olöst.", body=bodies[0] if bodies else None
                )
                assert (case.level, case.level_name, case.level_handler) == (
                    level.number,
                    level.name,
                    level.handler,
                )
                if level.handler == B:
                    assert case.handling_body == bodies[0]
                    leaders = bodies[0].memberships.filter(role__in=permissions.LEADING_ROLES)
                    assert set(permissions.handlers_of(case)) == {m.user for m in leaders}
            if kind == Case.Kind.DEVIATION:
                with pytest.raises(ValidationError, match="sista nivå"):
                    escalate_unanswered(case, case.reported_by, "Vidare.")
            else:
                case = escalate_unanswered(case, case.reported_by, "Principiell fråga.")
                assert case.state == Case.State.REFERRED


def test_demo_cases_are_spread_over_states_levels_and_counties(demo):
    cases = Case.objects.all()
    assert cases.filter(kind=Case.Kind.DEVIATION).count() >= 100
    assert 5 <= cases.filter(kind=Case.Kind.DISPUTE).count() <= 10
    assert set(cases.values_list("county__code", flat=True)) == {"10", "08", "22"}
    assert {1, 2, 3} <= set(cases.values_list("level", flat=True))
    assert cases.filter(was_overdue=True).exists()
    assert cases.exclude(state__in=["closed", "resolved", "referred"]).exists()
    assert set(cases.values_list("reported_at__year", flat=True)) == {2025, 2026}
    assert Ladder.objects.get(agreement__county__code="10").general_body.abbreviation == "LSVO"
