"""Files attached to agenda items: the secretary and the member who submitted the item attach them until the
meeting is held; everyone who may see the item downloads them, always as a download."""

import io
from datetime import timedelta
from pathlib import Path

import docx
import pytest
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from governance import services
from governance.models import AgendaItem, Attachment, Meeting
from tests.documents import pdf_bytes, word97
from tests.factories import docx_upload, pdf_upload
from tests.governance.conftest import Board, agenda, plan, record, submit

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@pytest.fixture
def meeting(board) -> Meeting:
    """A meeting in forty days with one accepted item (submitted by the first region member) and its agenda
    sent."""
    return agenda(board, timezone.now() + timedelta(days=40), "Årsrapport")


@pytest.fixture
def item(meeting) -> AgendaItem:
    return meeting.items.get()


@pytest.fixture
def submitter(board) -> User:
    return board.region[0].user


@pytest.fixture
def other_member(board) -> User:
    return board.region[1].user


def upload_url(item: AgendaItem) -> str:
    return reverse("governance:attachment_upload", args=[item.pk])


def post_file(client, user: User, item: AgendaItem, file):
    client.force_login(user)
    return client.post(upload_url(item), {"file": file})


def stored_files(settings) -> list[Path]:
    root = Path(settings.MEDIA_ROOT)
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def download(client, attachment: Attachment):
    return client.get(attachment.get_absolute_url())


def attach(item: AgendaItem, by: User, file=None) -> Attachment:
    return services.attachment_add(item=item, upload=file or pdf_upload(), by=by)


# --- Who may attach ----------------------------------------------------------------------------------


def test_the_secretary_attaches_a_file_to_an_item(client, board, item, settings):
    response = post_file(client, board.secretary.user, item, docx_upload("Underlag årsrapport.docx"))
    assert response.status_code == 302
    assert response.url.endswith(f"#item-{item.pk}")
    attachment = item.attachments.get()
    assert (attachment.name, attachment.content_type, attachment.uploaded_by) == (
        "Underlag_årsrapport.docx",
        DOCX,
        board.secretary.user,
    )
    assert attachment.file.name.startswith(f"governance/attachments/{item.meeting_id}/")
    assert stored_files(settings) == [Path(attachment.file.path)]


def test_the_member_who_submitted_the_item_attaches_a_file(client, item, submitter):
    assert post_file(client, submitter, item, pdf_upload()).status_code == 302
    assert item.attachments.get().uploaded_by == submitter


def test_a_county_administrator_attaches_like_the_secretary(client, item, blekinge_admin):
    assert post_file(client, blekinge_admin, item, pdf_upload()).status_code == 302


def test_another_member_cannot_attach_to_an_item_they_did_not_submit(client, item, other_member, board):
    assert post_file(client, other_member, item, pdf_upload()).status_code == 403
    assert post_file(client, board.chair.user, item, pdf_upload()).status_code == 403
    assert not Attachment.objects.exists()


def test_an_outsider_gets_403_for_a_public_meeting(client, item, karlskrona_official):
    assert post_file(client, karlskrona_official, item, pdf_upload()).status_code == 403


def test_an_outsider_gets_404_for_a_meeting_that_is_not_public(client, board, karlskrona_official):
    meeting = plan(board, timezone.now() + timedelta(days=40))
    item = submit(board, meeting, "Handlingsplan")
    assert post_file(client, karlskrona_official, item, pdf_upload()).status_code == 404


def test_the_public_is_sent_to_log_in(client, item):
    response = client.post(upload_url(item), {"file": pdf_upload()})
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))
    assert not Attachment.objects.exists()


def test_a_member_whose_membership_has_ended_can_no_longer_attach(client, board, item, submitter):
    services.membership_end(
        membership=board.region[0], ends_on=timezone.localdate() - timedelta(days=1), by=None, reason="Avgått"
    )
    assert post_file(client, submitter, item, pdf_upload()).status_code == 403


def test_attaching_is_a_post(client, board, item):
    client.force_login(board.secretary.user)
    assert client.get(upload_url(item)).status_code == 405


