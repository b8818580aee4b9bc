"""The notice of meeting (kallelse och dagordning) and the protocol as PDF, in the agreements' print style."""

from django.template.loader import render_to_string
from django.utils import timezone, translation

from agreements.pdf import STATIC_DIR, PdfRenderError, _static_only_fetcher, logger
from governance import selectors
from governance.models import Meeting


def render_meeting_pdf(meeting: Meeting, *, kind: str) -> bytes:
    """kind is "kallelse" or "protokoll". A protocol that is not yet adjusted is marked UTKAST."""
    from weasyprint import HTML

    attendance, paragraphs = selectors.meeting_protocol(meeting) if kind == "protokoll" else ([], [])
    context = {
        "meeting": meeting,
        "body": meeting.body,
        "kind": kind,
        "items": selectors.meeting_agenda(meeting, unpublished=False),
        "attendance": attendance,
        "paragraphs": paragraphs,
        "signatories": selectors.protocol_signatories(meeting) if kind == "protokoll" else None,
        "draft": kind == "protokoll"
        and meeting.status not in (Meeting.Status.ADJUSTED, Meeting.Status.PUBLISHED),
        "created": timezone.now(),
    }
    with translation.override("sv"):
        html = render_to_string("governance/pdf/meeting.html", context)
    try:
        return HTML(
            string=html, base_url=STATIC_DIR.as_uri() + "/", url_fetcher=_static_only_fetcher()
        ).write_pdf(pdf_tags=True)
    except Exception as error:
        logger.exception("PDF rendering failed for %s %s", kind, meeting)
        raise PdfRenderError(str(error)) from error
