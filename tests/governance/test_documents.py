"""The body's templates as Word documents, opened again with python-docx and read back."""

import io
from datetime import date

import docx
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from governance import services, word
from governance.models import AgendaItem, Attachment, Attendance, Body, Decision, Meeting, ReportingLine, Seat
from governance.selectors import CycleEntry
from governance.word import TEMPLATE_KINDS
from samverkan.documents.word import DocumentFile
from tests.factories import organisation
from tests.governance.conftest import Board, agenda, at, record, submit

pytestmark = pytest.mark.django_db

WHEN = at(2026, 3, 12, 10)


def read(file: DocumentFile) -> docx.document.Document:
    return docx.Document(io.BytesIO(file.content))


def text(file: DocumentFile) -> str:
    """All paragraphs and table cells of the document, one per line."""
    document = read(file)
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return "\n".join([paragraph.text for paragraph in document.paragraphs] + cells)


def headings(file: DocumentFile) -> list[str]:
    return [p.text for p in read(file).paragraphs if p.style.name.startswith(("Heading", "Title"))]


def assert_docx(file: DocumentFile, stem_start: str) -> None:
    assert file.filename.isascii() and file.filename.endswith(".docx")
    assert file.filename.startswith(stem_start)
    assert file.content_type == "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    properties = read(file).core_properties
    assert properties.author == "Samverkan" and properties.language == "sv-SE"


def adjusted(board: Board, meeting: Meeting) -> Meeting:
    adjuster = board.region[0].user
    services.protocol_send_for_adjustment(meeting=meeting, adjusters=[adjuster], by=board.secretary.user)
    return services.protocol_adjust(meeting=meeting, by=adjuster)


# --- Föredragning -------------------------------------------------------------------------------------------


def test_presentation_memo_fills_in_the_item_and_lists_its_attachments(board):
    meeting = agenda(board, WHEN, "Handlingsplan psykisk hälsa")
    item = meeting.items.get()
    item.presenter = "Anna Andersson"
    item.save()
    Attachment.objects.create(
        item=item,
        file="governance/attachments/x/underlag.pdf",
        name="Underlag handlingsplan.pdf",
        content_type="application/pdf",
        size=100,
        sha256="0" * 64,
        uploaded_by=board.region[0].user,
    )
    file = word.presentation_memo(item)
    content = text(file)
    assert_docx(file, f"foredragning-LSVO-2026-03-12-{item.pk}")
    for expected in [
        "Ledningssamverkan vård och omsorg (LSVO)",
        "Blekinge",
        "Föredragning",
        "2026-03-12 10:00",
        "Karlskrona",
        "Handlingsplan psykisk hälsa",
        "Beslut",
        "Anna Andersson",
        board.region[0].user.get_full_name(),
        "Att godkänna handlingsplan psykisk hälsa.",
        "Underlag handlingsplan.pdf",
        "Barnrättsperspektiv",
    ]:
        assert expected in content
    assert {"Ärendet", "Bakgrund", "Konsekvenser", "Förslag till beslut", "Bilagor"} <= set(headings(file))


# --- Uppdragsbeskrivning ------------------------------------------------------------------------------------


def test_assignment_description_has_mandate_rules_seats_and_members(board):
    lsvo = board.body
    lsvo.mandate = "- Utarbeta en verksamhetsplan\n- Följa upp samverkansgruppernas handlingsplaner"
    lsvo.time_horizon, lsvo.meetings_per_year = "3–5 år", 9
    lsvo.save()
    Seat.objects.create(body=lsvo, function="Förvaltningschefer", organisation=organisation("1080"), count=4)
    Seat.objects.create(body=lsvo, function="Ordförande i samverkansgrupperna", organisation_text="Grupperna")
    group = Body.objects.create(county=lsvo.county, name="Samverkansgrupp Äldre", level=Body.Level.TACTICAL)
    ReportingLine.objects.create(body=group, reports_to=lsvo)

    file = word.assignment_description(lsvo)
    content = text(file)
    assert_docx(file, "uppdragsbeskrivning-LSVO")
    for expected in [
        "Uppdragsbeskrivning",
        "Utarbeta en verksamhetsplan",
        "3–5 år",
        "Möten per år: 9",
        "senast 7 dagar före mötet",
        "Mer än hälften av ledamöterna från varje huvudmannasida",
        "Förvaltningschefer",
        "Karlskrona kommun",
        "Grupperna",
        "Ordförande",
        board.chair.user.get_full_name(),
        board.municipal[0].user.get_full_name(),
    ]:
        assert expected in content
    assert {"Uppdrag", "Mål", "Avgränsningar", "Ledamöter", "Återrapportering"} <= set(headings(file))

    child = word.assignment_description(group)
    assert child.filename == "uppdragsbeskrivning-samverkansgrupp-aldre.docx"
    assert "Ledningssamverkan vård och omsorg (LSVO)" in text(child)  # reports to


