"""No lost updates: optimistic concurrency on top of the audit trail.

A form that changes a record carries ``seen``: the id of the record's latest history entry when the form
was shown. The service locks the row and compares. When somebody else saved in between, the save is refused
with a ``ConcurrentChange`` that says who changed what and when; the form comes back with what the user
wrote and the new ``seen``, so saving again is a choice made after reading the other change.

Every write of these records goes through a service that saves with simple-history, so the latest history
entry is a reliable version number, and no column or migration is needed.
"""

from django.core.exceptions import ValidationError
from django.db.models import Model, OuterRef, QuerySet, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from samverkan.history import changes_between


class ConcurrentChange(ValidationError):
    """The record changed after the user opened it; ``current`` is what ``seen`` should now be."""

    def __init__(self, messages: list[str], *, current: str):
        super().__init__(messages, code="conflict")
        self.current = current


def seen_of(instance: Model) -> str:
    """The version of ``instance`` to put in a form (one query)."""
    latest = instance.history.order_by("-history_id").values_list("history_id", flat=True).first()
    return str(latest or "")


def with_seen(queryset: QuerySet) -> QuerySet:
    """The queryset with each record's version annotated as ``seen`` (no query of its own)."""
    history = queryset.model.history.model.objects.filter(id=OuterRef("pk")).order_by("-history_id")
    return queryset.annotate(seen=Subquery(history.values("history_id")[:1]))


def guard(instance: Model, seen: str | None) -> None:
    """Lock the row and refuse when it changed since the form showed version ``seen``. Callers without a
    form (the importer, the demo, tests) pass nothing and are not checked; every form of the portal that
    changes these records sends ``seen``."""
    if not seen:
        return
    locked = type(instance)._default_manager.select_for_update().filter(pk=instance.pk)
    if not locked.exists():
        raise ConcurrentChange([_("Någon annan har tagit bort detta medan du arbetade.")], current="")
    current = seen_of(instance)
    if seen == current:
        return
    raise ConcurrentChange(_describe(instance, seen), current=current)


def _describe(instance: Model, seen: str) -> list[str]:
    """The refusal, then one line per change made since version ``seen``: who, when, and what."""
    records = list(
        instance.history.filter(history_id__gte=int(seen) if seen.isdigit() else 0)
        .select_related("history_user")
        .order_by("history_id")
    )
    lines = [
        _(
            "Någon annan har ändrat detta medan du arbetade, så din ändring är inte sparad. Det du skrev "
            "står kvar. Läs ändringarna nedan och spara igen om din version ska gälla."
        )
    ]
    before = records[0] if records and str(records[0].history_id) == seen else None
    for record in records:
        if record is before:
            continue
        user = record.history_user
        who = (user.get_full_name() or user.username) if user else _("Systemet")
        when = timezone.localtime(record.history_date).strftime("%Y-%m-%d %H:%M")
        changes = changes_between(record, before) if before is not None else []
        what = "; ".join(f"{c.field}: ”{c.old}” → ”{c.new}”" for c in changes) or (
            record.history_change_reason or _("ändrat")
        )
        lines.append(f"{who} {when}: {what}")
        before = record
    return lines
