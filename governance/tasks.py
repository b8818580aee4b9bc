"""Background work for governance, run through Django's tasks framework (settings.TASKS)."""

from django.tasks import task

from governance.models import Meeting


@task
def agenda_members_notify_run(meeting_id: int) -> int:
    """E-mail the body's current members that the agenda of the meeting is out; returns how many."""
    from governance.services import agenda_members_notify

    return agenda_members_notify(Meeting.objects.select_related("body").get(pk=meeting_id))
