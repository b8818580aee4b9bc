"""The case rules on the model: one definition of "overdue" for the query, Python and the statistics."""

from datetime import date, timedelta

import pytest
from django.db import connection

from deviations import rollup, selectors
from deviations.models import FINAL_STATES, WAITING_STATES, Case, overdue_sql
from tests.deviations.conftest import report

TODAY = date(2026, 4, 2)
DUES = (None, TODAY - timedelta(days=1), TODAY, TODAY + timedelta(days=1))


@pytest.fixture
def cases(ladder, deal, karlskrona_official):
    """One case for each state × start deadline × feedback deadline × feedback given or not."""
    template = report(deal, karlskrona_official)
    made = []
    for state in Case.State.values:
        for start_due in DUES[1:]:
            for feedback_due in DUES[1:]:
                for answered in (False, True):
                    template.pk = None
                    template.state, template.start_due, template.feedback_due = state, start_due, feedback_due
                    template.level_feedback_at = template.reported_at if answered else None
                    template.save()
                    made.append(template.pk)
    rollup.rebuild()  # saved past the services: the statistics' rollup is computed again
    return Case.objects.filter(pk__in=made)


def test_python_and_the_query_agree_on_every_overdue_case(cases):
    in_query = set(Case.objects.overdue(TODAY).filter(pk__in=cases).values_list("pk", flat=True))
    in_python = {case.pk for case in cases if case.is_overdue(TODAY)}
    assert in_python == in_query
    assert in_query  # the combinations include overdue cases and others
    assert len(in_query) < cases.count()


def test_the_statistics_sql_is_the_same_rule(cases):
    condition, params = overdue_sql(TODAY, connection)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT id FROM deviations_case WHERE {condition}", params)  # noqa: S608
        in_sql = {row[0] for row in cursor.fetchall()}
    assert in_sql == set(Case.objects.overdue(TODAY).values_list("pk", flat=True))


def test_a_closed_case_is_never_overdue_and_has_no_next_deadline(cases):
    for case in cases.filter(state__in=FINAL_STATES):
        assert not case.is_overdue(TODAY)
        assert case.next_due is None


def test_a_waiting_case_waits_for_its_start_deadline(cases):
    for case in cases.filter(state__in=WAITING_STATES):
        assert case.waiting
        assert case.next_due == case.start_due


def test_the_statistics_count_the_overdue_cases_by_the_same_rule(cases, deal):
    stats = selectors.statistics(deal.county, TODAY.year, today=TODAY)
    of_the_year = Case.objects.filter(county=deal.county, reported_at__year=TODAY.year)
    assert of_the_year.count() == stats.total > cases.count() // 2
    assert stats.overdue == sum(1 for case in of_the_year if case.was_overdue or case.is_overdue(TODAY))
