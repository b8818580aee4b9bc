from datetime import date

import pytest

from agreements.validity import ValidityStatus, add_months, validity_on

# Blekinge's terms: valid 2023-06-01 – 2026-12-31, 12 months' notice, extended by 2 years at a time.
BLEKINGE = {
    "valid_from": date(2023, 6, 1),
    "valid_to": date(2026, 12, 31),
    "notice_months": 12,
    "extension_years": 2,
}


def blekinge_on(day: date, *, notice_given_on: date | None = None):
    return validity_on(day, notice_given_on=notice_given_on, **BLEKINGE)


def test_agreement_is_not_yet_valid_the_day_before_it_starts():
    validity = blekinge_on(date(2023, 5, 31))
    assert validity.status == ValidityStatus.NOT_YET_VALID
    assert not validity.in_force


def test_agreement_is_in_force_on_its_first_day():
    validity = blekinge_on(date(2023, 6, 1))
    assert validity.status == ValidityStatus.IN_FORCE
    assert validity.in_force
    assert validity.period_end == date(2026, 12, 31)
    assert validity.notice_deadline == date(2025, 12, 31)
    assert validity.ends_on is None


def test_agreement_without_extension_is_still_in_force_on_its_last_day():
    validity = validity_on(date(2026, 12, 31), **{**BLEKINGE, "extension_years": None})
    assert validity.status == ValidityStatus.IN_FORCE
    assert validity.period_end == date(2026, 12, 31)


def test_period_is_the_first_one_on_the_last_day_for_notice():
    validity = blekinge_on(date(2025, 12, 31))
    assert validity.status == ValidityStatus.IN_FORCE
    assert validity.period_end == date(2026, 12, 31)
    assert validity.notice_deadline == date(2025, 12, 31)


def test_extension_takes_effect_the_day_after_the_last_day_for_notice():
    validity = blekinge_on(date(2026, 1, 1))
    assert validity.status == ValidityStatus.EXTENDED
    assert validity.period_end == date(2028, 12, 31)
    assert validity.notice_deadline == date(2027, 12, 31)
    assert validity.ends_on is None


def test_extended_agreement_ends_its_current_period_after_the_extension_not_on_the_original_end():
    validity = blekinge_on(date(2026, 12, 3))
    assert validity.status == ValidityStatus.EXTENDED
    assert validity.period_end == date(2028, 12, 31)
    assert validity.notice_deadline == date(2027, 12, 31)


def test_agreement_without_notice_is_extended_two_years_the_day_after_it_would_have_ended():
    validity = blekinge_on(date(2027, 1, 1))
    assert validity.status == ValidityStatus.EXTENDED
    assert validity.in_force
    assert validity.period_end == date(2028, 12, 31)
    assert validity.notice_deadline == date(2027, 12, 31)
    assert validity.ends_on is None


def test_agreement_keeps_being_extended_while_nobody_gives_notice():
    validity = blekinge_on(date(2029, 6, 1))
    assert validity.status == ValidityStatus.EXTENDED
    assert validity.period_end == date(2030, 12, 31)
    assert blekinge_on(date(2030, 6, 1)).period_end == date(2032, 12, 31)


def test_notice_on_the_deadline_day_ends_the_agreement_at_the_end_of_the_period():
    validity = blekinge_on(date(2026, 6, 1), notice_given_on=date(2025, 12, 31))
    assert validity.status == ValidityStatus.IN_NOTICE
    assert validity.in_force
    assert validity.ends_on == date(2026, 12, 31)
    assert validity.period_end == date(2026, 12, 31)


def test_agreement_given_notice_in_time_is_still_in_force_on_its_last_day():
    validity = blekinge_on(date(2026, 12, 31), notice_given_on=date(2025, 12, 31))
    assert validity.status == ValidityStatus.IN_NOTICE
    assert validity.ends_on == date(2026, 12, 31)