# --- Refused files -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("file", "reason"),
    [
        pytest.param(
            SimpleUploadedFile("kallelse.pdf", b"<html><body>inte en pdf</body></html>"),
            "Filens innehåll stämmer inte med filtypen .pdf.",
            id="content",
        ),
        pytest.param(
            SimpleUploadedFile("program.exe", b"MZ\x90\x00"), "Filtypen .exe tas inte emot.", id="type"
        ),
        pytest.param(SimpleUploadedFile("tom.pdf", b""), "Den skickade filen är tom.", id="empty"),
        pytest.param(SimpleUploadedFile("%%%", b"%PDF-1.7\n"), "Filtypen .? tas inte emot.", id="no-name"),
        pytest.param(
            SimpleUploadedFile("makro.doc", word97(macros=True)),
            "Filen innehåller makron eller annan körbar kod",
            id="macros",
        ),
        pytest.param(
            SimpleUploadedFile("underlag.pdf", pdf_bytes("Underlag", "Gäller 811218-9876")),
            "Filen innehåller personnummer eller samordningsnummer: 811218-**** (sidan 2).",
            id="personal-identity-number",
        ),
    ],
)
def test_a_refused_file_is_explained_next_to_the_field_and_nothing_is_stored(
    client, board, item, settings, file, reason
):
    response = post_file(client, board.secretary.user, item, file)
    assert response.status_code == 400
    html = response.content.decode()
    assert reason in html
    assert 'id="id_file_error"' in html and 'aria-invalid="true"' in html
    assert "Årsrapport" in html  # the meeting page, with the agenda
    assert not Attachment.objects.exists()
    assert stored_files(settings) == []


def test_a_file_over_the_limit_is_refused_with_the_limit(client, board, item, settings):
    settings.UPLOAD_MAX_BYTES = 1024
    response = post_file(client, board.secretary.user, item, pdf_upload(content=b"%PDF-1.7\n" + b"0" * 2048))
    assert response.status_code == 400
    assert "Största tillåtna storlek är 1,0\xa0kB." in response.content.decode()
    assert not Attachment.objects.exists()


def test_a_post_without_a_file_is_refused(client, board, item):
    client.force_login(board.secretary.user)
    assert client.post(upload_url(item), {}).status_code == 400


def test_the_service_refuses_with_the_reason_on_the_file_field(item, submitter):
    with pytest.raises(ValidationError) as caught:
        attach(item, submitter, SimpleUploadedFile("makro.docx", b"PK\x03\x04"))
    assert list(caught.value.message_dict) == ["file"]


# --- Downloads and who sees them ---------------------------------------------------------------------


def test_a_download_is_always_served_as_an_attachment_of_its_own_type(client, item, submitter):
    attachment = attach(item, submitter, docx_upload("Underlag.docx", text="Siffror för 2026"))
    response = download(client, attachment)
    assert response.status_code == 200
    assert response["Content-Type"] == DOCX
    assert response["Content-Disposition"] == 'attachment; filename="Underlag.docx"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "private, no-store"
    assert b"".join(response.streaming_content) == attachment.file.open("rb").read()


def test_a_swedish_file_name_is_kept_in_the_download(client, item, submitter):
    attachment = attach(item, submitter, pdf_upload("Åtgärdsplan.pdf"))
    disposition = download(client, attachment)["Content-Disposition"]
    assert disposition.startswith("attachment;") and "%C3%85tg%C3%A4rdsplan.pdf" in disposition


def test_the_public_downloads_attachments_of_items_on_a_published_agenda(client, item, submitter):
    attachment = attach(item, submitter)
    html = client.get(item.meeting.get_absolute_url()).content.decode()
    assert attachment.get_absolute_url() in html
    assert download(client, attachment).status_code == 200


