from datetime import date, timedelta

import pytest
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from governance import selectors, services
from governance.models import (
    AgendaItem,
    Attendance,
    Body,
    Correction,
    Decision,
    Meeting,
    Membership,
    Paragraph,
)
from samverkan.models import Role, RoleAssignment
from samverkan.selectors import holders_of, roles_of
from tests.factories import BodyFactory, organisation
from tests.governance.conftest import agenda, at, board_for, member, plan, record, submit

DECISION, INFORMATION = AgendaItem.Kind.DECISION, AgendaItem.Kind.INFORMATION
PROCEDURAL = "procedural"  # formalia: opening, choice of adjusters, closing


def fresh(user: User) -> User:
    """The user without a cached permission set."""
    return User.objects.get(pk=user.pk)


def accept(item: AgendaItem, by: User) -> AgendaItem:
    services.agenda_item_decide(item=item, decision=AgendaItem.Status.ACCEPTED, by=by)
    return item


def titles(meeting: Meeting) -> list[str]:
    return list(meeting.items.values_list("title", flat=True))


def numbered(meeting: Meeting) -> list[tuple[int, str]]:
    return list(meeting.paragraphs.order_by("number").values_list("number", "title"))


def pks(*groups: list[Membership]) -> set[int]:
    return {m.pk for group in groups for m in group}


# --- Members and their portal roles ------------------------------------------------------------------


BODY_ROLES = [
    (Membership.Role.CHAIR, Role.CHAIR),
    (Membership.Role.SECRETARY, Role.SECRETARY),
    (Membership.Role.MEMBER, Role.MEMBER),
    (Membership.Role.VICE_CHAIR, Role.VICE_CHAIR),
    (Membership.Role.CO_OPTED, Role.MEMBER),
]


def roles(user) -> set[tuple[str, int]]:
    return {(held.role, held.scope.pk) for held in roles_of(user)}


@pytest.mark.parametrize(("place", "role"), BODY_ROLES)
def test_a_new_member_holds_the_portal_role_of_their_place_in_the_body(lsvo, place, role):
    other_body = BodyFactory()
    membership = member(lsvo, "1080", place)
    assert (role, lsvo.pk) in roles(membership.user)
    assert membership.user in holders_of(role, lsvo)
    assert membership.user not in holders_of(role, other_body)
    assert not RoleAssignment.objects.filter(user=membership.user).exclude(role=Role.OFFICIAL).exists()


@pytest.mark.parametrize(("place", "role"), BODY_ROLES)
def test_ending_a_membership_ends_the_portal_role(lsvo, place, role):
    membership = member(lsvo, "1080", place)
    services.membership_end(membership=membership, ends_on=date(2026, 6, 30), by=None, reason="Avgått")
    assert (role, lsvo.pk) not in roles(membership.user)
    assert membership.user not in holders_of(role, lsvo)
    membership.refresh_from_db()
    assert membership.ends_on == date(2026, 6, 30)


def test_ending_a_membership_in_one_body_keeps_the_role_in_another(lsvo, karlskrona_official):
    other_body = BodyFactory(name="SocialKOLA", abbreviation="SocialKOLA")
    memberships = [
        services.membership_add(
            body=body,
            user=karlskrona_official,
            organisation=organisation("1080"),
            role=Membership.Role.MEMBER,
            starts_on=date(2025, 1, 1),
            by=None,
            reason="Utsedd",
        )
        for body in (lsvo, other_body)
    ]
    services.membership_end(membership=memberships[0], ends_on=date(2026, 6, 30), by=None, reason="Avgått")
    held = roles(karlskrona_official)
    assert (Role.MEMBER, lsvo.pk) not in held
    assert (Role.MEMBER, other_body.pk) in held
    assert (Role.OFFICIAL, organisation("1080").pk) in held


def test_a_secretary_who_stays_on_as_a_member_loses_the_secretary_role(lsvo):
    secretary = member(lsvo, "R10", Membership.Role.SECRETARY)
    services.membership_add(
        body=lsvo,
        user=secretary.user,
        organisation=organisation("R10"),
        role=Membership.Role.MEMBER,
        starts_on=date(2026, 7, 1),
        by=None,
        reason="Ny roll",
    )
    services.membership_end(membership=secretary, ends_on=date(2026, 6, 30), by=None, reason="Ny roll")
    held = roles(secretary.user)
    assert (Role.MEMBER, lsvo.pk) in held
    assert (Role.SECRETARY, lsvo.pk) not in held


def test_a_membership_cannot_end_before_it_starts(lsvo):
    membership = member(lsvo, "1080")
    with pytest.raises(ValidationError):
        services.membership_end(membership=membership, ends_on=date(2024, 12, 31), by=None, reason="Fel")
    assert (Role.MEMBER, lsvo.pk) in roles(membership.user)


# --- Agenda deadlines --------------------------------------------------------------------------------


@pytest.fixture
def march_meeting(board) -> Meeting:
    board.body.agenda_notice_days = board.body.item_deadline_days = 7
    board.body.save(update_fields=["agenda_notice_days", "item_deadline_days"])
    return plan(board, at(2026, 3, 20))


def test_the_agenda_is_due_a_week_before_the_meeting_and_items_a_week_before_that(march_meeting):
    assert march_meeting.agenda_deadline == at(2026, 3, 13)
    assert march_meeting.item_deadline == at(2026, 3, 6)


