"""An agreement from the Word document a county already has (.docx) to a draft version.

The document is read in order: headings (Word's heading styles, or a numbered line such as "4.2 Boende"
in bold) make the section tree, the paragraphs under them its text, and each table a responsibility table:
its first column names the areas (one per row), its other columns are shown to the editor with their
header text and mapped to the municipal, regional or shared side (guessed from the header), and each
cell's paragraphs or bullets ("• …") are the duties. Legal references written in a duty ("5 kap. 1 §
SoL", "HSL") are recognised. Nothing here writes: ``services.version_draft_from_document`` does.
"""

import io
import re
import zipfile
from dataclasses import asdict, dataclass, field

import docx
from django.core.exceptions import ValidationError
from django.utils.text import slugify
from django.utils.translation import gettext as _

from agreements.laws import catalogue, references_in
from agreements.models import Side

NUMBERED = re.compile(r"^(?P<number>\d+(?:\.\d+){0,3})\.?\s+(?P<title>\S.{0,150})$")
BULLETS = re.compile(r"(?:^|\s)[•·▪◦]\s*")
IGNORE = ""
GUESSES = (
    ("gemensam", Side.SHARED),
    ("båda", Side.SHARED),
    ("kommun", Side.MUNICIPAL),
    ("region", Side.REGION),
)
GUESSES += (("landsting", Side.REGION),)
HEADING_COLUMNS = ["Kommunerna", "Regionen", "Gemensamt"]  # a table made from responsibility headings


def side_of_heading(text: str) -> str:
    """The side a heading such as "Kommunernas ansvar" or "Region Kalmar läns ansvar" gives the text under
    it; "" for any other heading."""
    lower = text.lower().strip(" :.")
    if len(lower) > 60 or not (lower.endswith("ansvar") or lower.endswith("ansvarar för")):
        return IGNORE
    return next((side for word, side in GUESSES if word in lower), IGNORE)


@dataclass
class DocTable:
    heading: str
    section_number: str
    columns: list[str]
    rows: list[list] = field(default_factory=list)  # [area name, [[duty, …] per column]]

    @property
    def guessed(self) -> list[str]:
        """Each column's side as its header suggests ("Kommunen ansvarar för" → municipal), or ignored."""
        return [
            next((side for word, side in GUESSES if word in header.lower()), IGNORE)
            for header in self.columns
        ]


@dataclass
class DocDraft:
    sections: list[dict] = field(default_factory=list)  # number, title, text, parent_number
    tables: list[DocTable] = field(default_factory=list)

    def as_data(self) -> dict:
        return asdict(self)

    @classmethod
    def from_data(cls, data: dict) -> "DocDraft":
        return cls(sections=data["sections"], tables=[DocTable(**table) for table in data["tables"]])

    def target_groups(self, mapping: list[list[str]]) -> list[dict]:
        """The tables as target groups in the import's shape, with the editor's column ``mapping``."""
        groups, keys, codes = [], set(), catalogue()
        for table, sides in zip(self.tables, mapping, strict=True):
            key = slugify(table.heading)[:50].strip("-") or "tabell"
            while key in keys:
                key = f"{key}-{len(keys) + 1}"
            keys.add(key)
            areas = []
            for name, cells in table.rows:
                duties = [
                    {"side": side, "text": text, "laws": references_in(text, codes)}
                    for side, texts in zip(sides, cells, strict=False)
                    if side
                    for text in texts
                ]
                areas.append({"name": name[:200], "description": "", "duties": duties})
            headings: dict[str, list[str]] = {}
            for side, header in zip(sides, table.columns, strict=False):
                if side and header and table.columns != HEADING_COLUMNS:
                    headings.setdefault(side, []).append(header[:60])
            groups.append(
                {
                    "key": key,
                    "name": table.heading[:300] or _("Tabell %(n)s") % {"n": len(groups) + 1},
                    "section_number": table.section_number,
                    "description": "",
                    "common_goals": "",
                    "column_headings": {side: " / ".join(texts)[:120] for side, texts in headings.items()},
                    "areas": areas,
                    "development_areas": [],
                }
            )
        return groups


def _heading_level(paragraph) -> int | None:
    style = (paragraph.style.name or "").lower() if paragraph.style is not None else ""
    for prefix in ("heading ", "rubrik "):
        if style.startswith(prefix) and style[len(prefix) :].strip().isdigit():
            return int(style[len(prefix) :])
    if style == "title":
        return None
    text = paragraph.text.strip()
    runs = [run for run in paragraph.runs if run.text.strip()]
    if NUMBERED.match(text) and runs and all(run.bold for run in runs):
        return NUMBERED.match(text)["number"].count(".") + 1
    return None


def _cell_duties(cell) -> list[str]:
    duties = []
    for paragraph in cell.paragraphs:
        for part in BULLETS.split(paragraph.text):
            part = " ".join(part.split()).strip(" -–")
            if part:
                duties.append(part)
    return duties


