"""The statistics' rollup (deviations/rollup.py) equals the live computation from the cases, after random
sequences of reports, handling steps, escalations, closings and the daily overdue check, and equals the
rollup computed again from nothing (``case_rollup_rebuild``)."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from agreements.models import ResponsibilityArea, Section
from deviations import rollup, selectors, services
from deviations.models import TRANSITIONS, Case, CaseRollup, Category
from tests.deviations.conftest import at, report

pytestmark = pytest.mark.django_db

START = at(2025, 11, 20)  # cases fall in two years
CONCERNED = [("R10",), ("1081",), ("R10", "1081")]
STEPS = st.lists(
    st.tuples(
        st.sampled_from(["deviation", "dispute", "act", "act", "escalate", "close", "flag"]),
        st.integers(min_value=0, max_value=1000),  # picks a case, a category, an area …
        st.integers(min_value=0, max_value=120),  # days after START (or after the case's report)
    ),
    min_size=1,
    max_size=30,
)


def rollup_cells() -> set[tuple]:
    return {
        row
        for row in CaseRollup.objects.values_list(
            "county_id", "year", "month", "dimension", "key", "n", "deviations", "open", "flagged_overdue"
        )
        if any(row[5:])
    }


def run(step: tuple[str, int, int], deal, reporter) -> None:
    kind, pick, days = step
    open_cases = list(
        Case.objects.filter(agreement=deal).exclude(state__in=["closed", "resolved", "referred"])
    )
    case = open_cases[pick % len(open_cases)] if open_cases else None
    if kind in ("deviation", "dispute"):
        areas = list(ResponsibilityArea.objects.filter(version__agreement=deal).order_by("pk"))
        sections = list(Section.objects.filter(version__agreement=deal).order_by("pk"))
        categories = list(Category.objects.filter(county=None).order_by("pk"))
        area = areas[pick % len(areas)] if pick % 3 else None
        fields = {
            "area": area,
            "target_group": area.target_group if area else None,
            "section": sections[pick % len(sections)] if pick % 2 else None,
        }
        if kind == "deviation":
            fields["category"] = categories[pick % len(categories)]
        report(
            deal,
            reporter,
            kind=kind,
            concerned=CONCERNED[pick % len(CONCERNED)],
            now=START + timedelta(days=days),
            **fields,
        )
    elif kind == "flag":
        services.overdue_cases_flag(today=(START + timedelta(days=days)).date())
    elif case is not None:
        now = case.reported_at + timedelta(days=days)
        if kind == "escalate":
            services.case_escalate(case=case, by=reporter, reason="Inget svar.", now=now + timedelta(days=30))
            return
        possible = [
            action
            for action, step_ in TRANSITIONS.items()
            if step_.kind == case.kind
            and case.state in step_.sources
            and (kind != "close" or step_.target in ("closed", "resolved"))
        ]
        if possible:
            services.case_act(
                case=case,
                action=possible[pick % len(possible)],
                by=reporter,
                text="Beslut.",
                parties_agree=True,
                now=now,
            )


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=STEPS)
def test_the_rollup_equals_the_live_statistics_after_any_sequence_of_changes(
    ladder, deal, region_official, steps
):
    with transaction.atomic():
        for step in steps:
            try:
                with transaction.atomic():
                    run(step, deal, region_official)
            except ValidationError:
                pass  # a step the rules refuse changes nothing, the rollup included
        for year in (2025, 2026):
            for today in (date(2025, 12, 1), date(2026, 2, 15), date(2026, 9, 1)):
                for county in (deal.county, None):  # the county and the whole country
                    kept = selectors.statistics(county, year, today=today)
                    live = selectors.statistics_live(county, year, today=today)
                    assert kept == live, (county, year, today)
        kept_cells = rollup_cells()
        rollup.rebuild()
        assert rollup_cells() == kept_cells
        transaction.set_rollback(True)


def test_the_command_builds_the_rollup_again_from_the_cases(ladder, deal, region_official):
    report(deal, region_official, now=at(2026, 3, 2))
    report(deal, region_official, kind=Case.Kind.DISPUTE, concerned=("R10", "1081"), now=at(2026, 4, 2))
    kept = rollup_cells()
    CaseRollup.objects.all().delete()

    call_command("case_rollup_rebuild", stdout=open("/dev/null", "w"))  # noqa: SIM115

    assert rollup_cells() == kept
    assert selectors.statistics(deal.county, 2026).total == 2


def test_a_refused_report_leaves_the_rollup_as_it_was(ladder, deal, region_official):
    report(deal, region_official, now=at(2026, 3, 2))
    kept = rollup_cells()

    with pytest.raises(ValidationError):
        report(deal, region_official, concerned=("1080",), now=at(2026, 3, 3))  # only its own organisation

    assert rollup_cells() == kept