def test_attachments_of_a_rejected_item_are_seen_by_members_only(client, board, karlskrona_official):
    meeting = plan(board, timezone.now() + timedelta(days=40))
    rejected = submit(board, meeting, "Ej aktuellt")
    attachment = attach(rejected, board.region[0].user)
    services.agenda_item_decide(item=rejected, decision=AgendaItem.Status.REJECTED, by=board.secretary.user)
    services.agenda_publish(
        meeting=meeting, by=board.secretary.user, now=meeting.agenda_deadline - timedelta(days=1)
    )
    assert download(client, attachment).status_code == 404
    assert attachment.get_absolute_url() not in client.get(meeting.get_absolute_url()).content.decode()
    client.force_login(karlskrona_official)
    assert download(client, attachment).status_code == 404
    client.force_login(board.region[1].user)
    assert download(client, attachment).status_code == 200


def test_attachments_of_a_meeting_that_is_not_public_are_seen_by_members_only(
    client, board, karlskrona_official
):
    meeting = plan(board, timezone.now() + timedelta(days=40))
    attachment = attach(submit(board, meeting, "Handlingsplan"), board.region[0].user)
    assert download(client, attachment).status_code == 404
    client.force_login(karlskrona_official)
    assert download(client, attachment).status_code == 404
    client.force_login(board.municipal[0].user)
    assert download(client, attachment).status_code == 200


def test_a_missing_stored_file_is_404_not_an_error(client, item, submitter):
    attachment = attach(item, submitter)
    Path(attachment.file.path).unlink()
    assert download(client, attachment).status_code == 404


def test_an_unknown_attachment_is_404(client, db):
    assert client.get(reverse("governance:attachment", args=[999999])).status_code == 404


def test_the_meeting_page_offers_the_upload_form_only_to_those_who_may_attach(
    client, board, item, submitter, settings
):
    settings.UPLOAD_MAX_BYTES = 10 * 1024 * 1024
    url = item.meeting.get_absolute_url()
    form_action = f'action="{upload_url(item)}"'
    client.force_login(submitter)
    html = client.get(url).content.decode()
    assert form_action in html
    assert 'accept=".pdf,.docx,.xlsx,.pptx,.odt,.ods,.odp,.doc,.xls,.ppt"' in html
    assert "högst 10,0\xa0MB" in html
    client.force_login(board.region[1].user)
    assert form_action not in client.get(url).content.decode()
    client.logout()
    assert form_action not in client.get(url).content.decode()


# --- Removing ----------------------------------------------------------------------------------------


def remove_url(attachment: Attachment) -> str:
    return reverse("governance:attachment_remove", args=[attachment.pk])


def test_the_submitter_removes_an_attachment_and_the_history_records_who(client, item, submitter):
    attachment = attach(item, submitter)
    client.force_login(submitter)
    assert client.post(remove_url(attachment)).status_code == 302
    assert not Attachment.objects.exists()
    removal = Attachment.history.filter(id=attachment.pk).latest("history_date")
    assert (removal.history_type, removal.history_user, removal.history_change_reason) == (
        "-",
        submitter,
        "Bilaga borttagen",
    )
    assert Path(attachment.file.path).exists()  # the file stays for the history


def test_another_member_cannot_remove_an_attachment(client, item, submitter, other_member):
    attachment = attach(item, submitter)
    client.force_login(other_member)
    assert client.post(remove_url(attachment)).status_code == 403
    assert Attachment.objects.filter(pk=attachment.pk).exists()


def test_an_outsider_gets_404_when_removing_from_a_meeting_that_is_not_public(
    client, board, karlskrona_official
):
    meeting = plan(board, timezone.now() + timedelta(days=40))
    attachment = attach(submit(board, meeting, "Handlingsplan"), board.region[0].user)
    client.force_login(karlskrona_official)
    assert client.post(remove_url(attachment)).status_code == 404


# --- After the meeting -------------------------------------------------------------------------------


def test_after_the_meeting_is_held_nobody_attaches_or_removes(client, board, meeting, item, submitter):
    attachment = attach(item, submitter)
    record(board, meeting)
    assert post_file(client, board.secretary.user, item, pdf_upload()).status_code == 403
    assert client.post(remove_url(attachment)).status_code == 403
    assert Attachment.objects.filter(pk=attachment.pk).exists()
    item.meeting.refresh_from_db()
    with pytest.raises(ValidationError, match="Protokoll under arbete"):
        attach(item, board.secretary.user)
    with pytest.raises(ValidationError, match="Protokoll under arbete"):
        services.attachment_remove(attachment=attachment, by=board.secretary.user)