class _Sections:
    """Numbers the headings (their own number if they have one) and keeps the text under each."""

    def __init__(self):
        self.items: list[dict] = []
        self.counters: list[int] = []

    def open(self, level: int, text: str) -> None:
        match = NUMBERED.match(text)
        if match:
            number, title = match["number"], match["title"].strip()
            self.counters = [int(n) for n in number.split(".")]
        else:
            self.counters = (self.counters + [0] * level)[:level]
            self.counters[-1] += 1
            number, title = ".".join(str(n) for n in self.counters), text
        parent = number.rpartition(".")[0] or None
        known = {item["number"] for item in self.items}
        while parent and parent not in known:
            parent = parent.rpartition(".")[0] or None
        if number in known:
            number = f"{number}-{len(self.items) + 1}"
        self.items.append({"number": number, "title": title[:300], "text": "", "parent_number": parent})

    def add_text(self, text: str) -> None:
        if not self.items:
            self.open(1, _("Inledning"))
        current = self.items[-1]
        current["text"] = f"{current['text']}\n\n{text}" if current["text"] else text

    @property
    def current(self) -> tuple[str, str]:
        return (self.items[-1]["number"], self.items[-1]["title"]) if self.items else ("", "")


def docx_read(data: bytes) -> DocDraft:
    """The document's sections and tables, in order. Raises ValidationError for a file Word cannot open."""
    try:
        document = docx.Document(io.BytesIO(data))
    except (zipfile.BadZipFile, KeyError, ValueError) as error:
        raise ValidationError(_("Filen kan inte läsas som ett Word-dokument (.docx).")) from error
    sections, draft, caption = _Sections(), DocDraft(), ""
    by_headings = _HeadingDuties(draft)
    for block in document.iter_inner_content():
        if isinstance(block, docx.text.paragraph.Paragraph):
            text = " ".join(block.text.split())
            if not text:
                continue
            level = _heading_level(block)
            if level and side_of_heading(text):
                by_headings.open(side_of_heading(text), sections)
            elif level:
                by_headings.close()
                sections.open(level, text)
                caption = ""
            elif by_headings.side:
                by_headings.add(text)
            else:
                style = (block.style.name or "").lower() if block.style is not None else ""
                sections.add_text(f"- {text}" if "list" in style else text)
                caption = text if len(text) <= 160 else ""  # a short line right above a table names it
        else:
            number, title = sections.current
            table = _table(block, number, caption or title)
            caption = ""
            if table is not None:
                draft.tables.append(table)
    draft.sections = sections.items
    return draft


class _HeadingDuties:
    """Duties written under responsibility headings ("Bostad" → "Kommunernas ansvar" → paragraphs): the
    area is the heading above, the side the responsibility heading's, one table per top-level section."""

    def __init__(self, draft: DocDraft):
        self.draft, self.side, self.row = draft, IGNORE, None
        self.tables: dict[str, DocTable] = {}

    def open(self, side: str, sections: "_Sections") -> None:
        if not sections.items:
            return
        area = sections.items[-1]
        root = area
        while root["parent_number"]:
            root = next(item for item in sections.items if item["number"] == root["parent_number"])
        table = self.tables.get(root["number"])
        if table is None:
            table = DocTable(
                heading=root["title"], section_number=root["number"], columns=list(HEADING_COLUMNS)
            )
            self.tables[root["number"]] = table
            self.draft.tables.append(table)
        self.row = next((row for row in table.rows if row[0] == area["title"]), None)
        if self.row is None:
            self.row = [area["title"], [[] for _column in HEADING_COLUMNS]]
            table.rows.append(self.row)
        self.side = side

    def add(self, text: str) -> None:
        column = [Side.MUNICIPAL, Side.REGION, Side.SHARED].index(self.side)
        self.row[1][column].extend(
            part for part in (" ".join(p.split()) for p in BULLETS.split(text)) if part
        )

    def close(self) -> None:
        self.side, self.row = IGNORE, None


def _table(block, section_number: str, heading: str) -> DocTable | None:
    rows = block.rows
    if len(rows) < 2 or len(rows[0].cells) < 2:
        return None
    header = [" ".join(cell.text.split()) for cell in rows[0].cells]
    table = DocTable(heading=heading, section_number=section_number, columns=header[1:])
    for row in rows[1:]:
        cells = row.cells
        name = " ".join(cells[0].text.split())
        # A cell merged across columns comes back once per column: its duties count once, in its first.
        duties = [
            [] if i and cells[i]._tc is cells[i - 1]._tc else _cell_duties(cell)
            for i, cell in enumerate(cells)
        ][1:]
        if table.rows and (
            not name or name == table.rows[-1][0]
        ):  # continues the area above (split or merged)
            for column, texts in enumerate(duties):
                table.rows[-1][1][column].extend(texts)
            continue
        if name:
            table.rows.append([name, duties])
    return table if table.rows else None
