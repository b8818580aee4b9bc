"""Agenda items, protocol paragraphs, corrections, written views and attachments refuse personal identity
numbers before anything is stored (issue 19)."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from governance import services
from governance.models import AgendaItem, Attachment, Correction, Paragraph, WrittenViews
from tests.factories import pdf_upload
from tests.governance.conftest import agenda, plan, record, submit


def post(client, user, name, pk, data=None):
    client.force_login(user)
    return client.post(reverse(f"governance:{name}", args=[pk]), data or {})


def test_an_agenda_item_about_a_client_is_refused_next_to_the_title_and_never_stored(client, board):
    meeting = plan(board, timezone.now() + timedelta(days=30))
    response = post(
        client,
        board.region[0].user,
        "item_submit",
        meeting.pk,
        {"title": "Ärende om brukare 19121212-1212", "kind": "decision", "proposal": "Godkänns."},
    )
    assert response.status_code == 400
    assert response.context["item_form"].has_error("title", "personal_identity_number")
    assert "19121212-****" in response.text
    assert not AgendaItem.objects.exists()


def test_the_service_refuses_an_agenda_item_with_a_coordination_number(board):
    meeting = plan(board, timezone.now() + timedelta(days=30))
    with pytest.raises(ValidationError) as error:
        submit(board, meeting, "Samordning", proposal="Gäller 640883-3231")
    assert "proposal" in error.value.message_dict
    assert not AgendaItem.objects.exists()


def test_a_paragraph_with_an_identity_number_is_refused_next_to_the_field_and_keeps_the_text(client, board):
    meeting = record(board, agenda(board, timezone.now() + timedelta(days=30), "Årsrapport"))
    paragraph = Paragraph.objects.get(meeting=meeting)
    written = {"notes": "Diskuterades, gäller 811218 - 9876.", "decision": "Godkänns."}
    response = post(client, board.secretary.user, "paragraph_save", paragraph.pk, written)
    assert response.status_code == 400
    assert f'id="notes-{paragraph.pk}-error"' in response.text and "811218 - ****" in response.text
    assert "Diskuterades, gäller" in response.text  # what was written is not lost
    paragraph.refresh_from_db()
    assert paragraph.notes == "" and paragraph.decision == "Att godkänna årsrapport."
    with pytest.raises(ValidationError):
        services.paragraph_write(
            paragraph=paragraph, notes="", decision="811218-9876", by=board.secretary.user
        )


def test_corrections_and_written_views_refuse_identity_numbers(board):
    meeting = agenda(board, timezone.now() + timedelta(days=30), "Årsrapport")
    with pytest.raises(ValidationError):
        services.written_views_send(meeting=meeting, by=board.region[0].user, text="Om 19121212-1212")
    assert not WrittenViews.objects.exists()
    record(board, meeting)
    paragraph = Paragraph.objects.get(meeting=meeting)
    adjuster = board.region[0].user
    services.protocol_send_for_adjustment(meeting=meeting, adjusters=[adjuster], by=board.secretary.user)
    services.protocol_adjust(meeting=meeting, by=adjuster)
    with pytest.raises(ValidationError):
        services.paragraph_correct(
            paragraph=paragraph, text="Rätt nummer 19121212-1212", by=board.secretary.user
        )
    assert not Correction.objects.exists()


def test_a_late_reason_with_an_identity_number_keeps_the_agenda_unpublished(client, board):
    meeting = plan(board, timezone.now() + timedelta(days=3))
    response = post(
        client, board.secretary.user, "agenda_publish", meeting.pk, {"late_reason": "811218-9876"}
    )
    assert response.status_code == 400
    assert response.context["publish_form"].has_error("late_reason", "personal_identity_number")
    meeting.refresh_from_db()
    assert meeting.status == meeting.Status.PLANNED and meeting.late_agenda_reason == ""


def test_an_attachment_named_after_a_person_is_refused_next_to_the_file_field(client, board):
    meeting = plan(board, timezone.now() + timedelta(days=30))
    item = submit(board, meeting, "Årsrapport")
    response = post(
        client,
        board.region[0].user,
        "attachment_upload",
        item.pk,
        {"file": pdf_upload("811218-9876 utredning.pdf")},
    )
    assert response.status_code == 400
    assert response.context["attachment_form"].has_error("file", "personal_identity_number")
    assert not Attachment.objects.exists()
