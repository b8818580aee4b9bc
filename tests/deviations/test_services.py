"""The state machine, deadlines, overdue flagging and escalation of deviations and disputes."""

from datetime import date

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from deviations import selectors, services
from deviations.models import Case, Event, LadderLevel
from tests.deviations.conftest import at, escalate_unanswered, report
from tests.factories import organisation

pytestmark = pytest.mark.django_db(transaction=False)
S, A = Case.State, Event.Action


def test_a_report_starts_at_level_one_with_deadlines_from_the_ladder(ladder, deal, karlskrona_official):
    case = report(deal, karlskrona_official, now=at(2026, 3, 2))
    assert (case.state, case.level, case.level_name) == (S.REPORTED, 1, "Närmaste chef")
    assert (case.start_due, case.feedback_due) == (date(2026, 3, 16), date(2026, 4, 1))
    assert list(case.events.values_list("action", flat=True)) == [A.REPORTED]
    assert case.reference == f"A-2026-{case.pk}"


def test_a_deviation_goes_from_reported_to_closed(ladder, deal, karlskrona_official, region_official):
    case = report(deal, karlskrona_official)
    for action, text, state in [
        (A.RECEIVED, "", S.RECEIVED),
        (A.INVESTIGATING, "", S.INVESTIGATING),
        (A.MEASURES, "Rutinen för remissvar ses över.", S.MEASURES_DECIDED),
        (A.FEEDBACK, "Återkoppling till Karlskrona.", S.FEEDBACK_GIVEN),
        (A.CLOSED, "", S.CLOSED),
    ]:
        case = services.case_act(case=case, action=action, by=region_official, text=text, now=at(2026, 3, 5))
        assert case.state == state
    assert case.closed_at and case.first_feedback_at and case.resolution == "Rutinen för remissvar ses över."
    assert not case.was_overdue
    assert case.events.count() == 6
    assert case.history.first().history_change_reason == "Avslutad"


@pytest.mark.parametrize(
    "action,state",
    [(A.CLOSED, S.REPORTED), (A.FEEDBACK, S.REPORTED), (A.RESOLVED, S.REPORTED), (A.STARTED, S.REPORTED)],
)
def test_steps_out_of_order_are_refused_and_change_nothing(ladder, deal, karlskrona_official, action, state):
    case = report(deal, karlskrona_official)
    with pytest.raises(ValidationError, match="Det går inte nu"):
        services.case_act(case=case, action=action, by=karlskrona_official, text="x")
    case.refresh_from_db()
    assert case.state == state and case.events.count() == 1


def test_measures_and_feedback_need_a_text(ladder, deal, karlskrona_official):
    case = report(deal, karlskrona_official)
    services.case_act(case=case, action=A.RECEIVED, by=karlskrona_official)
    with pytest.raises(ValidationError) as error:
        services.case_act(case=case, action=A.FEEDBACK, by=karlskrona_official, text=" ")
    assert "text" in error.value.message_dict


def test_a_late_start_and_late_feedback_mark_the_case_as_having_been_overdue(
    ladder, deal, karlskrona_official
):
    case = report(deal, karlskrona_official, now=at(2026, 3, 2))
    services.case_act(case=case, action=A.RECEIVED, by=karlskrona_official, now=at(2026, 3, 16))
    assert not Case.objects.get(pk=case.pk).was_overdue  # the last day is in time
    services.case_act(case=case, action=A.FEEDBACK, by=karlskrona_official, text="Svar.", now=at(2026, 4, 2))
    assert Case.objects.get(pk=case.pk).was_overdue


def test_overdue_is_computed_from_the_start_and_feedback_deadlines(ladder, deal, karlskrona_official):
    waiting = report(deal, karlskrona_official, now=at(2026, 3, 2))
    started = report(deal, karlskrona_official, now=at(2026, 3, 2))
    services.case_act(case=started, action=A.RECEIVED, by=karlskrona_official, now=at(2026, 3, 3))
    answered = report(deal, karlskrona_official, now=at(2026, 3, 2))
    services.case_act(case=answered, action=A.RECEIVED, by=karlskrona_official, now=at(2026, 3, 3))
    services.case_act(
        case=answered, action=A.FEEDBACK, by=karlskrona_official, text="Svar", now=at(2026, 3, 4)
    )

    def overdue_on(day):
        return set(Case.objects.overdue(day).values_list("pk", flat=True))

    assert overdue_on(date(2026, 3, 16)) == set()
    assert overdue_on(date(2026, 3, 17)) == {waiting.pk}
    assert overdue_on(date(2026, 4, 2)) == {waiting.pk, started.pk}
    assert [c.is_overdue(date(2026, 4, 2)) for c in Case.objects.order_by("pk")] == [True, True, False]


