"""Validity of an agreement on a date: periods, automatic extension, notice and termination, and which of
its versions is in force. ``agreement_state_on`` is the one answer every page, the API and the notice
watch give about an agreement on a day.

An agreement runs from ``valid_from`` to ``valid_to``. With ``extension_years`` it is extended by that
many years at a time unless notice was given at least ``notice_months`` before the end of the period.
Notice given later takes effect at the end of the next period that it is in time for.
"""

import calendar
from dataclasses import dataclass
from datetime import date
from typing import Any

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
    period_end: date | None  # end of the current period, extensions that have taken effect included
    notice_deadline: date | None  # latest day to give notice for the agreement to end at period_end
    ends_on: date | None  # the day the agreement ends, when that is known

    @property
    def in_force(self) -> bool:
        return self.status in {ValidityStatus.IN_FORCE, ValidityStatus.EXTENDED, ValidityStatus.IN_NOTICE}


def _deadline(period_end: date, notice_months: int | None) -> date | None:
    return add_months(period_end, -notice_months) if notice_months else None


def _cutoff(period_end: date, notice_months: int | None) -> date:
    """The last day notice ends the agreement at ``period_end`` (without a notice period: that day itself)."""
    return _deadline(period_end, notice_months) or period_end


def validity_on(
    day: date,
    *,
    valid_from: date,
    valid_to: date | None,
    notice_months: int | None = None,
    extension_years: int | None = None,
    notice_given_on: date | None = None,
) -> Validity:
    """The status of an agreement with these terms on ``day``.

    The current period is the first one whose end is still open on ``day``: once the last day for notice
    of a period has passed without notice, the automatic extension has taken effect and the current period
    (with its end and its notice deadline) is the next one. Notice in time for a period ends the agreement
    at that period's end (``ends_on``)."""
    if valid_to is None:
        if day < valid_from:
            return Validity(ValidityStatus.NOT_YET_VALID, None, None, None)
        return Validity(ValidityStatus.IN_FORCE, None, None, None)

    period_end, extended, ends_on = valid_to, False, valid_to
    if extension_years:
        while True:
            cutoff = _cutoff(period_end, notice_months)
            if notice_given_on is not None and notice_given_on <= cutoff:
                ends_on = period_end
                break
            if day <= cutoff:
                ends_on = None
                break
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


class VersionState(models.TextChoices):
    DRAFT = "draft", _("Utkast")
    IN_FORCE = "in_force", pgettext_lazy("version status", "Gällande")
    PENDING = "pending", _("Antagen, gäller ännu inte")
    SUPERSEDED = "superseded", _("Ersatt")
    ENDED = "ended", _("Gällde när överenskommelsen upphörde")


def _is_published(version: Any) -> bool:
    return version.status != "draft" and version.effective_from is not None


@dataclass(frozen=True)
class AgreementState:
    """An agreement on a day: its validity and the state of each of its versions."""

    day: date
    validity: Validity
    version: Any  # the published version that took effect last by the day (also after the agreement ended)
    version_states: dict[int, VersionState]  # by version number

    @property
    def status(self) -> ValidityStatus:
        return self.validity.status

    @property
    def in_force(self) -> bool:
        return self.validity.in_force

    @property
    def period_end(self) -> date | None:
        return self.validity.period_end

    @property
    def ends_on(self) -> date | None:
        return self.validity.ends_on

    @property
    def next_notice_deadline(self) -> date | None:
        """The last day to give notice, while notice can still end the agreement."""
        if not self.in_force or self.ends_on is not None:
            return None
        return self.validity.notice_deadline

    @property
    def version_in_force(self) -> Any:
        return self.version if self.in_force else None

    def state_of(self, version: Any) -> VersionState:
        return self.version_states[version.number]


def agreement_state_on(agreement: Any, day: date, versions: list) -> AgreementState:
    """The agreement on ``day``. The version in force is the highest-numbered adopted version whose
    effective date has come; later adopted ones are pending and lower-numbered ones superseded."""
    validity = validity_on(
        day,
        valid_from=agreement.valid_from,
        valid_to=agreement.valid_to,
        notice_months=agreement.notice_months,
        extension_years=agreement.extension_years,
        notice_given_on=agreement.notice_given_on,
    )
    started = [v for v in versions if _is_published(v) and v.effective_from <= day]
    current = max(started, key=lambda v: v.number, default=None)
    if current is None or validity.status == ValidityStatus.NOT_YET_VALID:
        current_state = VersionState.PENDING
    else:
        current_state = VersionState.IN_FORCE if validity.in_force else VersionState.ENDED
    states = {}
    for v in versions:
        if not _is_published(v):
            states[v.number] = VersionState.DRAFT
        elif current is not None and v.number < current.number:
            states[v.number] = VersionState.SUPERSEDED
        elif v.number == getattr(current, "number", None):
            states[v.number] = current_state
        else:
            states[v.number] = VersionState.PENDING
    return AgreementState(day, validity, current, states)
