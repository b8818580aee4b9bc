from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from governance import permissions, selectors
from governance.models import Body
from samverkan.models import County
from samverkan.selectors import acting_organisation


def directory(request: HttpRequest) -> HttpResponse:
    """Bodies by county and level, as a chart of who reports to whom. Officials start in their county."""
    code = request.GET.get("lan")
    if code is None:
        acting = acting_organisation(request) if request.user.is_authenticated else None
        code = acting.county.code if acting else "10"
    county = County.objects.filter(code=code).first()
    return render(
        request,
        "governance/directory.html",
        {
            "counties": County.objects.order_by("name"),
            "county": county,
            "tree": selectors.body_tree(county) if county else [],
            "levels": Body.Level,
        },
    )


def body_detail(request: HttpRequest, pk: int) -> HttpResponse:
    body = selectors.body_or_404(pk)
    upcoming, past = selectors.body_meetings(request.user, body)
    open_decisions, overdue = selectors.decisions_to_follow_up(body)
    return render(
        request,
        "governance/body.html",
        {
            "body": body,
            "children": body.children.order_by("name"),
            "seats": body.seats.select_related("organisation"),
            "members": selectors.current_members(body),
            "upcoming": upcoming,
            "past": past,
            "open_decisions": open_decisions,
            "overdue": overdue,
            "can_run": permissions.can_run_meetings(request.user, body),
        },
    )


def meeting_detail(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = selectors.meeting_or_404(request.user, pk)
    unpublished = permissions.can_see_unpublished(request.user, meeting.body)
    show_protocol = meeting.protocol_is_public or (unpublished and meeting.paragraphs.exists())
    attendance, paragraphs = selectors.meeting_protocol(meeting) if show_protocol else ([], [])
    return render(
        request,
        "governance/meeting.html",
        {
            "meeting": meeting,
            "body": meeting.body,
            "items": selectors.meeting_agenda(meeting, unpublished=unpublished),
            "show_protocol": show_protocol,
            "attendance": attendance,
            "paragraphs": paragraphs,
            "unpublished": unpublished,
        },
    )