def test_attachments_of_a_held_meeting_are_still_downloaded(client, board, meeting, item, submitter):
    attachment = attach(item, submitter)
    record(board, meeting)
    assert download(client, attachment).status_code == 200


# --- Föredragning of an item -------------------------------------------------------------------------


def test_the_memo_of_an_item_is_a_word_document_for_those_who_see_the_item(
    client, board, karlskrona_official
):
    meeting = plan(board, timezone.now() + timedelta(days=40))
    item = submit(board, meeting, "Handlingsplan")
    url = reverse("governance:item_memo", args=[item.pk])
    assert client.get(url).status_code == 404
    client.force_login(karlskrona_official)
    assert client.get(url).status_code == 404
    client.force_login(board.region[1].user)
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == DOCX
    assert response["Content-Disposition"].startswith('attachment; filename="foredragning-')


# --- The meeting's notice as a Word document ---------------------------------------------------------


def docx_text(response) -> str:
    document = docx.Document(io.BytesIO(response.content))
    return "\n".join(cell.text for table in document.tables for row in table.rows for cell in row.cells)


def test_a_members_notice_lists_rejected_items_and_is_never_cached_publicly(client, board):
    meeting = plan(board, timezone.now() + timedelta(days=40))
    for title, decision in [
        ("Årsrapport", AgendaItem.Status.ACCEPTED),
        ("Ej aktuellt", AgendaItem.Status.REJECTED),
    ]:
        services.agenda_item_decide(
            item=submit(board, meeting, title), decision=decision, by=board.secretary.user
        )
    services.agenda_publish(
        meeting=meeting, by=board.secretary.user, now=meeting.agenda_deadline - timedelta(days=1)
    )
    record(board, meeting)
    adjuster = board.region[0].user
    services.protocol_send_for_adjustment(meeting=meeting, adjusters=[adjuster], by=board.secretary.user)
    services.protocol_adjust(meeting=meeting, by=adjuster)
    services.protocol_publish(meeting=meeting, by=board.secretary.user)
    url = reverse("governance:meeting_docx", args=[meeting.pk, "kallelse"])

    public = client.get(url)
    assert public["Cache-Control"] == "public, max-age=300"
    assert "Årsrapport" in docx_text(public) and "Ej aktuellt" not in docx_text(public)

    client.force_login(board.region[1].user)
    own = client.get(url)
    assert "Ej aktuellt (avvisat)" in docx_text(own)
    assert own["Cache-Control"] == "private, no-cache"


# --- Query counts ------------------------------------------------------------------------------------


def meeting_with_attachments(board: Board, days: int, count: int) -> Meeting:
    """A published agenda with ``count`` items, two attachments on each and written views on every item."""
    meeting = agenda(board, timezone.now() + timedelta(days=days), *[f"Ärende {n}" for n in range(count)])
    for item in meeting.items.all():
        attach(item, board.region[0].user)
        attach(item, board.secretary.user, docx_upload())
        for membership in board.municipal[:2]:
            services.written_views_send(meeting=meeting, by=membership.user, text="Tillstyrker.", item=item)
    services.written_views_send(meeting=meeting, by=board.region[2].user, text="Jag kan inte komma.")
    return meeting


@pytest.mark.parametrize("persona", ["secretary", "submitter", "public"])
def test_meeting_page_query_count_is_flat_with_attachments_and_written_views(client, board, persona):
    user = {"secretary": board.secretary.user, "submitter": board.region[0].user, "public": None}[persona]
    if user:
        client.force_login(user)
    small = meeting_with_attachments(board, 40, 2)
    large = meeting_with_attachments(board, 70, 6)
    client.get(small.get_absolute_url())
    with CaptureQueriesContext(connection) as few:
        assert client.get(small.get_absolute_url()).status_code == 200
    with CaptureQueriesContext(connection) as many:
        html = client.get(large.get_absolute_url()).content.decode()
    assert html.count('class="attachments"') == 6
    assert len(many) == len(few), [q["sql"] for q in many.captured_queries]
