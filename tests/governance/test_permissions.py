from datetime import date, timedelta

import pytest
from django.utils import timezone

from governance import permissions, services
from governance.models import Meeting, Membership
from tests.factories import BodyFactory, county
from tests.governance.conftest import agenda, at, member, plan, record


@pytest.fixture
def socialkola(db):
    return BodyFactory(name="SocialKOLA", abbreviation="SocialKOLA")


@pytest.fixture
def kalmar_body(db):
    return BodyFactory(county=county("08"), name="Länsstyrgrupp Kalmar", abbreviation="LSG")


def end_yesterday(membership: Membership) -> None:
    services.membership_end(
        membership=membership, ends_on=timezone.localdate() - timedelta(days=1), by=None, reason="Avgått"
    )


# --- Membership --------------------------------------------------------------------------------------


def test_a_member_belongs_to_their_own_body_only(board, socialkola):
    assert list(permissions.bodies_member_of(board.region[0].user)) == [board.body]
    assert permissions.is_member(board.region[0].user, board.body)
    assert not permissions.is_member(board.region[0].user, socialkola)


def test_the_chair_and_the_secretary_are_members_too(board):
    assert permissions.is_member(board.chair.user, board.body)
    assert permissions.is_member(board.secretary.user, board.body)


def test_an_outsider_and_anonymous_belong_to_no_body(board, karlskrona_official, anonymous):
    assert not permissions.bodies_member_of(karlskrona_official).exists()
    assert not permissions.bodies_member_of(anonymous).exists()
    assert not permissions.is_member(anonymous, board.body)


def test_a_county_admin_is_not_a_member_by_office(board, blekinge_admin):
    assert not permissions.is_member(blekinge_admin, board.body)


def test_a_membership_that_has_ended_no_longer_counts(board):
    end_yesterday(board.region[0])
    assert not permissions.is_member(board.region[0].user, board.body)
    assert not permissions.bodies_member_of(board.region[0].user).exists()


def test_a_membership_ending_today_still_counts(board):
    services.membership_end(membership=board.region[0], ends_on=timezone.localdate(), by=None, reason="Avgår")
    assert permissions.is_member(board.region[0].user, board.body)


def test_a_membership_that_has_not_started_does_not_count_yet(lsvo):
    newcomer = member(lsvo, "1080", starts_on=timezone.localdate() + timedelta(days=1))
    assert not permissions.is_member(newcomer.user, lsvo)


def test_a_member_of_two_bodies_belongs_to_both(board, socialkola):
    services.membership_add(
        body=socialkola,
        user=board.region[0].user,
        organisation=board.region[0].organisation,
        role=Membership.Role.MEMBER,
        starts_on=date(2025, 1, 1),
        by=None,
        reason="Utsedd",
    )
    assert set(permissions.bodies_member_of(board.region[0].user)) == {board.body, socialkola}


# --- Running meetings --------------------------------------------------------------------------------


def test_the_secretary_runs_the_meetings(board):
    assert permissions.can_run_meetings(board.secretary.user, board.body)


def test_members_and_the_chair_do_not_run_the_meetings(board):
    assert not permissions.can_run_meetings(board.region[0].user, board.body)
    assert not permissions.can_run_meetings(board.chair.user, board.body)


def test_the_secretary_runs_no_other_bodys_meetings(board, socialkola):
    assert not permissions.can_run_meetings(board.secretary.user, socialkola)


def test_a_former_secretary_no_longer_runs_the_meetings(board):
    end_yesterday(board.secretary)
    assert not permissions.can_run_meetings(board.secretary.user, board.body)


def test_the_county_admin_runs_the_meetings_of_bodies_in_the_county(board, blekinge_admin, kalmar_admin):
    assert permissions.can_run_meetings(blekinge_admin, board.body)
    assert not permissions.can_run_meetings(kalmar_admin, board.body)


def test_a_superuser_runs_any_bodys_meetings(board, superuser):
    assert permissions.can_run_meetings(superuser, board.body)


def test_anonymous_and_outsiders_do_not_run_meetings(board, anonymous, karlskrona_official):
    assert not permissions.can_run_meetings(anonymous, board.body)
    assert not permissions.can_run_meetings(karlskrona_official, board.body)


# --- Unpublished material ----------------------------------------------------------------------------


def test_members_see_unpublished_material_of_their_body(board, socialkola):
    assert permissions.can_see_unpublished(board.municipal[0].user, board.body)
    assert not permissions.can_see_unpublished(board.municipal[0].user, socialkola)


def test_the_county_admin_sees_unpublished_material_of_the_county(board, blekinge_admin, kalmar_admin):
    assert permissions.can_see_unpublished(blekinge_admin, board.body)
    assert not permissions.can_see_unpublished(kalmar_admin, board.body)