# --- Kallelse och dagordning --------------------------------------------------------------------------------


def test_notice_lists_the_accepted_items_and_the_deadlines(board):
    meeting = agenda(board, WHEN, "Årsrapport 2025", "Riktlinje hemsjukvård")
    submit(board, meeting, "Sent anmält ärende")  # still waiting for the secretary
    file = word.notice_and_agenda(meeting, unpublished=False)
    content = text(file)
    assert_docx(file, "kallelse-LSVO-2026-03-12")
    for expected in [
        "Kallelse och dagordning",
        "Årsrapport 2025",
        "Riktlinje hemsjukvård",
        "Att godkänna årsrapport 2025.",
        "2026-03-05 10:00",  # the agenda is due a week before
        "2026-02-26 10:00",  # items a week before that
    ]:
        assert expected in content
    assert "Sent anmält ärende" not in content
    table = read(file).tables[0]
    assert [cell.text for cell in table.rows[0].cells][:2] == ["Nr", "Ärende"]
    assert [row.cells[0].text for row in table.rows[1:]] == ["1", "2"]

    members_copy = text(word.notice_and_agenda(meeting, unpublished=True))
    assert "Sent anmält ärende (anmält)" in members_copy


# --- Protokoll ----------------------------------------------------------------------------------------------


def test_draft_protocol_is_marked_and_shows_attendance_and_paragraphs(board):
    meeting = agenda(board, WHEN, "Handlingsplan", "Information om statsbidrag")
    away, with_views = board.municipal[0], board.municipal[1]
    present = [m for m in board.members if m not in (away, with_views)]
    services.meeting_record(
        meeting=meeting,
        presence={m.pk: Attendance.Presence.PRESENT for m in present},
        written_views={with_views.pk: "Jag stöder förslaget."},
        by=board.secretary.user,
    )
    meeting.refresh_from_db()
    file = word.protocol(meeting)
    document = read(file)
    content = text(file)
    assert_docx(file, "protokoll-LSVO-2026-03-12")
    assert document.paragraphs[0].text == "UTKAST – ej justerat"
    for expected in [
        "Protokoll",
        "§ 1 Handlingsplan",
        "§ 2 Information om statsbidrag",
        "Att godkänna handlingsplan.",
        f"{board.region[0].user.get_full_name()}, Region Blekinge",
        away.user.get_full_name(),
        "Jag stöder förslaget.",
        "Frånvarande, skriftliga synpunkter",
    ]:
        assert expected in content
    assert meeting.quorate is False  # two of four from the municipalities are not more than half
    assert "Beslutfört: Nej – besluten är fattade utan beslutförhet" in content


def test_adjusted_protocol_has_adjusters_and_corrections_and_no_draft_mark(board):
    meeting = agenda(board, WHEN, "Handlingsplan")
    record(board, meeting)
    adjusted(board, meeting)
    paragraph = meeting.paragraphs.get()
    services.paragraph_correct(paragraph=paragraph, text="Rätt datum är 2026-04-01.", by=board.secretary.user)
    content = text(word.protocol(meeting))
    assert "UTKAST" not in content
    assert "Beslutfört: Ja" in content
    assert "Rättelse " in content and "Rätt datum är 2026-04-01." in content
    assert "Justering" in content and board.region[0].user.get_full_name() in content
    assert "Justerat i portalen: 20" in content


def test_the_word_protocol_has_lines_for_the_chair_the_secretary_and_the_adjusters(board):
    meeting = agenda(board, WHEN, "Handlingsplan")
    record(board, meeting)
    adjusted(board, meeting)
    content = text(word.protocol(meeting))
    assert f"Ordförande: {board.chair.user.get_full_name()}" in content
    assert f"Sekreterare: {board.secretary.user.get_full_name()}" in content
    assert f"Justerare: {board.region[0].user.get_full_name()}" in content
    assert "Underskrifter" in headings(word.protocol(meeting))


def protocol_with(board: Board, *titles: str) -> Meeting:
    """An adjusted protocol with one § per title, each corrected once."""
    meeting = agenda(board, WHEN, *titles)
    record(board, meeting)
    adjusted(board, meeting)
    for paragraph in meeting.paragraphs.all():
        services.paragraph_correct(paragraph=paragraph, text="Rättat.", by=board.secretary.user)
    return Meeting.objects.get(pk=meeting.pk)