def test_deadlines_follow_the_bodys_own_notice_periods(board):
    board.body.agenda_notice_days, board.body.item_deadline_days = 14, 3
    board.body.save(update_fields=["agenda_notice_days", "item_deadline_days"])
    meeting = Meeting.objects.get(pk=plan(board, at(2026, 3, 20)).pk)
    assert meeting.agenda_deadline == at(2026, 3, 6)
    assert meeting.item_deadline == at(2026, 3, 3)


def test_the_agenda_deadline_keeps_the_time_of_day_across_the_switch_to_summer_time(board):
    meeting = Meeting.objects.get(pk=plan(board, at(2026, 4, 2)).pk)
    assert meeting.agenda_deadline == at(2026, 3, 26)


def test_an_item_submitted_a_minute_before_the_deadline_is_not_late(board, march_meeting):
    item = submit(board, march_meeting, "Hjälpmedel", now=at(2026, 3, 6, 9, 59))
    assert not item.late


def test_an_item_submitted_a_minute_after_the_deadline_is_late(board, march_meeting):
    item = submit(board, march_meeting, "Hjälpmedel", now=at(2026, 3, 6, 10, 1))
    assert item.late


def test_a_late_item_waits_for_the_secretary_and_is_not_put_on_the_agenda(board, secretary, march_meeting):
    item = submit(board, march_meeting, "Hjälpmedel", now=at(2026, 3, 10))
    item.refresh_from_db()
    assert (item.status, item.late) == (AgendaItem.Status.SUBMITTED, True)
    with pytest.raises(ValidationError):
        services.agenda_publish(meeting=march_meeting, by=secretary, now=at(2026, 3, 12))
    accept(item, secretary)
    services.agenda_publish(meeting=march_meeting, by=secretary, now=at(2026, 3, 12))
    item.refresh_from_db()
    assert item.status == AgendaItem.Status.ACCEPTED


def test_submitted_items_are_added_at_the_end_of_the_agenda(board, march_meeting):
    for title in ("Budget", "Hjälpmedel", "Övrigt"):
        submit(board, march_meeting, title)
    assert titles(march_meeting) == ["Budget", "Hjälpmedel", "Övrigt"]


# --- Publishing the agenda ---------------------------------------------------------------------------


def test_the_agenda_cannot_be_published_less_than_a_week_before_without_a_reason(secretary, march_meeting):
    with pytest.raises(ValidationError) as excinfo:
        services.agenda_publish(meeting=march_meeting, by=secretary, now=at(2026, 3, 13, 10, 1))
    assert "7 dagar" in " ".join(excinfo.value.message_dict["late_reason"])
    march_meeting.refresh_from_db()
    assert march_meeting.status == Meeting.Status.PLANNED


def test_a_blank_reason_does_not_excuse_a_late_agenda(secretary, march_meeting):
    with pytest.raises(ValidationError) as excinfo:
        services.agenda_publish(meeting=march_meeting, by=secretary, late_reason="   ", now=at(2026, 3, 16))
    assert "late_reason" in excinfo.value.message_dict


def test_a_late_agenda_is_published_with_its_reason_recorded(secretary, march_meeting):
    services.agenda_publish(
        meeting=march_meeting, by=secretary, late_reason="  Ordföranden var sjuk ", now=at(2026, 3, 16)
    )
    march_meeting.refresh_from_db()
    assert march_meeting.status == Meeting.Status.AGENDA_PUBLISHED
    assert march_meeting.late_agenda_reason == "Ordföranden var sjuk"
    assert march_meeting.agenda_published_at == at(2026, 3, 16)


def test_the_agenda_is_published_in_time_without_a_reason(secretary, march_meeting):
    services.agenda_publish(meeting=march_meeting, by=secretary, now=at(2026, 3, 12))
    march_meeting.refresh_from_db()
    assert march_meeting.status == Meeting.Status.AGENDA_PUBLISHED
    assert march_meeting.late_agenda_reason == ""


def test_the_agenda_may_be_published_at_the_very_deadline(secretary, march_meeting):
    services.agenda_publish(meeting=march_meeting, by=secretary, now=at(2026, 3, 13))
    assert march_meeting.status == Meeting.Status.AGENDA_PUBLISHED


def test_the_agenda_cannot_be_published_while_items_wait_for_a_decision(board, secretary, march_meeting):
    submit(board, march_meeting, "Hjälpmedel")
    with pytest.raises(ValidationError) as excinfo:
        services.agenda_publish(meeting=march_meeting, by=secretary, now=at(2026, 3, 12))
    assert "1 anmälda ärenden väntar" in excinfo.value.messages[0]
    march_meeting.refresh_from_db()
    assert march_meeting.status == Meeting.Status.PLANNED


def test_rejected_items_do_not_hold_up_the_agenda(board, secretary, march_meeting):
    item = submit(board, march_meeting, "Hjälpmedel")
    services.agenda_item_decide(item=item, decision=AgendaItem.Status.REJECTED, by=secretary)
    services.agenda_publish(meeting=march_meeting, by=secretary, now=at(2026, 3, 12))
    assert march_meeting.status == Meeting.Status.AGENDA_PUBLISHED


def test_the_agenda_cannot_be_published_twice(secretary, march_meeting):
    services.agenda_publish(meeting=march_meeting, by=secretary, now=at(2026, 3, 12))
    with pytest.raises(ValidationError):
        services.agenda_publish(meeting=march_meeting, by=secretary, now=at(2026, 3, 12, 11))
    march_meeting.refresh_from_db()
    assert march_meeting.agenda_published_at == at(2026, 3, 12)