def test_agreement_given_notice_in_time_is_terminated_after_its_end():
    validity = blekinge_on(date(2027, 1, 1), notice_given_on=date(2025, 12, 31))
    assert validity.status == ValidityStatus.TERMINATED
    assert not validity.in_force
    assert validity.ends_on == date(2026, 12, 31)
    assert validity.notice_deadline is None


def test_notice_the_day_after_the_deadline_is_too_late_and_the_agreement_runs_another_period():
    validity = blekinge_on(date(2027, 6, 1), notice_given_on=date(2026, 1, 1))
    assert validity.status == ValidityStatus.IN_NOTICE
    assert validity.period_end == date(2028, 12, 31)
    assert validity.ends_on == date(2028, 12, 31)


def test_notice_that_came_too_late_still_ends_the_agreement_after_the_next_period():
    assert blekinge_on(date(2028, 12, 31), notice_given_on=date(2026, 1, 1)).in_force
    validity = blekinge_on(date(2029, 1, 1), notice_given_on=date(2026, 1, 1))
    assert validity.status == ValidityStatus.TERMINATED
    assert validity.ends_on == date(2028, 12, 31)


def test_end_of_an_agreement_given_notice_too_late_is_known_as_soon_as_notice_is_given():
    validity = blekinge_on(date(2026, 6, 1), notice_given_on=date(2026, 1, 1))
    assert validity.status == ValidityStatus.IN_NOTICE
    assert validity.ends_on == date(2028, 12, 31)


def test_notice_given_before_the_day_puts_the_agreement_in_its_notice_period():
    validity = blekinge_on(date(2025, 3, 1), notice_given_on=date(2025, 2, 1))
    assert validity.status == ValidityStatus.IN_NOTICE
    assert validity.status.label == "Gäller, uppsagd"


def test_notice_recorded_for_a_later_day_does_not_yet_put_the_agreement_in_notice():
    validity = blekinge_on(date(2025, 1, 1), notice_given_on=date(2025, 2, 1))
    assert validity.status == ValidityStatus.IN_FORCE
    assert validity.ends_on == date(2026, 12, 31)


def test_agreement_without_extension_expires_after_its_end():
    terms = {**BLEKINGE, "extension_years": None}
    assert validity_on(date(2026, 12, 31), **terms).status == ValidityStatus.IN_FORCE
    validity = validity_on(date(2027, 1, 1), **terms)
    assert validity.status == ValidityStatus.EXPIRED
    assert not validity.in_force
    assert validity.ends_on == date(2026, 12, 31)


def test_agreement_without_notice_months_can_be_given_notice_any_day_of_the_period():
    terms = {**BLEKINGE, "notice_months": None}
    validity = validity_on(date(2026, 12, 1), notice_given_on=date(2026, 11, 30), **terms)
    assert validity.status == ValidityStatus.IN_NOTICE
    assert validity.notice_deadline is None
    assert validity.ends_on == date(2026, 12, 31)


def test_open_ended_agreement_is_in_force_from_its_start_without_end_or_deadline():
    terms = {"valid_from": date(2017, 1, 1), "valid_to": None, "notice_months": 12}
    assert validity_on(date(2016, 12, 31), **terms).status == ValidityStatus.NOT_YET_VALID
    validity = validity_on(date(2017, 1, 1), **terms)
    assert validity.status == ValidityStatus.IN_FORCE
    assert (validity.period_end, validity.notice_deadline, validity.ends_on) == (None, None, None)
    assert validity_on(date(2040, 1, 1), **terms).in_force


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (date(2023, 1, 31), 1, date(2023, 2, 28)),
        (date(2024, 1, 31), 1, date(2024, 2, 29)),
        (date(2024, 3, 31), -1, date(2024, 2, 29)),
        (date(2026, 12, 31), -12, date(2025, 12, 31)),
        (date(2026, 12, 31), 24, date(2028, 12, 31)),
        (date(2023, 11, 15), 3, date(2024, 2, 15)),
        (date(2024, 2, 29), 12, date(2025, 2, 28)),
    ],
)
def test_add_months_keeps_the_day_and_clamps_it_to_the_end_of_a_shorter_month(day, months, expected):
    assert add_months(day, months) == expected
