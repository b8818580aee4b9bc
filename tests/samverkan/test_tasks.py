"""Background work: requests and services queue e-mail and the daily jobs for the worker instead of doing
them, and the database-backed worker (django-tasks-db, as in production) runs what was queued."""

import pytest
from django.core import mail
from django.core.management import call_command
from django.tasks import default_task_backend, task_backends

from samverkan.tasks import email_enqueue, email_send


def test_an_email_is_queued_only_when_the_transaction_commits(
    db, run_tasks, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        email_enqueue(subject="Hej", body="Text", to=["a@example.se", "b@example.se"])
    assert mail.outbox == []
    assert [r.kwargs["to"] for r in default_task_backend.results] == [["a@example.se", "b@example.se"]]
    run_tasks()
    assert [m.to for m in mail.outbox] == [["a@example.se"], ["b@example.se"]]


def test_an_email_without_recipients_queues_nothing(db, run_tasks, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        email_enqueue(subject="Hej", body="Text", to=[])
    assert default_task_backend.results == []


def test_the_daily_jobs_command_only_queues_the_checks(db, run_tasks):
    call_command("enqueue_daily_jobs", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert [r.task.name for r in default_task_backend.results] == [
        "notice_alerts_run",
        "overdue_cases_run",
        "metadata_refresh_run",
    ]
    assert mail.outbox == []
    assert [r.task.name for r in run_tasks()] == [
        "notice_alerts_run",
        "overdue_cases_run",
        "metadata_refresh_run",
    ]


# The worker closes and reopens database connections, so the test needs real commits (and puts the
# reference data back afterwards).
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_production_stores_tasks_in_the_database_and_the_worker_runs_them(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    from django_tasks_db.models import DBTaskResult

    assert type(task_backends["default"]).__name__ == "DatabaseBackend"
    result = email_send.enqueue(subject="Kallelse", body="Dagordningen", to=["c@example.se"])
    assert DBTaskResult.objects.filter(id=result.id, status="READY").exists()
    assert mail.outbox == []
    worker = ["db_worker", "--batch", "--no-startup-delay", "--no-reload"]
    call_command(*worker, stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert DBTaskResult.objects.get(id=result.id).status == "SUCCESSFUL"
    assert [m.to for m in mail.outbox] == [["c@example.se"]]