# --- The secretary's decisions on items ---------------------------------------------------------------


@pytest.mark.parametrize("decision", [AgendaItem.Status.ACCEPTED, AgendaItem.Status.REJECTED])
def test_the_secretary_accepts_or_rejects_a_submitted_item(board, secretary, march_meeting, decision):
    item = submit(board, march_meeting, "Hjälpmedel")
    services.agenda_item_decide(item=item, decision=decision, by=secretary)
    item.refresh_from_db()
    assert item.status == decision


def test_an_unknown_decision_on_an_item_is_refused(board, secretary, march_meeting):
    item = submit(board, march_meeting, "Hjälpmedel")
    with pytest.raises(ValidationError):
        services.agenda_item_decide(item=item, decision="postponed", by=secretary)
    item.refresh_from_db()
    assert item.status == AgendaItem.Status.SUBMITTED


def test_an_item_moved_to_another_meeting_waits_there_for_a_decision(board, secretary, march_meeting):
    april = plan(board, at(2026, 4, 24))
    item = accept(submit(board, march_meeting, "Hjälpmedel"), secretary)
    services.agenda_item_decide(item=item, decision=AgendaItem.Status.MOVED, move_to=april, by=secretary)
    item.refresh_from_db()
    assert (item.meeting, item.status) == (april, AgendaItem.Status.SUBMITTED)
    assert titles(march_meeting) == []
    with pytest.raises(ValidationError):
        services.agenda_publish(meeting=april, by=secretary, now=at(2026, 4, 1))


def test_an_item_moved_to_another_meeting_is_placed_last_on_its_agenda(board, secretary, march_meeting):
    april = plan(board, at(2026, 4, 24))
    moved = submit(board, march_meeting, "Hjälpmedel")
    for title in ("Budget", "Lägesrapport"):
        submit(board, april, title)
    services.agenda_item_decide(item=moved, decision=AgendaItem.Status.MOVED, move_to=april, by=secretary)
    assert titles(april) == ["Budget", "Lägesrapport", "Hjälpmedel"]


def test_an_item_cannot_be_moved_to_a_meeting_of_another_body(board, secretary, march_meeting):
    other = services.meeting_plan(body=BodyFactory(), starts_at=at(2026, 4, 24), location="Kalmar", by=None)
    item = submit(board, march_meeting, "Hjälpmedel")
    with pytest.raises(ValidationError) as excinfo:
        services.agenda_item_decide(item=item, decision=AgendaItem.Status.MOVED, move_to=other, by=secretary)
    assert "move_to" in excinfo.value.message_dict
    item.refresh_from_db()
    assert (item.meeting, item.status) == (march_meeting, AgendaItem.Status.SUBMITTED)


@pytest.mark.parametrize("target", [None, "same"])
def test_an_item_cannot_be_moved_without_another_meeting_to_go_to(board, secretary, march_meeting, target):
    item = submit(board, march_meeting, "Hjälpmedel")
    move_to = march_meeting if target == "same" else None
    with pytest.raises(ValidationError):
        services.agenda_item_decide(
            item=item, decision=AgendaItem.Status.MOVED, move_to=move_to, by=secretary
        )


def test_an_item_cannot_be_moved_to_a_meeting_already_held(board, secretary, march_meeting):
    held = record(board, agenda(board, at(2026, 2, 10), "Budget"))
    item = submit(board, march_meeting, "Hjälpmedel")
    with pytest.raises(ValidationError):
        services.agenda_item_decide(item=item, decision=AgendaItem.Status.MOVED, move_to=held, by=secretary)


def test_items_cannot_be_decided_once_the_meeting_is_held(board, secretary):
    meeting = agenda(board, at(2026, 3, 20), "Budget")
    item = meeting.items.get()
    record(board, meeting)
    item = AgendaItem.objects.get(pk=item.pk)
    with pytest.raises(ValidationError):
        services.agenda_item_decide(item=item, decision=AgendaItem.Status.REJECTED, by=secretary)


# --- Ordering the agenda -----------------------------------------------------------------------------


@pytest.fixture
def three_items(board, march_meeting) -> Meeting:
    for title in ("Budget", "Hjälpmedel", "Övrigt"):
        submit(board, march_meeting, title)
    return march_meeting


def test_moving_an_item_up_swaps_it_with_the_one_above(secretary, three_items):
    services.agenda_item_move(item=three_items.items.get(title="Övrigt"), up=True, by=secretary)
    assert titles(three_items) == ["Budget", "Övrigt", "Hjälpmedel"]


def test_moving_an_item_down_swaps_it_with_the_one_below(secretary, three_items):
    services.agenda_item_move(item=three_items.items.get(title="Budget"), up=False, by=secretary)
    assert titles(three_items) == ["Hjälpmedel", "Budget", "Övrigt"]


def test_the_first_item_stays_first_and_the_last_stays_last(secretary, three_items):
    services.agenda_item_move(item=three_items.items.get(title="Budget"), up=True, by=secretary)
    services.agenda_item_move(item=three_items.items.get(title="Övrigt"), up=False, by=secretary)
    assert titles(three_items) == ["Budget", "Hjälpmedel", "Övrigt"]


# --- Quorum ------------------------------------------------------------------------------------------


def test_more_than_half_of_each_side_is_quorate(board):
    present = pks(board.region[:2], board.municipal[:3])
    assert board.body.is_quorate(present, board.memberships())


