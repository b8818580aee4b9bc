"""The audit trail (django-simple-history): attributing writes, and reading them back as a history page."""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db.models import Model, QuerySet
from django.utils.formats import localize
from django.utils.translation import gettext_lazy as _

from samverkan.personal_data import validate_no_identity_numbers

KINDS = {"+": _("Skapad"), "~": _("Ändrad"), "-": _("Borttagen")}
SKIPPED = {"search", "order"}  # derived or noisy fields that say nothing to a reader
SESSION_GAP = timedelta(minutes=30)  # one person's changes closer together than this are one sitting


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
    source: str = ""
    history_type: str = ""
    note: str = ""


@dataclass
class HistoryGroup:
    """One person's changes made at one sitting, newest first."""

    user: User | None
    entries: list[HistoryEntry]

    @property
    def first(self) -> datetime:
        return self.entries[-1].at

    @property
    def last(self) -> datetime:
        return self.entries[0].at


def shorten(text: str, limit: int) -> str:
    """``text`` cut to at most ``limit`` characters at a word boundary, with "…" when cut."""
    text = " ".join(str(text).split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    if " " in cut and not text[limit - 1].isspace():
        cut = cut.rsplit(" ", 1)[0]
    return cut.rstrip(" ,.;:–-") + "…"


def _display(model_field, value) -> str:
    """A stored value as a reader knows it: a choice's label, yes/no, dates and numbers localised."""
    if value in (None, ""):
        return "–"
    if model_field.choices:
        value = dict(model_field.flatchoices).get(value, value)
    elif isinstance(value, bool):
        value = _("ja") if value else _("nej")
    else:
        value = localize(value)
    return shorten(str(value), 300)


def changes_between(record, before) -> list[Change]:
    """What changed from historical record ``before`` to ``record`` of the same object, field by field."""
    delta = record.diff_against(before)
    changes = []
    for c in delta.changes:
        if c.field in SKIPPED:
            continue
        model_field = record._meta.get_field(c.field)
        changes.append(
            Change(str(model_field.verbose_name), _display(model_field, c.old), _display(model_field, c.new))
        )
    return changes


def history_of(
    *sources: tuple[str, QuerySet, Callable | None], quiet: Callable | None = None
) -> list[HistoryEntry]:
    """Who changed what and when, newest first, over several historical querysets.

    Each source is (label, historical records, describe) where describe(record) names the object (default:
    the label and id). Each change is compared with the previous record of the same object in memory, so the
    page costs one query per source however long the history is. Records for which ``quiet(label, record)``
    is true (e.g. the copying of a previous version) are the baseline of later changes but not listed."""
    entries = []
    for label, records, describe in sources:
        previous = {}
        for record in records.select_related("history_user").order_by("history_date", "history_id"):
            before = previous.get(record.id)
            previous[record.id] = record
            if quiet is not None and quiet(label, record):
                continue
            changes = []
            if before is not None and record.history_type == "~":
                changes = changes_between(record, before)
            entries.append(
                HistoryEntry(
                    at=record.history_date,
                    user=record.history_user,
                    what=describe(record) if describe else f"{label} #{record.id}",
                    kind=str(KINDS.get(record.history_type, record.history_type)),
                    reason=record.history_change_reason or "",
                    changes=changes,
                    source=str(label),
                    history_type=record.history_type,
                )
            )
    return sorted(entries, key=lambda e: e.at, reverse=True)


def grouped(entries: list[HistoryEntry], *, gap: timedelta = SESSION_GAP) -> list[HistoryGroup]:
    """``entries`` (newest first) as sittings: consecutive changes by one person less than ``gap`` apart."""
    groups: list[HistoryGroup] = []
    for entry in entries:
        group = groups[-1] if groups else None
        if group and group.user == entry.user and group.first - entry.at <= gap:
            group.entries.append(entry)
        else:
            groups.append(HistoryGroup(user=entry.user, entries=[entry]))
    return groups
