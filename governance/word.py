"""The body's templates (mallar) as Word documents: föredragning, uppdragsbeskrivning, kallelse och
dagordning, protokoll, årshjul and projektplan.

Each document is filled from the data where there is any and otherwise gives the headings with empty lines
and short hints, so a secretary can download it, fill it in and reuse it. The texts mirror the PDF versions
of the notice and the protocol (governance/pdf.py) and are always Swedish, as the PDFs are.
"""

from collections.abc import Callable, Sequence
from datetime import datetime

from django.contrib.auth.models import User
from django.utils import timezone
from django.utils.dates import MONTHS
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from docx.document import Document as DocxDocument

from governance import selectors
from governance.models import AgendaItem, Attendance, Body, Decision, Meeting
from governance.selectors import CycleEntry
from samverkan.documents import word
from samverkan.documents.word import DocumentFile, in_swedish

BLANK_ROWS = 5

TEMPLATE_KINDS: dict[str, str] = {
    "foredragning": gettext_lazy("Föredragning"),
    "uppdragsbeskrivning": gettext_lazy("Uppdragsbeskrivning"),
    "kallelse": gettext_lazy("Kallelse och dagordning"),
    "protokoll": gettext_lazy("Protokoll"),
    "arshjul": gettext_lazy("Årshjul"),
    "projektplan": gettext_lazy("Projektplan"),
}


# --- Small helpers ------------------------------------------------------------------------------------------


def _when(moment: datetime) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M")


def _day(moment: datetime) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d")


def _name(user: User | None) -> str:
    return (user.get_full_name() or user.username) if user else ""


def _label(body: Body) -> str:
    return f"{body.name} ({body.abbreviation})" if body.abbreviation else body.name


def _start(body: Body, kind: str, meeting: Meeting | None = None, *, title: str = "") -> DocxDocument:
    """A new document with the title block: the body and county, the kind as title, time and place."""
    title = title or str(TEMPLATE_KINDS[kind])
    document = word.start(
        heading=title,
        kicker=f"{_label(body)} · {body.county.name}",
        title=f"{title} – {_label(body)}" + (f" {_day(meeting.starts_at)}" if meeting else ""),
    )
    if kind in ("foredragning", "kallelse", "protokoll"):
        word.fields(
            document,
            [
                (_("Tid"), _when(meeting.starts_at) if meeting else ""),
                (_("Plats"), meeting.location if meeting else ""),
            ],
        )
    return document


def _file(document: DocxDocument, kind: str, body: Body, *parts: object) -> DocumentFile:
    return word.saved(document, kind, body.abbreviation or body.name, *parts)


# --- Föredragning -------------------------------------------------------------------------------------------


def _memo(body: Body, item: AgendaItem | None) -> DocumentFile:
    meeting = item.meeting if item else None
    document = _start(body, "foredragning", meeting)
    word.fields(
        document,
        [
            (_("Ärende"), item.title if item else ""),
            (_("Typ av ärende"), item.get_kind_display() if item else ""),
            (_("Föredragande"), item.presenter if item else ""),
            (_("Anmält av"), _name(item.submitted_by) if item else ""),
        ],
    )
    word.section(document, _("Ärendet"), hint=_("Vad ärendet gäller, i korthet."))
    word.section(document, _("Bakgrund"), hint=_("Varför ärendet tas upp och vad som har hänt tidigare."))
    word.section(document, _("Beredning"), hint=_("Vem som har berett ärendet och vilka som har hörts."))
    document.add_heading(_("Konsekvenser"), 1)
    word.fields(
        document,
        [
            (_("Ekonomi och resurser"), ""),
            (_("Juridik"), ""),
            (_("Verksamhet och samverkan"), ""),
            (_("Jämställdhet och jämlikhet"), ""),
            (_("Barnrättsperspektiv"), ""),
        ],
    )
    word.section(
        document,
        _("Förslag till beslut"),
        item.proposal if item else "",
        hint=_("Kräver förslaget utökade resurser ska de egna beslutsorganen ha ställt sig bakom det."),
    )
    names = [attachment.name for attachment in item.attachments.all()] if item else []
    hint = _("Inga bilagor.") if item else _("Bilagor som hör till ärendet.")
    word.section(document, _("Bilagor"), "\n".join(f"- {name}" for name in names), hint=hint)
    if item:
        return _file(document, "foredragning", body, _day(item.meeting.starts_at), item.pk)
    return _file(document, "foredragning", body, "mall")