def test_exactly_half_of_one_side_is_not_quorate(board):
    present = pks(board.region[:2], board.municipal[:2])
    assert not board.body.is_quorate(present, board.memberships())


def test_a_full_side_does_not_make_up_for_the_other(board):
    present = pks(board.region[:1], board.municipal)
    assert not board.body.is_quorate(present, board.memberships())


def test_the_chair_without_a_mandate_does_not_count_towards_quorum(board):
    present = pks(board.region[:2], board.municipal[:2], [board.chair])
    assert not board.body.is_quorate(present, board.memberships())


def test_the_chair_with_a_mandate_counts_towards_quorum(board):
    board.body.chair_has_mandate = True
    board.body.save(update_fields=["chair_has_mandate"])
    memberships = board.memberships()
    assert board.body.is_quorate(pks(board.region[:2], board.municipal[:2], [board.chair]), memberships)
    assert not board.body.is_quorate(pks(board.region[:2], board.municipal[:2]), memberships)


def test_the_secretary_and_co_opted_members_do_not_count_towards_quorum(board):
    co_opted = member(board.body, "R10", Membership.Role.CO_OPTED)
    memberships = board.memberships()
    assert board.body.is_quorate(pks(board.region[:2], board.municipal[:3]), memberships)
    present = pks(board.region[:1], [board.secretary, co_opted], board.municipal)
    assert not board.body.is_quorate(present, memberships)


def test_the_vice_chair_counts_towards_quorum(board):
    vice_chair = member(board.body, "1083", Membership.Role.VICE_CHAIR)
    memberships = board.memberships()
    assert not board.body.is_quorate(pks(board.region[:2], board.municipal[:2]), memberships)
    assert board.body.is_quorate(pks(board.region[:2], board.municipal[:2], [vice_chair]), memberships)


def test_a_simple_majority_rule_ignores_the_sides(board):
    board.body.quorum_rule = Body.Quorum.MAJORITY
    board.body.save(update_fields=["quorum_rule"])
    memberships = board.memberships()
    assert board.body.is_quorate(pks(board.region[:1], board.municipal[:3]), memberships)
    assert not board.body.is_quorate(pks(board.region[:1], board.municipal[:2]), memberships)


def test_under_a_simple_majority_exactly_half_is_not_quorate(board):
    board.body.quorum_rule, board.body.chair_has_mandate = Body.Quorum.MAJORITY, True
    board.body.save(update_fields=["quorum_rule", "chair_has_mandate"])
    present = pks(board.region[:2], board.municipal[:2])
    assert not board.body.is_quorate(present, board.memberships())


def test_a_body_without_a_quorum_rule_is_always_quorate(board):
    board.body.quorum_rule = Body.Quorum.NONE
    board.body.save(update_fields=["quorum_rule"])
    assert board.body.is_quorate(set(), board.memberships())


def test_recording_the_meeting_finds_it_quorate_with_most_of_each_side_present(board):
    meeting = record(board, agenda(board, at(2026, 3, 20), "Budget"), board.region[:2] + board.municipal[:3])
    meeting.refresh_from_db()
    assert (meeting.status, meeting.quorate) == (Meeting.Status.PROTOCOL_DRAFT, True)


def test_recording_the_meeting_finds_it_not_quorate_with_half_of_one_side_present(board):
    meeting = record(board, agenda(board, at(2026, 3, 20), "Budget"), board.region[:2] + board.municipal[:2])
    meeting.refresh_from_db()
    assert (meeting.status, meeting.quorate) == (Meeting.Status.PROTOCOL_DRAFT, False)


def test_written_views_do_not_count_as_presence(board, secretary):
    meeting = agenda(board, at(2026, 3, 20), "Budget")
    presence = {m.pk: Attendance.Presence.PRESENT for m in board.region[:2] + board.municipal[:2]}
    presence[board.municipal[2].pk] = Attendance.Presence.WRITTEN_VIEWS
    services.meeting_record(
        meeting=meeting,
        presence=presence,
        written_views={board.municipal[2].pk: "Tillstyrker förslaget."},
        by=secretary,
    )
    meeting.refresh_from_db()
    assert meeting.quorate is False
    views = meeting.attendance.get(membership=board.municipal[2])
    assert (views.presence, views.written_views) == (
        Attendance.Presence.WRITTEN_VIEWS,
        "Tillstyrker förslaget.",
    )


def test_attendance_is_recorded_for_every_member_and_the_missing_are_absent(board):
    meeting = record(board, agenda(board, at(2026, 3, 20), "Budget"), board.region[:1])
    assert meeting.attendance.count() == 9
    present = meeting.attendance.filter(presence=Attendance.Presence.PRESENT)
    assert list(present.values_list("membership", flat=True)) == [board.region[0].pk]


def test_members_who_have_left_the_body_do_not_count_against_quorum(board):
    for membership in board.region[1:]:
        services.membership_end(membership=membership, ends_on=date(2025, 12, 31), by=None, reason="Avgått")
    meeting = record(board, agenda(board, at(2026, 3, 20), "Budget"), board.region[:1] + board.municipal)
    meeting.refresh_from_db()
    assert meeting.quorate is True


def test_a_meeting_without_a_published_agenda_cannot_be_recorded(board):
    meeting = plan(board, at(2026, 3, 20))
    with pytest.raises(ValidationError):
        record(board, meeting)
    assert not meeting.attendance.exists()


