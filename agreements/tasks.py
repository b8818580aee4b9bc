"""Background work for agreements, run through Django's tasks framework (settings.TASKS)."""

from datetime import date

from django.tasks import task

from agreements.models import AgreementVersion
from agreements.pdf import stored_pdf


@task
def version_pdf_render(version_id: int) -> str:
    """Render and store the PDF of an adopted version so downloads never wait; returns its SHA-256."""
    version = AgreementVersion.objects.select_related("agreement__county").get(pk=version_id)
    return stored_pdf(version).sha256


@task
def notice_alerts_run(today: str | None = None) -> int:
    """The daily reminders about notice deadlines and end dates (``manage.py enqueue_daily_jobs``)."""
    from django.utils import timezone

    from agreements.notices import notice_alerts_send

    return notice_alerts_send(today=date.fromisoformat(today) if today else timezone.localdate())
