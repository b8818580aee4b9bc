"""The audit trail (django-simple-history): attributing writes, and reading them back as a history page."""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db.models import Model, QuerySet
from django.utils.translation import gettext_lazy as _

from samverkan.personal_data import validate_no_identity_numbers

KINDS = {"+": _("Skapad"), "~": _("Ändrad"), "-": _("Borttagen")}
SKIPPED = {"search", "order"}  # derived or noisy fields that say nothing to a reader


def attribute(instance: Model, *, by: User | None, reason: str) -> None:
    """Record who makes the next save or delete of ``instance`` and why. The reason is shown in the history:
    a personal identity number in it is refused (ValidationError on "reason") like in any other text."""
    try:
        validate_no_identity_numbers(str(reason or ""))
    except ValidationError as error:
        raise ValidationError({"reason": error.error_list}) from error
    instance._history_user = by
    instance._change_reason = reason


@dataclass
class Change:
    field: str
    old: str
    new: str


@dataclass
class HistoryEntry:
    at: datetime
    user: User | None
    what: str
    kind: str
    reason: str
    changes: list[Change] = field(default_factory=list)


def _text(value) -> str:
    text = "–" if value in (None, "") else str(value)
    return text if len(text) <= 300 else text[:297] + "…"


def changes_between(record, before) -> list[Change]:
    """What changed from historical record ``before`` to ``record`` of the same object, field by field."""
    delta = record.diff_against(before)
    return [
        Change(str(record._meta.get_field(c.field).verbose_name), _text(c.old), _text(c.new))
        for c in delta.changes
        if c.field not in SKIPPED
    ]


def history_of(*sources: tuple[str, QuerySet, Callable | None]) -> list[HistoryEntry]:
    """Who changed what and when, newest first, over several historical querysets.

    Each source is (label, historical records, describe) where describe(record) names the object (default:
    the label and id). Each change is compared with the previous record of the same object in memory, so the
    page costs one query per source however long the history is."""
    entries = []
    for label, records, describe in sources:
        previous = {}
        for record in records.select_related("history_user").order_by("history_date", "history_id"):
            before = previous.get(record.id)
            changes = []
            if before is not None and record.history_type == "~":
                changes = changes_between(record, before)
            previous[record.id] = record
            entries.append(
                HistoryEntry(
                    at=record.history_date,
                    user=record.history_user,
                    what=describe(record) if describe else f"{label} #{record.id}",
                    kind=str(KINDS.get(record.history_type, record.history_type)),
                    reason=record.history_change_reason or "",
                    changes=changes,
                )
            )
    return sorted(entries, key=lambda e: e.at, reverse=True)