def test_a_meeting_six_weeks_ahead_cannot_be_recorded(board):
    meeting = agenda(board, timezone.now() + timedelta(weeks=6), "Budget 2027")
    with pytest.raises(ValidationError, match="Mötet har inte börjat än"):
        services.meeting_record(
            meeting=meeting,
            presence={m.pk: Attendance.Presence.PRESENT for m in board.members},
            by=board.secretary.user,
        )
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.AGENDA_PUBLISHED
    assert (meeting.quorate, meeting.attendance.exists(), meeting.paragraphs.exists()) == (None, False, False)


def test_a_meeting_is_recorded_from_the_minute_it_begins_and_not_before(board):
    meeting = agenda(board, at(2026, 3, 20, 13), "Budget 2027")
    everybody = {m.pk: Attendance.Presence.PRESENT for m in board.members}
    with pytest.raises(ValidationError):
        services.meeting_record(
            meeting=meeting, presence=everybody, by=board.secretary.user, now=at(2026, 3, 20, 12, 59)
        )
    services.meeting_record(
        meeting=meeting, presence=everybody, by=board.secretary.user, now=at(2026, 3, 20, 13)
    )
    assert meeting.status == Meeting.Status.PROTOCOL_DRAFT


# --- Paragraph numbers -------------------------------------------------------------------------------


def test_the_protocol_has_one_paragraph_per_accepted_item_in_agenda_order(board, secretary):
    meeting = plan(board, at(2026, 3, 20))
    budget, _aids, other = (
        accept(submit(board, meeting, title, proposal=f"Att anta {title.lower()}."), secretary)
        for title in ("Budget", "Hjälpmedel", "Övrigt")
    )
    services.agenda_item_decide(item=submit(board, meeting, "Avvisat"), decision="rejected", by=secretary)
    services.agenda_item_move(item=other, up=True, by=secretary)
    services.agenda_publish(meeting=meeting, by=secretary, now=at(2026, 3, 12))
    record(board, meeting)
    assert numbered(meeting) == [(1, "Budget"), (2, "Övrigt"), (3, "Hjälpmedel")]
    first = meeting.paragraphs.get(number=1)
    assert (first.body, first.year, first.item, first.decision) == (
        board.body,
        2026,
        budget,
        "Att anta budget.",
    )


def test_paragraph_numbers_continue_through_the_year(board):
    first = record(board, agenda(board, at(2026, 2, 10), "Budget", "Hjälpmedel", "Övrigt"))
    second = record(board, agenda(board, at(2026, 4, 14), "Lägesrapport", "Ny rutin"))
    assert [n for n, _title in numbered(first)] == [1, 2, 3]
    assert [n for n, _title in numbered(second)] == [4, 5]


def test_paragraph_numbers_restart_at_one_in_a_new_year(board):
    record(board, agenda(board, at(2026, 11, 10), "Budget", "Hjälpmedel", "Övrigt"))
    meeting = record(board, agenda(board, at(2027, 2, 9), "Lägesrapport", "Ny rutin"))
    assert list(meeting.paragraphs.values_list("year", "number")) == [(2027, 1), (2027, 2)]


def test_a_meeting_just_after_midnight_on_new_years_day_in_sweden_starts_the_new_series(board):
    record(board, agenda(board, at(2026, 12, 8), "Budget"))
    meeting = record(board, agenda(board, at(2027, 1, 1, 0, 30), "Nyårsärende"))
    assert list(meeting.paragraphs.values_list("year", "number")) == [(2027, 1)]


def test_each_body_has_its_own_paragraph_series(board):
    socialkola = board_for(BodyFactory(name="SocialKOLA", abbreviation="SocialKOLA"))
    record(board, agenda(board, at(2026, 2, 10), "Budget", "Hjälpmedel"))
    meeting = record(socialkola, agenda(socialkola, at(2026, 3, 20), "Lägesrapport"))
    assert numbered(meeting) == [(1, "Lägesrapport")]


def test_a_paragraph_number_cannot_be_used_twice_in_a_body_and_year(board):
    meeting = record(board, agenda(board, at(2026, 3, 20), "Budget"))
    with pytest.raises(IntegrityError), transaction.atomic():
        Paragraph.objects.create(meeting=meeting, body=board.body, year=2026, number=1, title="Dubblett")
    Paragraph.objects.create(meeting=meeting, body=board.body, year=2027, number=1, title="Annat år")
    assert Paragraph.objects.filter(body=board.body, number=1).count() == 2


# --- Writing, adjusting and correcting the protocol --------------------------------------------------


@pytest.fixture
def draft(board, secretary) -> Meeting:
    """A quorate meeting with two decision items and one information item, held and minuted."""
    meeting = plan(board, at(2026, 3, 20))
    for title, kind, proposal in [
        ("Budget 2027", DECISION, "Att anta budgeten."),
        ("Lägesrapport", INFORMATION, "Att lägga informationen till handlingarna."),
        ("Ny rutin", DECISION, "Att anta rutinen."),
    ]:
        accept(submit(board, meeting, title, kind=kind, proposal=proposal), secretary)
    services.agenda_publish(meeting=meeting, by=secretary, now=at(2026, 3, 12))
    return record(board, meeting)


def paragraph(meeting: Meeting, title: str) -> Paragraph:
    """Fetched anew so that its meeting is read with the current status."""
    return Paragraph.objects.get(meeting=meeting, title=title)


def send(board, meeting: Meeting, *adjusters: Membership) -> Meeting:
    return services.protocol_send_for_adjustment(
        meeting=meeting, adjusters=[m.user for m in adjusters], by=board.secretary.user
    )


