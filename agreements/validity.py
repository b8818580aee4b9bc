"""Validity of an agreement on a date: periods, automatic extension, notice and termination.

An agreement runs from ``valid_from`` to ``valid_to``. With ``extension_years`` it is extended by that
many years at a time unless notice was given at least ``notice_months`` before the end of the period.
Notice given later takes effect at the end of the next period that it is in time for.
"""

import calendar
from dataclasses import dataclass
from datetime import date

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class ValidityStatus(models.TextChoices):
    NOT_YET_VALID = "not_yet_valid", _("Ännu inte giltig")
    IN_FORCE = "in_force", pgettext_lazy("agreement status", "Gäller")
    EXTENDED = "extended", _("Gäller, förlängd")
    IN_NOTICE = "in_notice", _("Gäller, uppsagd")
    EXPIRED = "expired", _("Har upphört")
    TERMINATED = "terminated", _("Upphört efter uppsägning")


def add_months(day: date, months: int) -> date:
    """The same day ``months`` later (or earlier), clamped to the end of a shorter month."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


@dataclass(frozen=True)
class Validity:
    status: ValidityStatus
    period_end: date | None  # end of the period that contains the date (None: tills vidare)
    notice_deadline: date | None  # latest day to give notice for the agreement to end at period_end
    ends_on: date | None  # the day the agreement ends, when that is known

    @property
    def in_force(self) -> bool:
        return self.status in {ValidityStatus.IN_FORCE, ValidityStatus.EXTENDED, ValidityStatus.IN_NOTICE}


def _deadline(period_end: date, notice_months: int | None) -> date | None:
    return add_months(period_end, -notice_months) if notice_months else None


def _end_date(
    valid_to: date, notice_months: int | None, extension_years: int | None, notice_given_on: date | None
) -> date | None:
    """The day the agreement ends: the end of the first period that the notice was in time for, or
    valid_to when it is not extended. None when it runs on (extended, no notice)."""
    if not extension_years:
        return valid_to
    if notice_given_on is None:
        return None
    period_end = valid_to
    while True:
        deadline = _deadline(period_end, notice_months)
        if deadline is None or notice_given_on <= deadline:
            return period_end
        period_end = add_months(period_end, 12 * extension_years)


def validity_on(
    day: date,
    *,
    valid_from: date,
    valid_to: date | None,
    notice_months: int | None = None,
    extension_years: int | None = None,
    notice_given_on: date | None = None,
) -> Validity:
    """The status of an agreement with these terms on ``day``."""
    if valid_to is None:
        if day < valid_from:
            return Validity(ValidityStatus.NOT_YET_VALID, None, None, None)
        return Validity(ValidityStatus.IN_FORCE, None, None, None)

    ends_on = _end_date(valid_to, notice_months, extension_years, notice_given_on)
    # The period that contains `day` (or the last one, when the agreement has ended by then).
    period_end, extended = valid_to, False
    while day > period_end and period_end != ends_on:
        period_end, extended = add_months(period_end, 12 * extension_years), True

    deadline = _deadline(period_end, notice_months)
    if day < valid_from:
        return Validity(ValidityStatus.NOT_YET_VALID, period_end, deadline, ends_on)
    if day > period_end:
        status = (
            ValidityStatus.TERMINATED
            if notice_given_on and notice_given_on <= day
            else ValidityStatus.EXPIRED
        )
        return Validity(status, period_end, None, ends_on)
    if notice_given_on is not None and notice_given_on <= day:
        return Validity(ValidityStatus.IN_NOTICE, period_end, deadline, ends_on)
    status = ValidityStatus.EXTENDED if extended else ValidityStatus.IN_FORCE
    return Validity(status, period_end, deadline, ends_on)
