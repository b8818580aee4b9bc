"""The text inside an uploaded document, passage by passage, each with where it stands (in Swedish).

Used to look for personal identity numbers before a file is stored. Only called on files that
``document_checks`` has accepted, so archives are within their limits; the caller bounds the time.

PDF is read with pypdf page by page; OOXML and OpenDocument by parsing their XML parts with the standard
library; the old binary formats (doc, xls, ppt) are searched best effort: their main stream is read as
8-bit and as UTF-16 text, which finds what was typed as text but cannot say where in the document it is.
"""

import io
import posixpath
import re
from collections.abc import Iterator

import olefile
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from samverkan import document_checks
from samverkan.document_checks import Package, iterparse_xml, parse_xml

Passage = tuple[str, str]  # (where, text)

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
S = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
P = "{http://schemas.openxmlformats.org/presentationml/2006/main}"
A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
R = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
PR = "{http://schemas.openxmlformats.org/package/2006/relationships}"
TEXT = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}"
TABLE = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
DRAW = "{urn:oasis:names:tc:opendocument:xmlns:drawing:1.0}"

_OOXML = "application/vnd.openxmlformats-officedocument."
_WORD_PARTS = {
    f"{_OOXML}wordprocessingml.header+xml": gettext_noop("sidhuvudet, stycke %(number)d"),
    f"{_OOXML}wordprocessingml.footer+xml": gettext_noop("sidfoten, stycke %(number)d"),
    f"{_OOXML}wordprocessingml.footnotes+xml": gettext_noop("fotnoterna, stycke %(number)d"),
    f"{_OOXML}wordprocessingml.endnotes+xml": gettext_noop("slutnoterna, stycke %(number)d"),
    f"{_OOXML}wordprocessingml.comments+xml": gettext_noop("kommentarerna, stycke %(number)d"),
}


def passages(data: bytes, rule: str) -> Iterator[Passage]:
    """The text of the document in ``data`` (already accepted for ``rule``), passage by passage."""
    kind, extension = rule.split(":")
    if kind == "pdf":
        yield from _pdf(data)
    elif kind == "ole2":
        yield from _ole(data, extension)
    else:
        yield from _package(document_checks.unpack(data, document_checks.budget_for(data)), extension)


def _package(package: Package, extension: str) -> Iterator[Passage]:
    if extension in document_checks.OOXML_MAIN:
        yield from _ooxml(package, extension)
        for name in ("docProps/core.xml", "docProps/app.xml"):
            if name in package.parts:
                yield _("dokumentegenskaperna"), " ".join(parse_xml(package.parts[name]).itertext())
    else:
        yield from _odf(package)
    for name, content in package.parts.items():  # documents embedded in this one, e.g. a chart's workbook
        if content.startswith(document_checks.ZIP_MAGIC):
            # the check already held the whole document, inner archives included, to the limits
            inner = document_checks.unpack(
                content, document_checks.Budget(document_checks.max_unpacked_bytes())
            )
            inner_extension = _package_format(inner)
            if inner_extension:
                for where, text in _package(inner, inner_extension):
                    yield _("den inbäddade filen %(name)s, %(where)s") % {"name": name, "where": where}, text


def _package_format(package: Package) -> str | None:
    """The extension of the office format a package is in, or None when it is none of them."""
    if "mimetype" in package.parts:
        mimetype = package.parts["mimetype"].strip().decode("ascii", errors="replace")
        return next((ext for ext, value in document_checks.ODF_MIMETYPES.items() if value == mimetype), None)
    if "[Content_Types].xml" in package.parts:
        main_types = set(document_checks.content_types(package)[1].values())
        return next((ext for ext, value in document_checks.OOXML_MAIN.items() if value in main_types), None)
    return None


# --- PDF ---------------------------------------------------------------------------------------------


def _pdf(data: bytes) -> Iterator[Passage]:
    with document_checks.opened_pdf(data) as reader:
        if reader is None:
            return
        for number, page in enumerate(reader.pages, start=1):
            yield _("sidan %(number)d") % {"number": number}, page.extract_text() or ""
        metadata = reader.metadata or {}
        yield _("dokumentegenskaperna"), " ".join(str(value) for value in metadata.values())


# --- Old binary formats ------------------------------------------------------------------------------

_OLE_WHERE = {
    "doc": gettext_noop("dokumentets text"),
    "xls": gettext_noop("arbetsbokens text"),
    "ppt": gettext_noop("presentationens text"),
}


# Ten to twelve digits with a few other characters between them, where a number may stand in a binary
# stream; only the text around such places is handed on, since the stream is mostly not text.
_DIGIT_CLUSTER = re.compile(r"\d(?:\D{0,8}\d){9,}")
_CONTEXT = 20


def _ole(data: bytes, kind: str) -> Iterator[Passage]:
    with olefile.OleFileIO(io.BytesIO(data)) as ole:
        for stream in document_checks.OLE_STREAMS[kind]:
            if ole.exists(stream):
                content = ole.openstream(stream).read()
                where = _(_OLE_WHERE[kind])
                for text in (
                    content.decode("cp1252", errors="replace"),
                    content.decode("utf-16-le", errors="replace"),
                    content[1:].decode("utf-16-le", errors="replace"),
                ):
                    for cluster in _DIGIT_CLUSTER.finditer(text):
                        yield where, text[max(0, cluster.start() - _CONTEXT) : cluster.end() + _CONTEXT]


# --- Office Open XML ---------------------------------------------------------------------------------