def adjusted(board, meeting: Meeting) -> Meeting:
    send(board, meeting, board.region[0], board.municipal[0])
    services.protocol_adjust(meeting=meeting, by=board.region[0].user)
    return services.protocol_adjust(meeting=meeting, by=board.municipal[0].user)


def test_the_secretary_writes_the_protocol_while_it_is_a_draft(secretary, draft):
    services.paragraph_write(
        paragraph=paragraph(draft, "Ny rutin"),
        notes=" Diskuterades. ",
        decision=" Att bordlägga. ",
        by=secretary,
    )
    written = paragraph(draft, "Ny rutin")
    assert (written.notes, written.decision) == ("Diskuterades.", "Att bordlägga.")


def test_a_protocol_needs_at_least_one_adjuster(board, draft):
    with pytest.raises(ValidationError) as excinfo:
        send(board, draft)
    assert "adjusters" in excinfo.value.message_dict


def test_adjusters_must_be_members_of_the_body(board, secretary, draft, karlskrona_official):
    with pytest.raises(ValidationError) as excinfo:
        services.protocol_send_for_adjustment(
            meeting=draft, adjusters=[board.region[0].user, karlskrona_official], by=secretary
        )
    assert "adjusters" in excinfo.value.message_dict
    draft.refresh_from_db()
    assert draft.status == Meeting.Status.PROTOCOL_DRAFT
    assert not draft.adjustments.exists()


def test_a_former_member_cannot_adjust_the_protocol(board, draft):
    services.membership_end(membership=board.region[2], ends_on=date(2025, 12, 31), by=None, reason="Avgått")
    with pytest.raises(ValidationError):
        send(board, draft, board.region[0], board.region[2])


def test_the_protocol_cannot_be_written_while_it_is_being_adjusted(board, secretary, draft):
    send(board, draft, board.region[0])
    with pytest.raises(ValidationError):
        services.paragraph_write(
            paragraph=paragraph(draft, "Ny rutin"), notes="", decision="Nej", by=secretary
        )


def test_only_a_designated_adjuster_can_adjust(board, draft):
    send(board, draft, board.region[0], board.municipal[0])
    for outsider in (board.region[1].user, board.secretary.user, board.chair.user):
        with pytest.raises(ValidationError):
            services.protocol_adjust(meeting=draft, by=outsider)
    assert not draft.adjustments.filter(approved_at__isnull=False).exists()


def test_the_protocol_stays_in_adjustment_until_every_adjuster_has_approved(board, draft):
    send(board, draft, board.region[0], board.municipal[0])
    services.protocol_adjust(meeting=draft, by=board.region[0].user, now=at(2026, 3, 23))
    draft.refresh_from_db()
    assert draft.status == Meeting.Status.IN_ADJUSTMENT
    assert not Decision.objects.exists()
    services.protocol_adjust(meeting=draft, by=board.municipal[0].user, now=at(2026, 3, 24))
    draft.refresh_from_db()
    assert draft.status == Meeting.Status.ADJUSTED
    assert draft.adjustments.get(user=board.region[0].user).approved_at == at(2026, 3, 23)


def test_an_adjuster_cannot_approve_twice(board, draft):
    send(board, draft, board.region[0], board.municipal[0])
    services.protocol_adjust(meeting=draft, by=board.region[0].user)
    with pytest.raises(ValidationError):
        services.protocol_adjust(meeting=draft, by=board.region[0].user)
    draft.refresh_from_db()
    assert draft.status == Meeting.Status.IN_ADJUSTMENT


def test_an_adjuster_sends_the_protocol_back_to_the_secretary_with_a_comment(board, secretary, draft):
    send(board, draft, board.region[0], board.municipal[0])
    adjuster = board.municipal[0].user
    services.protocol_request_change(
        meeting=draft,
        by=adjuster,
        comment=" § 3: rutinen antogs med ändringen i bilagan. ",
        now=at(2026, 3, 22),
    )
    draft.refresh_from_db()
    assert draft.status == Meeting.Status.PROTOCOL_DRAFT
    adjustment = draft.adjustments.get(user=adjuster)
    assert (adjustment.change_request, adjustment.change_requested_at, adjustment.approved_at) == (
        "§ 3: rutinen antogs med ändringen i bilagan.",
        at(2026, 3, 22),
        None,
    )
    recorded = adjustment.history.first()
    assert (recorded.history_user, recorded.history_change_reason) == (adjuster, "Justeraren begär ändring")
    assert draft.history.first().history_user == adjuster
    assert not Decision.objects.exists()
    services.paragraph_write(  # the secretary can write the protocol again
        paragraph=paragraph(draft, "Ny rutin"),
        notes="",
        decision="Rutinen antas med ändringen.",
        by=secretary,
    )


def test_a_change_request_withdraws_the_approvals_already_given(board, draft):
    send(board, draft, board.region[0], board.municipal[0])
    services.protocol_adjust(meeting=draft, by=board.region[0].user)
    services.protocol_request_change(meeting=draft, by=board.municipal[0].user, comment="§ 2 saknar beslut.")
    assert not draft.adjustments.filter(approved_at__isnull=False).exists()
    send(board, draft, board.region[0], board.municipal[0])
    services.protocol_adjust(meeting=draft, by=board.region[0].user)
    draft.refresh_from_db()
    assert draft.status == Meeting.Status.IN_ADJUSTMENT  # the second adjuster reads the changed text