@in_swedish
def presentation_memo(item: AgendaItem) -> DocumentFile:
    """The föredragning of an agenda item: the facts filled in, the reasoning left to the presenter."""
    return _memo(item.meeting.body, item)


# --- Uppdragsbeskrivning ------------------------------------------------------------------------------------


@in_swedish
def assignment_description(body: Body) -> DocumentFile:
    """The body's mandate, place in the structure, seats, members and working rules."""
    document = _start(body, "uppdragsbeskrivning")
    parents = ", ".join(_label(parent) for parent in body.parents.order_by("name"))
    word.section(document, _("Uppdrag"), body.mandate, hint=_("Vad organet ska göra och besluta om."))
    word.section(document, _("Mål"), hint=_("Vad uppdraget ska leda till och hur det mäts."))
    word.section(document, _("Avgränsningar"), hint=_("Vad som inte ingår i uppdraget."))
    document.add_heading(_("Organisation"), 1)
    word.fields(
        document,
        [
            (_("Nivå"), body.get_level_display()),
            (_("Rapporterar till"), parents),
            (_("Tidshorisont"), body.time_horizon),
        ],
    )
    document.add_heading(_("Sammansättning"), 1)
    seats = body.seats.select_related("organisation")
    word.table(
        document,
        [_("Funktion"), _("Organisation"), _("Antal")],
        [
            (s.function, s.organisation.name if s.organisation else s.organisation_text, s.count)
            for s in seats
        ],
        blank_rows=0 if seats else BLANK_ROWS,
    )
    document.add_heading(_("Ledamöter"), 1)
    members = selectors.current_members(body)
    word.table(
        document,
        [_("Roll"), _("Namn"), _("Organisation")],
        [(m.get_role_display(), _name(m.user), m.organisation.name) for m in members],
        blank_rows=0 if members else BLANK_ROWS,
    )
    document.add_heading(_("Mötesformer"), 1)
    word.fields(
        document,
        [
            (_("Möten per år"), body.meetings_per_year),
            (_("Kallelse"), _("senast %(days)s dagar före mötet") % {"days": body.agenda_notice_days}),
            (
                _("Anmälan av ärenden"),
                _("senast %(days)s dagar före kallelsen") % {"days": body.item_deadline_days},
            ),
            (_("Beslutförhet"), body.get_quorum_rule_display()),
            (
                _("Ordförande"),
                _("har beslutsmandat") if body.chair_has_mandate else _("har inget beslutsmandat"),
            ),
        ],
    )
    word.section(document, _("Budget och resurser"), hint=_("Gemensam finansiering och hur den fördelas."))
    word.section(
        document,
        _("Återrapportering"),
        hint=(_("Hur och när organet rapporterar till %(parent)s.") % {"parent": parents})
        if parents
        else _("Hur och när organet rapporterar, och till vem."),
    )
    return _file(document, "uppdragsbeskrivning", body)


# --- Kallelse och dagordning --------------------------------------------------------------------------------


def _notice(body: Body, meeting: Meeting | None, items: Sequence[AgendaItem]) -> DocumentFile:
    document = _start(body, "kallelse", meeting)
    fields = [
        (_("Ärenden anmäls senast"), _when(meeting.item_deadline) if meeting else ""),
        (_("Kallelsen skickas senast"), _when(meeting.agenda_deadline) if meeting else ""),
    ]
    if meeting and meeting.agenda_published_at:
        fields.append((_("Kallelsen skickad"), _when(meeting.agenda_published_at)))
    if meeting and meeting.late_agenda_reason:
        fields.append((_("Skäl till sen kallelse"), meeting.late_agenda_reason))
    word.fields(document, fields)
    document.add_heading(_("Dagordning"), 1)
    rows = [
        (
            number,
            item.title
            + (
                f" ({item.get_status_display().lower()})" if item.status != AgendaItem.Status.ACCEPTED else ""
            ),
            item.get_kind_display(),
            item.presenter,
            item.proposal,
        )
        for number, item in enumerate(items, start=1)
    ]
    rows = rows or [(number, "", "", "", "") for number in range(1, BLANK_ROWS + 1)]
    word.table(document, [_("Nr"), _("Ärende"), _("Typ"), _("Föredragande"), _("Förslag till beslut")], rows)
    word.section(
        document,
        _("Förberedelser"),
        _(
            "Läs in handlingarna före mötet och förankra ställningstagandet i beslutsärendena i den egna "
            "organisationen."
        ),
    )
    word.section(
        document,
        _("Förhinder"),
        _("Meddela sekreteraren vid förhinder. Skriftliga synpunkter kan skickas före mötet."),
    )
    return _file(document, "kallelse", body, _day(meeting.starts_at) if meeting else "mall")


