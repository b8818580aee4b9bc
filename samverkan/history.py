"""Attributing writes in the audit trail (django-simple-history)."""

from django.contrib.auth.models import User
from django.db.models import Model


def attribute(instance: Model, *, by: User | None, reason: str) -> None:
    """Record who makes the next save or delete of ``instance`` and why."""
    instance._history_user = by
    instance._change_reason = reason
