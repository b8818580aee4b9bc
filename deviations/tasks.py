"""Background work for deviations and disputes, run through Django's tasks framework (settings.TASKS)."""

from datetime import date

from django.tasks import task

from deviations.models import Case


@task
def case_handlers_notify(case_id: int, subject: str) -> int:
    """E-mail the handlers of the case's current level; ``subject`` may contain ``%(ref)s``."""
    from deviations.services import notify_handlers

    return notify_handlers(Case.objects.select_related("handling_body").get(pk=case_id), subject)


@task
def overdue_cases_run(today: str | None = None) -> int:
    """The daily check (``manage.py enqueue_daily_jobs``): mark overdue cases and notify once per level."""
    from deviations.services import overdue_cases_flag

    return overdue_cases_flag(today=date.fromisoformat(today) if today else None)