@in_swedish
def notice_and_agenda(meeting: Meeting, *, unpublished: bool) -> DocumentFile:
    """Kallelse och dagordning: the accepted items, or all items (with their status) if unpublished."""
    return _notice(meeting.body, meeting, list(selectors.meeting_agenda(meeting, unpublished=unpublished)))


# --- Protokoll ----------------------------------------------------------------------------------------------


def _protocol(body: Body, meeting: Meeting | None) -> DocumentFile:
    draft = meeting is not None and not meeting.protocol_locked
    attendance, paragraphs = selectors.meeting_protocol(meeting) if meeting else ([], [])
    signatories = selectors.protocol_signatories(meeting) if meeting else None
    document = _start(body, "protokoll", meeting)
    if draft:  # at the top of the document and in the page header, so every printed page shows it
        watermark = document.paragraphs[0].insert_paragraph_before()
        watermark.add_run(_("UTKAST – ej justerat")).bold = True
        document.sections[0].header.paragraphs[0].add_run(_("UTKAST – ej justerat")).bold = True
    quorate = {True: _("Ja"), False: _("Nej – besluten är fattade utan beslutförhet"), None: ""}
    word.fields(
        document,
        [
            (_("Status"), meeting.get_status_display() if meeting else ""),
            (_("Beslutfört"), quorate[meeting.quorate] if meeting else ""),
        ],
    )
    document.add_heading(_("Närvaro"), 1)
    for presence, label in Attendance.Presence.choices:
        document.add_heading(str(label), 2)
        present = [a for a in attendance if a.presence == presence]
        for a in present:
            m = a.membership
            line = f"{_name(m.user)}, {m.organisation.name} ({m.get_role_display()})"
            views = f" – {a.written_views}" if a.written_views else ""
            document.add_paragraph(line + views, style="List Bullet")
        if not present:
            document.add_paragraph("" if meeting is None else "–", style="List Bullet")
    document.add_heading(_("Paragrafer"), 1)
    for p in paragraphs:
        document.add_heading(f"§ {p.number} {p.title}", 2)
        word.text(document, p.notes)
        word.fields(document, [(_("Beslut"), p.decision)])
        for correction in p.corrections.all():
            line = document.add_paragraph()
            line.add_run(_("Rättelse %(day)s: ") % {"day": _day(correction.made_at)}).italic = True
            line.add_run(correction.text)
    if meeting is None:
        titles = [_("Mötets öppnande"), _("Val av justerare"), _("Godkännande av dagordningen"), "", ""]
        for title in [*titles, _("Mötets avslutande")]:
            document.add_heading(f"§ {title}".strip(), 2)
            word.fields(document, [(_("Beslut"), "")])
    document.add_heading(_("Underskrifter"), 1)
    for label, names in (
        (_("Ordförande"), signatories.chairs if signatories else []),
        (_("Sekreterare"), signatories.secretaries if signatories else []),
    ):
        for name in names or [""]:
            document.add_paragraph("\n" + "_" * 40)
            word.fields(document, [(label, name)])
    document.add_heading(_("Justering"), 1)
    for adjustment in (signatories.adjustments if signatories else []) or [None, None]:
        document.add_paragraph("\n" + "_" * 40)
        approved = adjustment and adjustment.approved_at
        word.fields(
            document,
            [
                (_("Justerare"), _name(adjustment.user) if adjustment else ""),
                (_("Justerat i portalen"), _day(approved) if approved else ("–" if adjustment else "")),
            ],
        )
    return _file(document, "protokoll", body, _day(meeting.starts_at) if meeting else "mall")


@in_swedish
def protocol(meeting: Meeting) -> DocumentFile:
    """The protocol: attendance, quorum, each §, corrections and adjusters; UTKAST until adjusted."""
    return _protocol(meeting.body, meeting)


# --- Årshjul ------------------------------------------------------------------------------------------------


