"""Background work shared by the apps, run by the task worker (settings.TASKS; `manage.py db_worker`)."""

import logging

from django.core.mail import send_mail
from django.db import transaction
from django.tasks import task
from django.utils.module_loading import import_string

logger = logging.getLogger(__name__)


@task
def email_send(*, subject: str, body: str, to: list[str]) -> int:
    """Send the message to each address on its own (recipients do not see each other); an address that
    fails is logged and the others still get theirs. Returns how many were sent."""
    sent = 0
    for address in to:
        try:
            sent += send_mail(subject, body, None, [address])
        except OSError:  # a mail server that is down must not stop the other messages
            logger.exception("Could not e-mail %s: %s", address, subject)
    return sent


def email_enqueue(*, subject: str, body: str, to: list[str]) -> None:
    """Queue an e-mail for the worker once the current transaction commits (nothing is sent if it rolls
    back), so that no request waits for the mail server."""
    if not to:
        return
    subject, body, to = str(subject), str(body), list(to)
    transaction.on_commit(lambda: email_send.enqueue(subject=subject, body=body, to=to))


def enqueue_on_commit(task_path: str, *args, **kwargs) -> None:
    """Queue the task named by its dotted path ("deviations.tasks.case_handlers_notify") once the current
    transaction commits. By name, so that a service can queue the task that calls it back without
    importing the task module: tasks call services, services only enqueue (no import circle)."""
    transaction.on_commit(lambda: import_string(task_path).enqueue(*args, **kwargs))
