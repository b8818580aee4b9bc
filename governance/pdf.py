"""The notice of meeting (kallelse och dagordning) and the protocol as PDF, in the shared print style."""

from django.utils import timezone

from governance import selectors
from governance.models import Meeting
from samverkan.documents.pdf import render_pdf


def render_meeting_pdf(meeting: Meeting, *, kind: str) -> bytes:
    """kind is "kallelse" or "protokoll". A protocol that is not yet adjusted is marked UTKAST. Raises
    PdfRenderError (and logs) when WeasyPrint fails."""
    attendance, paragraphs = selectors.meeting_protocol(meeting) if kind == "protokoll" else ([], [])
    context = {
        "meeting": meeting,
        "body": meeting.body,
        "kind": kind,
        "items": selectors.meeting_agenda(meeting, unpublished=False),
        "attendance": attendance,
        "paragraphs": paragraphs,
        "signatories": selectors.protocol_signatories(meeting) if kind == "protokoll" else None,
        "draft": kind == "protokoll" and not meeting.protocol_locked,
        "created": timezone.now(),
    }
    return render_pdf("governance/pdf/meeting.html", context, subject=f"{kind} {meeting}")