def test_the_daily_flagging_marks_and_notifies_once_per_level(
    ladder, deal, karlskrona_official, region_official
):
    region_official.email = "regina@example.se"
    region_official.save()
    case = report(deal, karlskrona_official, now=at(2026, 3, 2))
    mail.outbox.clear()
    assert services.overdue_cases_flag(today=date(2026, 3, 20)) == 1
    assert services.overdue_cases_flag(today=date(2026, 3, 21)) == 0
    case.refresh_from_db()
    assert case.was_overdue and case.overdue_notified_on == date(2026, 3, 20)
    assert case.events.filter(action=A.OVERDUE).count() == 1


def test_escalation_follows_the_ladder_and_notifies_the_next_level(
    ladder,
    deal,
    karlskrona_official,
    group_chair,
    county_group,
    django_capture_on_commit_callbacks,
    run_tasks,
):
    group_chair.email = "lotta@example.se"
    group_chair.save()
    case = report(deal, karlskrona_official, now=at(2026, 3, 2))
    with django_capture_on_commit_callbacks(execute=True):
        case = services.case_escalate(
            case=case, by=karlskrona_official, reason="Inget svar.", now=at(2026, 3, 20)
        )
    assert (case.level, case.state, case.handling_body.name) == (
        2,
        S.REPORTED,
        "Lokal samverkansgrupp Karlskrona",
    )
    assert (case.start_due, case.feedback_due) == (date(2026, 3, 27), date(2026, 4, 10))
    assert mail.outbox == []  # queued for the worker, not sent during the action
    run_tasks()
    assert [m.to for m in mail.outbox] == [["lotta@example.se"]]
    services.case_act(case=case, action=A.RECEIVED, by=group_chair, now=at(2026, 3, 24))
    case = services.case_escalate(case=case, by=group_chair, reason="Principiell fråga.", now=at(2026, 3, 25))
    assert (case.level, case.handling_body) == (3, county_group)
    assert set(case.involved_bodies.all()) == {case.handling_body, ladder.levels.get(number=2).bodies.get()}
    with pytest.raises(ValidationError, match="sista nivå"):
        escalate_unanswered(case, group_chair, "Vidare.")


def test_closing_at_a_level_that_needs_agreement_requires_the_parties_to_agree(
    ladder, deal, karlskrona_official, group_chair
):
    case = report(deal, karlskrona_official)
    case = escalate_unanswered(case, karlskrona_official, "Inget svar.")
    case = escalate_unanswered(case, karlskrona_official, "Olöst.")
    for action, text in [(A.RECEIVED, ""), (A.FEEDBACK, "Gemensam tolkning.")]:
        services.case_act(case=case, action=action, by=group_chair, text=text)
    with pytest.raises(ValidationError) as error:
        services.case_act(case=case, action=A.CLOSED, by=group_chair)
    assert "parties_agree" in error.value.message_dict
    assert services.case_act(case=case, action=A.CLOSED, by=group_chair, parties_agree=True).state == S.CLOSED


def test_a_dispute_is_raised_handled_and_resolved_or_referred(ladder, deal, karlskrona_official):
    case = report(deal, karlskrona_official, kind=Case.Kind.DISPUTE, position="Regionen ansvarar.")
    assert (case.state, case.positions.get().text) == (S.RAISED, "Regionen ansvarar.")
    services.case_act(case=case, action=A.STARTED, by=karlskrona_official)
    services.case_act(case=case, action=A.FEEDBACK, by=karlskrona_official, text="Möte bokat.")
    assert Case.objects.get(pk=case.pk).state == S.HANDLING
    resolved = services.case_act(case=case, action=A.RESOLVED, by=karlskrona_official, text="Delat ansvar.")
    assert (resolved.state, resolved.resolution) == (S.RESOLVED, "Delat ansvar.")

    other = report(deal, karlskrona_official, kind=Case.Kind.DISPUTE)
    for _ in range(2):
        other = escalate_unanswered(other, karlskrona_official, "Olöst.")
    other = escalate_unanswered(other, karlskrona_official, "Juridisk bedömning behövs.")
    assert other.state == S.REFERRED and other.closed_at


def test_a_party_states_its_position_in_a_dispute(ladder, deal, karlskrona_official, region_official):
    case = report(deal, karlskrona_official, kind=Case.Kind.DISPUTE)
    services.position_state(case=case, organisation=organisation("R10"), by=region_official, text="Kommunen.")
    services.position_state(case=case, organisation=organisation("R10"), by=region_official, text="Delat.")
    assert case.positions.get(organisation=organisation("R10")).text == "Delat."
    assert case.events.filter(action=A.POSITION).count() == 2