def test_outsiders_and_anonymous_do_not_see_unpublished_material(board, karlskrona_official, anonymous):
    assert not permissions.can_see_unpublished(karlskrona_official, board.body)
    assert not permissions.can_see_unpublished(anonymous, board.body)


def test_a_former_member_no_longer_sees_unpublished_material(board):
    end_yesterday(board.municipal[0])
    assert not permissions.can_see_unpublished(board.municipal[0].user, board.body)


# --- Submitting items --------------------------------------------------------------------------------


def test_members_submit_items_until_the_meeting_is_held(board, karlskrona_official):
    meeting = plan(board, at(2026, 3, 20))
    assert permissions.can_submit_item(board.region[0].user, meeting)
    assert not permissions.can_submit_item(karlskrona_official, meeting)
    services.agenda_publish(meeting=meeting, by=board.secretary.user, now=at(2026, 3, 12))
    assert permissions.can_submit_item(board.region[0].user, meeting)
    record(board, meeting)
    assert not permissions.can_submit_item(board.region[0].user, meeting)


# --- Adjusting ---------------------------------------------------------------------------------------


@pytest.fixture
def in_adjustment(board) -> Meeting:
    meeting = record(board, agenda(board, at(2026, 3, 20), "Budget"))
    return services.protocol_send_for_adjustment(
        meeting=meeting, adjusters=[board.region[0].user, board.municipal[0].user], by=board.secretary.user
    )


def test_a_designated_adjuster_may_adjust(board, in_adjustment):
    assert permissions.can_adjust(board.region[0].user, in_adjustment)
    assert permissions.can_adjust(board.municipal[0].user, in_adjustment)


def test_other_members_the_secretary_and_the_county_admin_may_not_adjust(
    board, in_adjustment, blekinge_admin
):
    for user in (board.region[1].user, board.secretary.user, board.chair.user, blekinge_admin):
        assert not permissions.can_adjust(user, in_adjustment)


def test_an_adjuster_who_has_approved_may_not_adjust_again(board, in_adjustment):
    services.protocol_adjust(meeting=in_adjustment, by=board.region[0].user)
    assert not permissions.can_adjust(board.region[0].user, in_adjustment)
    assert permissions.can_adjust(board.municipal[0].user, in_adjustment)


def test_nobody_adjusts_a_protocol_that_is_not_in_adjustment(board):
    draft = record(board, agenda(board, at(2026, 3, 20), "Budget"))
    assert not permissions.can_adjust(board.region[0].user, draft)


def test_anonymous_may_not_adjust(in_adjustment, anonymous):
    assert not permissions.can_adjust(anonymous, in_adjustment)


# --- Which meetings are visible ----------------------------------------------------------------------


@pytest.fixture
def planned(board) -> Meeting:
    return plan(board, at(2026, 3, 20))


@pytest.fixture
def announced(board) -> Meeting:
    return agenda(board, at(2026, 4, 24), "Budget")


def test_a_planned_meeting_is_invisible_to_anonymous_and_to_outsiders(
    planned, announced, anonymous, karlskrona_official
):
    assert list(permissions.meetings_visible(anonymous)) == [announced]
    assert list(permissions.meetings_visible(karlskrona_official)) == [announced]


def test_a_planned_meeting_is_visible_to_members(board, planned, announced):
    for membership in (board.chair, board.secretary, board.region[0]):
        assert set(permissions.meetings_visible(membership.user)) == {planned, announced}


def test_a_meeting_with_a_published_agenda_is_visible_to_anonymous(announced, anonymous):
    assert permissions.meetings_visible(anonymous).filter(pk=announced.pk).exists()


def test_the_county_admin_sees_the_planned_meetings_of_the_county_only(
    planned, announced, blekinge_admin, kalmar_admin
):
    assert set(permissions.meetings_visible(blekinge_admin)) == {planned, announced}
    assert list(permissions.meetings_visible(kalmar_admin)) == [announced]


def test_members_do_not_see_planned_meetings_of_other_bodies(board, planned, kalmar_body):
    elsewhere = services.meeting_plan(body=kalmar_body, starts_at=at(2026, 5, 5), location="Kalmar", by=None)
    visible = permissions.meetings_visible(board.region[0].user)
    assert planned in visible
    assert elsewhere not in visible


def test_a_former_member_no_longer_sees_planned_meetings(board, planned):
    end_yesterday(board.region[0])
    assert not permissions.meetings_visible(board.region[0].user).filter(pk=planned.pk).exists()


def test_a_cancelled_meeting_is_hidden_from_the_public_but_not_from_members(board, announced, anonymous):
    services.meeting_cancel(meeting=announced, by=board.secretary.user)
    assert not permissions.meetings_visible(anonymous).exists()
    assert permissions.meetings_visible(board.region[0].user).filter(pk=announced.pk).exists()


def test_held_meetings_stay_public(board, announced, anonymous):
    record(board, announced)
    assert permissions.meetings_visible(anonymous).filter(pk=announced.pk).exists()