def test_protocol_queries_do_not_grow_with_its_paragraphs(board, django_assert_max_num_queries):
    small = protocol_with(board, "Ett", "Två")
    large = protocol_with(board, *(f"Ärende {n}" for n in range(6)))
    with CaptureQueriesContext(connection) as queries:
        word.protocol(small)
    with django_assert_max_num_queries(len(queries)):
        file = word.protocol(large)
    assert "§ 8 Ärende 5" in text(file)  # numbering goes on through the year


# --- Årshjul ------------------------------------------------------------------------------------------------


def test_annual_cycle_has_a_table_per_month(board):
    entries = [
        CycleEntry(day=date(2026, 3, 12), kind="meeting", title="Möte 10:00, Karlskrona", status="Planerat"),
        CycleEntry(
            day=date(2026, 11, 30),
            kind="duty",
            title="Årsrapport till regionchefsgruppen",
            status="Planerad",
            description="Med resultatredovisning.",
        ),
    ]
    file = word.annual_cycle(board.body, 2026, entries)
    content = text(file)
    assert_docx(file, "arshjul-LSVO-2026")
    months = ["Januari", "Februari", "Mars", "April", "Maj", "Juni", "Juli", "Augusti", "September"]
    months += ["Oktober", "November", "December"]
    assert headings(file)[1:] == months
    assert "Årshjul 2026" in content
    for expected in [
        "2026-03-12",
        "Möte",
        "Möte 10:00, Karlskrona",
        "Uppgift",
        "Årsrapport till regionchefsgruppen",
    ]:
        assert expected in content
    assert "Med resultatredovisning." in content
    assert content.count("Inget planerat") == 10
    assert len(read(file).tables) == 2


# --- Projektplan --------------------------------------------------------------------------------------------


def test_project_plan_is_prefilled_from_a_decision(board):
    meeting = agenda(board, WHEN, "Projekt trygg hemgång")
    record(board, meeting)
    adjusted(board, meeting)
    decision = Decision.objects.get(body=board.body)
    services.decision_follow_up(
        decision=decision,
        status=Decision.Status.OPEN,
        notes="",
        by=board.secretary.user,
        due=date(2026, 12, 31),
        responsible_person="Petra Projektledare",
    )
    file = word.project_plan(board.body, decision)
    content = text(file)
    assert_docx(file, "projektplan-LSVO-1-2026")
    for expected in [
        "Projektplan",
        "§ 1/2026",
        "Att godkänna projekt trygg hemgång.",
        "Styrgrupp: Ledningssamverkan vård och omsorg (LSVO)",
        "Projektledare: Petra Projektledare",
        "Klart senast: 2026-12-31",
    ]:
        assert expected in content
    for heading in ["Bakgrund", "Syfte och mål", "Avgränsningar", "Organisation", "Tidplan", "Aktiviteter"]:
        assert heading in headings(file)
    assert {"Risker", "Kommunikation", "Uppföljning"} <= set(headings(file))
    activities = read(file).tables[0]
    assert activities.rows[0].cells[0].text == "Aktivitet" and len(activities.rows) > 1


# --- Blank templates ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", list(TEMPLATE_KINDS))
def test_blank_template_of_every_kind(lsvo, kind):
    file = word.blank(lsvo, kind)
    assert_docx(file, f"{kind}-LSVO")
    content = text(file)
    assert str(TEMPLATE_KINDS[kind]) in content
    assert "Ledningssamverkan vård och omsorg (LSVO)" in content
    assert "UTKAST" not in content


def test_blank_notice_and_protocol_have_empty_rows_to_fill_in(lsvo):
    notice = read(word.blank(lsvo, "kallelse"))
    assert [row.cells[0].text for row in notice.tables[0].rows[1:]] == ["1", "2", "3", "4", "5"]
    assert all(row.cells[1].text == "" for row in notice.tables[0].rows[1:])
    protocol = headings(word.blank(lsvo, "protokoll"))
    assert "Närvaro" in protocol and "§ Val av justerare" in protocol and "Justering" in protocol


def test_blank_of_an_unknown_kind_is_a_key_error(lsvo):
    with pytest.raises(KeyError):
        word.blank(lsvo, "budget")


def test_documents_are_swedish_whatever_the_active_language(board):
    meeting = agenda(board, WHEN, "Handlingsplan")
    with translation.override("en"):
        content = text(word.notice_and_agenda(meeting, unpublished=False))
    assert "Kallelse och dagordning" in content and "Beslut" in content


def test_item_kinds_on_the_agenda_use_their_swedish_labels(board):
    meeting = agenda(board, WHEN, "Läget i länet", kind=AgendaItem.Kind.INFORMATION)
    assert "Information" in text(word.notice_and_agenda(meeting, unpublished=False))
