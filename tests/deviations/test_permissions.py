"""Who sees and handles a case: the reporting and concerned organisations, the handling bodies at the current
and earlier levels, and the county's administrators. Nobody else, not even another municipality in the same
county."""

import pytest

from deviations import permissions
from deviations.models import Case
from tests.deviations.conftest import escalate_unanswered, report

pytestmark = pytest.mark.django_db

SEES = {
    "anonymous": False,
    "karlskrona_official": True,  # reports
    "region_official": True,  # concerned
    "ronneby_official": False,  # same county, not involved
    "kalmar_official": False,
    "blekinge_admin": True,
    "blekinge_editor": True,  # an official of the Region, which the case concerns
    "kalmar_admin": False,
    "superuser": True,
    "group_chair": False,  # the local group handles level 2 only after escalation
    "lsvo_chair": False,
}


@pytest.fixture
def case(ladder, deal, karlskrona_official):
    return report(deal, karlskrona_official)


@pytest.mark.parametrize("persona,sees", SEES.items())
def test_visibility_of_a_new_case(request, case, persona, sees):
    user = request.getfixturevalue(persona)
    assert sees_case(user, case) is sees
    assert (case in permissions.cases_visible(user)) is sees


def test_the_handling_body_sees_the_case_from_escalation_on_and_keeps_seeing_it(
    case, group_chair, karlskrona_official, county_group
):
    assert not sees_case(group_chair, case)
    case = escalate_unanswered(case, karlskrona_official, "Inget svar.")
    assert sees_case(group_chair, case) and permissions.can_handle(group_chair, case)
    case = escalate_unanswered(case, group_chair, "Principiell fråga.")
    assert sees_case(group_chair, case)  # a previous level
    assert not permissions.can_handle(group_chair, case)  # the county-wide group handles it now


def test_handlers_at_a_parties_level_are_the_parties_officials(
    case, karlskrona_official, region_official, ronneby_official
):
    assert permissions.can_handle(karlskrona_official, case)
    assert permissions.can_handle(region_official, case)
    assert not permissions.can_handle(ronneby_official, case)
    assert set(permissions.handlers_of(case)) == {karlskrona_official, region_official}


def test_the_reporting_organisation_may_escalate_but_not_a_closed_case(
    case, karlskrona_official, region_official
):
    assert permissions.can_escalate(karlskrona_official, case)
    case.state = Case.State.CLOSED
    assert not permissions.can_escalate(karlskrona_official, case)
    assert not permissions.can_handle(region_official, case)


def test_chairs_and_admins_may_report_on_behalf_of_any_organisation_in_their_county(
    db, group_chair, blekinge_admin, karlskrona_official, anonymous
):
    chair_orgs = set(permissions.reporting_organisations(group_chair).values_list("county__code", flat=True))
    assert chair_orgs == {"10"}
    assert permissions.reporting_organisations(blekinge_admin).count() > 5
    assert list(permissions.reporting_organisations(karlskrona_official).values_list("code", flat=True)) == [
        "1080"
    ]
    assert not permissions.can_report(anonymous)


def test_only_county_admins_edit_ladders(db, blekinge_admin, kalmar_admin, karlskrona_official, deal):
    assert permissions.can_edit_ladder(blekinge_admin, deal.county)
    assert not permissions.can_edit_ladder(kalmar_admin, deal.county)
    assert not permissions.can_edit_ladder(karlskrona_official, deal.county)


def sees_case(user, case) -> bool:
    return permissions.cases_visible(user).filter(pk=case.pk).exists()
