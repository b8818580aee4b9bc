import io
from datetime import timedelta
from unittest import mock

from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from governance import services
from tests.governance.conftest import agenda, plan, record


def text(response) -> str:
    return " ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)


def pdf(client, meeting, kind):
    return client.get(reverse("governance:meeting_pdf", args=[meeting.pk, kind]))


def test_notice_pdf_lists_the_agenda_for_the_public(client, board):
    meeting = agenda(board, timezone.now() + timedelta(days=30), "Årsrapport 2026")
    response = pdf(client, meeting, "kallelse")
    assert response.status_code == 200
    content = text(response)
    assert "Kallelse och dagordning" in content and "Årsrapport 2026" in content


def test_notice_of_a_planned_meeting_is_not_public(client, board):
    assert pdf(client, plan(board, timezone.now() + timedelta(days=30)), "kallelse").status_code == 404


def test_draft_protocol_pdf_is_for_members_and_marked_as_draft(client, board):
    meeting = agenda(board, timezone.now() + timedelta(days=30), "Handlingsplan")
    record(board, meeting)
    assert pdf(client, meeting, "protokoll").status_code == 404
    client.force_login(board.region[0].user)
    response = pdf(client, meeting, "protokoll")
    content = text(response)
    assert "§ 1 Handlingsplan" in content and "UTKAST" in content


def test_published_protocol_pdf_is_public_with_adjusters(client, board):
    meeting = agenda(board, timezone.now() + timedelta(days=30), "Handlingsplan")
    record(board, meeting)
    adjuster = board.region[0].user
    services.protocol_send_for_adjustment(meeting=meeting, adjusters=[adjuster], by=board.secretary.user)
    services.protocol_adjust(meeting=meeting, by=adjuster)
    services.protocol_publish(meeting=meeting, by=board.secretary.user)
    content = text(pdf(client, meeting, "protokoll"))
    assert "Protokoll" in content and "Justering" in content and "UTKAST" not in content
    assert adjuster.get_full_name() in content


def test_unknown_document_kind_is_404(client, board):
    meeting = agenda(board, timezone.now() + timedelta(days=30), "Ett")
    assert pdf(client, meeting, "annat").status_code == 404


def test_the_protocol_pdf_has_lines_for_the_chair_the_secretary_and_the_adjusters(client, board):
    meeting = agenda(board, timezone.now() - timedelta(days=2), "Handlingsplan")
    record(board, meeting)
    adjuster = board.region[0].user
    services.protocol_send_for_adjustment(meeting=meeting, adjusters=[adjuster], by=board.secretary.user)
    client.force_login(adjuster)
    content = text(pdf(client, meeting, "protokoll"))
    signatures = content[content.index("Justering och underskrifter") :]
    for role, person in [
        ("Ordförande", board.chair.user),
        ("Sekreterare", board.secretary.user),
        ("Justerare", adjuster),
    ]:
        assert f"{role}\n{person.get_full_name()}" in signatures


def test_a_failed_meeting_pdf_shows_an_error_page_that_leads_back_to_the_meeting(client, board, caplog):
    meeting = agenda(board, timezone.now() + timedelta(days=30), "Årsrapport 2026")
    with mock.patch("weasyprint.HTML.write_pdf", side_effect=RuntimeError("boom")):
        response = pdf(client, meeting, "kallelse")
    assert response.status_code == 500 and "PDF rendering failed for kallelse" in caplog.text
    html = response.content.decode()
    assert "PDF:en kunde inte skapas" in html and "överenskommelsen" not in html
    assert f'<a href="{meeting.get_absolute_url()}">Tillbaka till {meeting.body}' in html