@pytest.mark.parametrize("comment", ["", "   "])
def test_a_change_request_says_what_to_change(board, draft, comment):
    send(board, draft, board.region[0])
    with pytest.raises(ValidationError) as refused:
        services.protocol_request_change(meeting=draft, by=board.region[0].user, comment=comment)
    assert "comment" in refused.value.message_dict
    draft.refresh_from_db()
    assert draft.status == Meeting.Status.IN_ADJUSTMENT


def test_only_a_designated_adjuster_who_has_not_approved_asks_for_a_change(board, draft):
    send(board, draft, board.region[0], board.municipal[0])
    services.protocol_adjust(meeting=draft, by=board.region[0].user)
    for user in (board.region[1].user, board.region[0].user):
        with pytest.raises(ValidationError):
            services.protocol_request_change(meeting=draft, by=user, comment="Fel.")
    draft.refresh_from_db()
    assert draft.status == Meeting.Status.IN_ADJUSTMENT


def test_a_protocol_not_in_adjustment_cannot_be_sent_back(board, draft):
    adjusted(board, draft)
    with pytest.raises(ValidationError):
        services.protocol_request_change(meeting=draft, by=board.region[0].user, comment="Fel.")


def test_the_protocol_names_its_chair_secretary_and_adjusters(board, draft):
    send(board, draft, board.region[0], board.municipal[0])
    signatories = selectors.protocol_signatories(draft)
    assert signatories.chairs == [board.chair.user.get_full_name()]
    assert signatories.secretaries == [board.secretary.user.get_full_name()]
    assert {a.user for a in signatories.adjustments} == {board.region[0].user, board.municipal[0].user}


def test_the_protocol_names_the_chair_of_the_meeting_day_not_todays(board, draft):
    services.membership_end(membership=board.chair, ends_on=date(2026, 6, 30), by=None, reason="Avgick")
    member(board.body, "1060", Membership.Role.CHAIR, starts_on=date(2026, 7, 1))
    assert selectors.protocol_signatories(draft).chairs == [board.chair.user.get_full_name()]


def test_an_adjusted_protocol_cannot_be_rewritten(board, secretary, draft):
    adjusted(board, draft)
    with pytest.raises(ValidationError):
        services.paragraph_write(
            paragraph=paragraph(draft, "Budget 2027"), notes="Ändrat", decision="Att avslå.", by=secretary
        )
    unchanged = paragraph(draft, "Budget 2027")
    assert (unchanged.notes, unchanged.decision) == ("", "Att anta budgeten.")


def test_a_correction_is_recorded_beside_the_adjusted_paragraph(board, secretary, draft):
    adjusted(board, draft)
    correction = services.paragraph_correct(
        paragraph=paragraph(draft, "Budget 2027"), text=" Beloppet ska vara 12 mnkr. ", by=secretary
    )
    assert (correction.text, correction.made_by) == ("Beloppet ska vara 12 mnkr.", secretary)
    unchanged = paragraph(draft, "Budget 2027")
    assert unchanged.decision == "Att anta budgeten."
    assert list(unchanged.corrections.all()) == [correction]


def test_a_draft_is_not_corrected_but_rewritten(secretary, draft):
    with pytest.raises(ValidationError):
        services.paragraph_correct(paragraph=paragraph(draft, "Budget 2027"), text="Rättelse", by=secretary)
    assert not Correction.objects.exists()


def test_an_empty_correction_is_refused(board, secretary, draft):
    adjusted(board, draft)
    with pytest.raises(ValidationError):
        services.paragraph_correct(paragraph=paragraph(draft, "Budget 2027"), text="  ", by=secretary)


def test_adjusting_puts_the_decisions_into_the_register(board, secretary, draft):
    services.paragraph_write(
        paragraph=paragraph(draft, "Ny rutin"), notes="Bordlagt.", decision="", by=secretary
    )
    adjusted(board, draft)
    decision = Decision.objects.get()
    assert (decision.paragraph, decision.body, decision.text) == (
        paragraph(draft, "Budget 2027"),
        board.body,
        "Att anta budgeten.",
    )
    assert (decision.status, decision.without_quorum) == (Decision.Status.OPEN, False)


def test_procedural_items_are_in_the_protocol_but_not_in_the_register_of_decisions(board, secretary):
    meeting = plan(board, at(2026, 3, 20))
    for title, kind, proposal in [
        ("Mötets öppnande", PROCEDURAL, ""),
        ("Val av justerare", PROCEDURAL, "Att välja två justerare."),
        ("Budget 2027", DECISION, "Att anta budgeten."),
        ("Mötets avslutande", PROCEDURAL, ""),
    ]:
        accept(submit(board, meeting, title, kind=kind, proposal=proposal), secretary)
    services.agenda_publish(meeting=meeting, by=secretary, now=at(2026, 3, 12))
    record(board, meeting)
    assert [title for _n, title in numbered(meeting)] == [
        "Mötets öppnande",
        "Val av justerare",
        "Budget 2027",
        "Mötets avslutande",
    ]
    adjusted(board, meeting)
    assert list(Decision.objects.values_list("paragraph__title", flat=True)) == ["Budget 2027"]


def test_decisions_of_a_meeting_without_quorum_are_flagged(board, secretary):
    meeting = record(board, agenda(board, at(2026, 3, 20), "Budget 2027", "Ny rutin"), board.region[:1])
    adjusted(board, meeting)
    assert meeting.quorate is False
    assert list(Decision.objects.values_list("without_quorum", flat=True)) == [True, True]


# --- Publishing and cancelling -----------------------------------------------------------------------