def _cycle(body: Body, year: int, entries: list[CycleEntry], *, template: bool) -> DocumentFile:
    document = _start(body, "arshjul", title=f"{TEMPLATE_KINDS['arshjul']} {year}")
    document.add_paragraph(
        _(
            "Organets möten och återkommande uppgifter under året, till exempel verksamhetsplan, "
            "handlingsplan, uppföljning av beslut och årsrapport."
        )
    )
    kinds = {"meeting": _("Möte"), "duty": _("Uppgift")}
    header = [_("Datum"), _("Typ"), _("Rubrik"), _("Status")]
    for month, month_entries in selectors.cycle_months(entries):
        document.add_heading(capfirst(MONTHS[month]), 1)  # Django's month names: januari → Januari
        if month_entries or template:
            rows = [
                (
                    e.day.isoformat(),
                    kinds.get(e.kind, e.kind),
                    "\n".join(filter(None, [e.title, e.description])),
                    e.status,
                )
                for e in month_entries
            ]
            word.table(document, header, rows, blank_rows=0 if rows else 3)
        else:
            document.add_paragraph(_("Inget planerat"))
    return _file(document, "arshjul", body, year if not template else f"{year}-mall")


@in_swedish
def annual_cycle(body: Body, year: int, entries: list[CycleEntry]) -> DocumentFile:
    """The year's meetings and duties as a table per month (entries from selectors.annual_cycle)."""
    return _cycle(body, year, entries, template=False)


# --- Projektplan --------------------------------------------------------------------------------------------


@in_swedish
def project_plan(body: Body, decision: Decision | None = None) -> DocumentFile:
    """A project plan with the body as steering group, prefilled from the decision behind the project."""
    paragraph = decision.paragraph if decision else None
    reference = f"§ {paragraph.number}/{paragraph.year}" if paragraph else ""
    document = _start(body, "projektplan")
    word.fields(document, [(_("Projektnamn"), ""), (_("Beslut"), reference)])
    background = ""
    if decision:
        background = _("Beslut %(reference)s i %(body)s:") % {"reference": reference, "body": _label(body)}
        background += "\n" + decision.text
    word.section(document, _("Bakgrund"), background, hint=_("Varför projektet behövs."))
    word.section(document, _("Syfte och mål"), hint=_("Vad projektet ska uppnå och hur det mäts."))
    word.section(document, _("Avgränsningar"), hint=_("Vad som inte ingår i projektet."))
    document.add_heading(_("Organisation"), 1)
    owner = decision.responsible_organisation if decision else None
    word.fields(
        document,
        [
            (_("Styrgrupp"), _label(body)),
            (_("Projektägare"), owner.name if owner else ""),
            (_("Projektledare"), decision.responsible_person if decision else ""),
            (_("Projektgrupp"), ""),
        ],
    )
    document.add_heading(_("Tidplan"), 1)
    word.fields(
        document,
        [
            (_("Start"), ""),
            (_("Klart senast"), decision.due.isoformat() if decision and decision.due else ""),
        ],
    )
    document.add_heading(_("Aktiviteter"), 1)
    word.table(
        document, [_("Aktivitet"), _("Ansvarig"), _("Klart senast"), _("Status")], blank_rows=BLANK_ROWS
    )
    document.add_heading(_("Risker"), 1)
    word.table(document, [_("Risk"), _("Sannolikhet"), _("Konsekvens"), _("Åtgärd")], blank_rows=3)
    word.section(
        document, _("Resurser och finansiering"), hint=_("Personal, tid och eventuell gemensam finansiering.")
    )
    word.section(document, _("Kommunikation"), hint=_("Vilka som ska informeras, hur och när."))
    word.section(
        document,
        _("Uppföljning"),
        _("Projektet återrapporterar till styrgruppen %(body)s.") % {"body": _label(body)},
    )
    return _file(
        document, "projektplan", body, f"{paragraph.number}-{paragraph.year}" if paragraph else "mall"
    )


# --- Blank templates ----------------------------------------------------------------------------------------


_BLANKS: dict[str, Callable[[Body], DocumentFile]] = {
    "foredragning": lambda body: _memo(body, None),
    "uppdragsbeskrivning": assignment_description,
    "kallelse": lambda body: _notice(body, None, []),
    "protokoll": lambda body: _protocol(body, None),
    "arshjul": lambda body: _cycle(body, timezone.localdate().year, [], template=True),
    "projektplan": project_plan,
}


@in_swedish
def blank(body: Body, kind: str) -> DocumentFile:
    """The template of the kind for the body, without a meeting or item. KeyError for an unknown kind."""
    return _BLANKS[kind](body)