def _relationships(package: Package, part: str) -> dict[str, str]:
    """The targets of a part's relationships by id, as part names."""
    folder, name = posixpath.split(part)
    rels = package.get(posixpath.join(folder, "_rels", f"{name}.rels"))
    if rels is None:
        return {}
    targets = {}
    for element in parse_xml(rels).iter(f"{PR}Relationship"):
        if element.get("TargetMode") == "External":
            continue
        target = element.get("Target", "")
        path = target.lstrip("/") if target.startswith("/") else posixpath.join(folder, target)
        targets[element.get("Id", "")] = posixpath.normpath(path)
    return targets


def _ooxml(package: Package, kind: str) -> Iterator[Passage]:
    defaults, overrides = document_checks.content_types(package)
    main = next(name for name, value in overrides.items() if value == document_checks.OOXML_MAIN[kind])
    if kind == "docx":
        yield from _word_paragraphs(package.parts[main], _("stycke %(number)d"))
        for name in package.parts:
            where = _WORD_PARTS.get(document_checks.part_content_type(name, defaults, overrides))
            if where:
                yield from _word_paragraphs(package.parts[name], _(where))
    elif kind == "xlsx":
        yield from _workbook(package, main)
    else:
        yield from _presentation(package, main)


def _word_paragraphs(xml: bytes, where: str) -> Iterator[Passage]:
    number = 0
    for _event, element in iterparse_xml(xml):
        if element.tag == f"{W}p":
            number += 1
            yield where % {"number": number}, "".join(element.itertext())
            element.clear()


def _workbook(package: Package, main: str) -> Iterator[Passage]:
    targets = _relationships(package, main)
    shared: list[str] = []
    for name, content in package.parts.items():
        if name.endswith("sharedStrings.xml"):
            shared = ["".join(item.itertext()) for item in parse_xml(content).iter(f"{S}si")]
    for sheet in parse_xml(package.parts[main]).iter(f"{S}sheet"):
        part = targets.get(sheet.get(f"{R}id", ""))
        if part not in package.parts:
            continue
        title = sheet.get("name", "")
        for _event, cell in iterparse_xml(package.parts[part]):
            if cell.tag != f"{S}c":
                continue
            value = cell.findtext(f"{S}v") or ""
            if cell.get("t") == "s" and value.isdigit() and int(value) < len(shared):
                text = shared[int(value)]
            elif cell.get("t") == "inlineStr":
                text = "".join(cell.itertext())
            else:
                text = value
            where = _("bladet ”%(sheet)s”, cell %(cell)s") % {"sheet": title, "cell": cell.get("r", "?")}
            yield where, text
            cell.clear()


def _presentation(package: Package, main: str) -> Iterator[Passage]:
    targets = _relationships(package, main)
    slides = [
        targets.get(slide.get(f"{R}id", "")) for slide in parse_xml(package.parts[main]).iter(f"{P}sldId")
    ]
    for number, part in enumerate(slides, start=1):
        if part not in package.parts:
            continue
        yield from _drawing_paragraphs(package.parts[part], _("bild %(number)d") % {"number": number})
        for related in _relationships(package, part).values():
            if "notesSlide" in related and related in package.parts:
                where = _("anteckningarna till bild %(number)d") % {"number": number}
                yield from _drawing_paragraphs(package.parts[related], where)


def _drawing_paragraphs(xml: bytes, where: str) -> Iterator[Passage]:
    for paragraph in parse_xml(xml).iter(f"{A}p"):
        yield where, "".join(paragraph.itertext())


# --- OpenDocument ------------------------------------------------------------------------------------


def _odf(package: Package) -> Iterator[Passage]:
    content = package.parts["content.xml"]
    mimetype = package.parts["mimetype"].decode("ascii", errors="replace")
    if mimetype.endswith("spreadsheet"):
        yield from _odf_sheets(content)
    elif mimetype.endswith("presentation"):
        for number, page in enumerate(parse_xml(content).iter(f"{DRAW}page"), start=1):
            yield _("bild %(number)d") % {"number": number}, " ".join(page.itertext())
    else:
        number = 0
        for _event, element in iterparse_xml(content):
            if element.tag in (f"{TEXT}p", f"{TEXT}h"):
                number += 1
                yield _("stycke %(number)d") % {"number": number}, "".join(element.itertext())
    for name in ("styles.xml", "meta.xml"):
        if name in package.parts:
            where = _("sidhuvud och sidfot") if name == "styles.xml" else _("dokumentegenskaperna")
            yield where, " ".join(parse_xml(package.parts[name]).itertext())


def _column_name(index: int) -> str:
    name = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        name = chr(ord("A") + remainder) + name
    return name


def _odf_sheets(content: bytes) -> Iterator[Passage]:
    title, row, column = "", 0, 0
    for event, element in iterparse_xml(content, ("start", "end")):
        if event == "start":
            if element.tag == f"{TABLE}table":
                title, row = element.get(f"{TABLE}name", ""), 0
            elif element.tag == f"{TABLE}table-row":
                column = 0
            continue
        if element.tag in (f"{TABLE}table-cell", f"{TABLE}covered-table-cell"):
            text = "".join(element.itertext())
            if text:
                where = _("bladet ”%(sheet)s”, cell %(cell)s") % {
                    "sheet": title,
                    "cell": f"{_column_name(column)}{row + 1}",
                }
                yield where, text
            column += int(element.get(f"{TABLE}number-columns-repeated", "1") or 1)
            element.clear()
        elif element.tag == f"{TABLE}table-row":
            row += int(element.get(f"{TABLE}number-rows-repeated", "1") or 1)
            element.clear()