def test_a_protocol_is_published_only_once_adjusted(board, secretary, draft):
    with pytest.raises(ValidationError):
        services.protocol_publish(meeting=draft, by=secretary)
    send(board, draft, board.region[0], board.municipal[0])
    services.protocol_adjust(meeting=draft, by=board.region[0].user)
    with pytest.raises(ValidationError):
        services.protocol_publish(meeting=draft, by=secretary)
    services.protocol_adjust(meeting=draft, by=board.municipal[0].user)
    services.protocol_publish(meeting=draft, by=secretary, now=at(2026, 3, 25))
    draft.refresh_from_db()
    assert (draft.status, draft.protocol_published_at) == (Meeting.Status.PUBLISHED, at(2026, 3, 25))


def test_a_published_protocol_can_still_be_corrected(board, secretary, draft):
    services.protocol_publish(meeting=adjusted(board, draft), by=secretary)
    services.paragraph_correct(paragraph=paragraph(draft, "Lägesrapport"), text="Stavfel.", by=secretary)
    assert Correction.objects.count() == 1


def test_a_planned_meeting_can_be_cancelled(board, secretary):
    meeting = services.meeting_cancel(meeting=plan(board, at(2026, 3, 20)), by=secretary)
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.CANCELLED
    assert not meeting.agenda_is_public


def test_a_meeting_with_a_published_agenda_can_be_cancelled(board, secretary):
    meeting = services.meeting_cancel(meeting=agenda(board, at(2026, 3, 20), "Budget"), by=secretary)
    assert meeting.status == Meeting.Status.CANCELLED


def test_a_meeting_that_has_been_held_cannot_be_cancelled(board, secretary, draft):
    with pytest.raises(ValidationError):
        services.meeting_cancel(meeting=draft, by=secretary)
    draft.refresh_from_db()
    assert draft.status == Meeting.Status.PROTOCOL_DRAFT


def test_a_cancelled_meeting_cannot_get_an_agenda(board, secretary):
    meeting = services.meeting_cancel(meeting=plan(board, at(2026, 3, 20)), by=secretary)
    with pytest.raises(ValidationError):
        services.agenda_publish(meeting=meeting, by=secretary, now=at(2026, 3, 1))
    with pytest.raises(ValidationError):
        submit(board, meeting, "Budget")


# --- History -----------------------------------------------------------------------------------------


def test_publishing_the_agenda_is_recorded_in_the_meeting_history(secretary, march_meeting):
    services.agenda_publish(meeting=march_meeting, by=secretary, now=at(2026, 3, 12))
    latest = march_meeting.history.first()
    assert (latest.history_user, latest.history_change_reason) == (secretary, "Kallelse skickad")
    assert latest.status == Meeting.Status.AGENDA_PUBLISHED
    assert march_meeting.history.last().history_change_reason == "Möte planerat"


def test_the_protocol_paragraphs_are_attributed_to_whoever_recorded_the_meeting(secretary, draft):
    record_ = paragraph(draft, "Budget 2027").history.get()
    assert (record_.history_user, record_.history_change_reason) == (secretary, "Protokoll upprättat")


def test_the_secretarys_decision_on_an_item_is_in_its_history(board, secretary, march_meeting):
    item = accept(submit(board, march_meeting, "Hjälpmedel"), secretary)
    submitted, decided = item.history.order_by("history_date")
    assert (submitted.history_user, submitted.history_change_reason) == (
        board.region[0].user,
        "Ärende anmält",
    )
    assert (decided.history_user, decided.status) == (secretary, AgendaItem.Status.ACCEPTED)


def test_adding_and_ending_a_membership_is_recorded_with_who_and_why(lsvo, blekinge_admin):
    membership = services.membership_add(
        body=lsvo,
        user=blekinge_admin,
        organisation=organisation("R10"),
        role=Membership.Role.MEMBER,
        starts_on=date(2025, 1, 1),
        by=blekinge_admin,
        reason="Utsedd av regionstyrelsen",
    )
    services.membership_end(
        membership=membership, ends_on=date(2026, 6, 30), by=blekinge_admin, reason="Avgått"
    )
    reasons = list(
        membership.history.order_by("history_date").values_list("history_change_reason", flat=True)
    )
    assert reasons == ["Utsedd av regionstyrelsen", "Avgått"]
    assert membership.history.first().history_user == blekinge_admin


def test_the_database_refuses_to_change_an_adjusted_protocol(board):
    import pytest as _pytest
    from django.db import IntegrityError, transaction
    from django.utils import timezone as tz

    from governance.models import Meeting, Paragraph
    from tests.governance.conftest import agenda as make_agenda
    from tests.governance.conftest import record as hold

    meeting = make_agenda(board, tz.now() + timedelta(days=30), "Ett")
    hold(board, meeting)
    adjuster = board.region[0].user
    services.protocol_send_for_adjustment(meeting=meeting, adjusters=[adjuster], by=board.secretary.user)
    services.protocol_adjust(meeting=meeting, by=adjuster)
    with _pytest.raises(IntegrityError), transaction.atomic():
        Paragraph.objects.filter(meeting=meeting).update(decision="Ändrat i efterhand")
    with _pytest.raises(IntegrityError), transaction.atomic():
        Paragraph.objects.filter(meeting=meeting).delete()
    with _pytest.raises(IntegrityError), transaction.atomic():
        Meeting.objects.filter(pk=meeting.pk).update(status=Meeting.Status.PROTOCOL_DRAFT)
