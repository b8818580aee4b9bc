"""Word documents (python-docx) in the portal's plain style: a title block, headings, key-value lines,
sections with hints, and tables whose header row repeats on every page.

An app writes the content with these helpers and returns the DocumentFile; the views send it as a download.
"""

import io
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import wraps

from django.utils import translation
from django.utils.text import slugify
from docx import Document
from docx.document import Document as DocxDocument
from docx.oxml import OxmlElement
from docx.oxml.ns import qn

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
TABLE_STYLE = "Table Grid"


@dataclass(frozen=True)
class DocumentFile:
    filename: str
    content: bytes
    content_type: str = DOCX


def in_swedish[**P, R](function: Callable[P, R]) -> Callable[P, R]:
    """Documents are written in Swedish whatever the language of the request, as the PDFs are."""

    @wraps(function)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        with translation.override("sv"):
            return function(*args, **kwargs)

    return wrapper


def start(*, heading: str, kicker: str, title: str) -> DocxDocument:
    """A new Swedish document: the kicker line (who it is from) and the heading; title is the file's
    document property, shown by Word and screen readers."""
    document = Document()
    properties = document.core_properties
    properties.title = title
    properties.author = properties.last_modified_by = "Samverkan"
    properties.language = "sv-SE"
    for lang in document.styles.element.xpath("w:docDefaults/w:rPrDefault/w:rPr/w:lang"):
        lang.set(qn("w:val"), "sv-SE")  # spelling and hyphenation in Swedish
    document.add_paragraph(kicker)
    document.add_heading(heading, 0)
    return document


def fields(document: DocxDocument, rows: Iterable[tuple[str, object]]) -> None:
    """Key-value lines; an empty value leaves the label to fill in."""
    for label, value in rows:
        paragraph = document.add_paragraph()
        paragraph.add_run(f"{label}: ").bold = True
        if value not in (None, ""):
            paragraph.add_run(str(value))


def text(document: DocxDocument, text: str) -> None:
    """Plain text with lines starting with "- " or "* " as bullets."""
    for line in filter(None, (line.strip() for line in text.splitlines())):
        if line[:2] in ("- ", "* "):
            document.add_paragraph(line[2:].strip(), style="List Bullet")
        else:
            document.add_paragraph(line)


def section(document: DocxDocument, heading: str, body: str = "", *, hint: str = "") -> None:
    """A heading followed by the text, or by an italic hint and room to write."""
    document.add_heading(heading, 1)
    if body.strip():
        text(document, body)
    else:
        paragraph = document.add_paragraph()
        if hint:
            paragraph.add_run(hint).italic = True


def table(
    document: DocxDocument,
    header: Sequence[str],
    rows: Iterable[Sequence[object]] = (),
    *,
    blank_rows: int = 0,
) -> None:
    """A table with a bold header row repeated on every page, the rows, then empty rows to fill in."""
    grid = document.add_table(rows=1, cols=len(header))
    grid.style = TABLE_STYLE
    head = grid.rows[0]
    head._tr.get_or_add_trPr().append(OxmlElement("w:tblHeader"))
    for cell, label in zip(head.cells, header, strict=True):
        cell.paragraphs[0].add_run(label).bold = True
    for row in rows:
        for cell, value in zip(grid.add_row().cells, row, strict=True):
            cell.text = "" if value is None else str(value)
    for _row in range(blank_rows):
        grid.add_row()


def slug(value: str) -> str:
    """slugify, but an already ascii-safe value such as an abbreviation keeps its case (LSVO)."""
    slugged = slugify(value)
    return value if slugged == value.lower() else slugged


def saved(document: DocxDocument, *name_parts: object) -> DocumentFile:
    """The document as a .docx file named from the parts ("kallelse", "LSVO", "2026-03-05")."""
    stem = "-".join(slug(str(part)) for part in name_parts)
    buffer = io.BytesIO()
    document.save(buffer)
    return DocumentFile(filename=f"{stem}.docx", content=buffer.getvalue())