def test_an_agreement_without_a_ladder_is_handled_by_the_parties_with_default_deadlines(
    deal, karlskrona_official
):
    case = report(deal, karlskrona_official, now=at(2026, 3, 2))
    assert case.level_handler == LadderLevel.Handler.PARTIES
    assert (case.start_due, case.feedback_due) == (date(2026, 3, 16), date(2026, 4, 1))


@pytest.mark.parametrize(
    "fields,field",
    [
        ({"description": "Gäller 19811218-9876 som väntade."}, "description"),
        ({"title": "Ärende 811218-9876"}, "title"),
        ({"improvement": "Ring 640883-3231"}, "improvement"),
        ({"concerned": ()}, "concerned"),
        ({"concerned": ("0880",)}, "concerned"),
        ({"category": None}, "category"),
        ({"event_date": date(2099, 1, 1)}, "event_date"),
    ],
)
def test_bad_reports_are_refused_with_a_message_on_the_field_and_nothing_is_stored(
    ladder, deal, karlskrona_official, fields, field
):
    with pytest.raises(ValidationError) as error:
        report(deal, karlskrona_official, **fields)
    assert field in error.value.message_dict
    assert not Case.objects.exists()


def test_comments_refuse_identity_numbers_and_attachments_are_checked(ladder, deal, karlskrona_official):
    from tests.factories import pdf_upload

    case = report(deal, karlskrona_official)
    with pytest.raises(ValidationError, match="personnummer"):
        services.case_comment(case=case, by=karlskrona_official, text="Se 811218-9876")
    with pytest.raises(ValidationError) as error:
        services.case_comment(
            case=case, by=karlskrona_official, text="", upload=pdf_upload("x.pdf", b"<html>")
        )
    assert "file" in error.value.message_dict
    event = services.case_comment(case=case, by=karlskrona_official, text="Rutinen", upload=pdf_upload())
    assert (event.action, event.file_name, event.file_type) == (A.ATTACHMENT, "bilaga.pdf", "application/pdf")


def test_a_ladder_edit_is_a_new_revision_and_does_not_change_cases_already_at_a_level(
    ladder, deal, karlskrona_official
):
    case = report(deal, karlskrona_official, now=at(2026, 3, 2))
    edited = services.ladder_save(
        agreement=deal,
        by=None,
        levels=[
            {"name": "Chefer", "handler": LadderLevel.Handler.PARTIES, "start_days": 3, "feedback_days": 5}
        ],
    )
    assert edited.revision == 2 and edited.levels.count() == 1
    case.refresh_from_db()
    assert case.start_due == date(2026, 3, 16)
    with pytest.raises(ValidationError):
        services.ladder_save(agreement=deal, by=None, levels=[])


def test_a_reporter_cannot_escalate_before_the_level_has_acted_or_its_start_deadline_has_passed(
    ladder, deal, karlskrona_official
):
    case = report(deal, karlskrona_official, now=at(2026, 3, 2))  # level 1 starts within 14 days: 16 March
    for day in (2, 16):
        with pytest.raises(ValidationError, match="efter 2026-03-16"):
            services.case_escalate(
                case=case, by=karlskrona_official, reason="Inget svar.", now=at(2026, 3, day)
            )
    assert Case.objects.get(pk=case.pk).level == 1
    case = services.case_escalate(
        case=case, by=karlskrona_official, reason="Inget svar.", now=at(2026, 3, 17)
    )
    assert case.level == 2


def test_once_a_handler_has_acted_the_case_may_be_escalated_but_not_on_past_the_next_level(
    ladder, deal, karlskrona_official, region_official
):
    case = report(deal, karlskrona_official, now=at(2026, 3, 2, 9))
    services.case_act(case=case, action=A.RECEIVED, by=region_official, now=at(2026, 3, 2, 10))
    case = services.case_escalate(case=case, by=karlskrona_official, reason="Olöst.", now=at(2026, 3, 2, 11))
    assert case.level == 2
    with pytest.raises(ValidationError, match="nivåns handläggare"):
        services.case_escalate(case=case, by=karlskrona_official, reason="Vidare.", now=at(2026, 3, 2, 12))
    assert Case.objects.get(pk=case.pk).level == 2
    assert selectors.escalation_waits_until(case, now=at(2026, 3, 2, 12)) == date(2026, 3, 9)


def test_a_level_the_ladder_lets_go_at_once_is_escalated_at_once(ladder, deal, karlskrona_official):
    ladder.levels.filter(number=1).update(escalate_at_once=True)
    case = report(deal, karlskrona_official, now=at(2026, 3, 2, 9))
    case = services.case_escalate(case=case, by=karlskrona_official, reason="Akut.", now=at(2026, 3, 2, 9))
    assert case.level == 2
    with pytest.raises(ValidationError):  # the local group has not acted yet
        services.case_escalate(case=case, by=karlskrona_official, reason="Vidare.", now=at(2026, 3, 2, 10))
