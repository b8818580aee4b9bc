"""What an uploaded document really is: opened with a parser for its format, refused when it carries macros,
scripts or embedded programs, or unpacks to far more than it weighs.

Each check opens the file with a maintained parser (olefile and oletools' olevba for the old binary office
formats, pypdf for PDF, zipfile and the package's own content types for OOXML, the manifest for OpenDocument)
rather than trusting a few leading bytes or the names of the parts. ``matches`` answers whether the content
is the claimed format; dangerous content raises ValidationError with its own reason.

Archives are unpacked with a streaming read that stops at the limit, so neither a lying header nor an archive
packed inside a document (which counts like any other part, to a limited depth) can make the check unpack
more than the limit.
"""

import io
import posixpath
import re
import zipfile
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from xml.etree import ElementTree

import olefile
import pypdf
from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from oletools import crypto
from oletools.olevba import VBA_Parser

OLE2_MAGIC = bytes.fromhex("d0cf11e0a1b11ae1")
ZIP_MAGIC = b"PK\x03\x04"

MAX_UNPACKED_RATIO = 100  # an office document that unpacks to more than this is treated as a zip bomb
MAX_NESTING = 2  # a document may embed a document (a chart's workbook), which may embed one more
MAX_MEMBERS = 10_000
MAX_PDF_OBJECTS = 200_000
_CHUNK = 64 * 1024

# The streams an old office file of each kind must have (MS-DOC, MS-XLS, MS-PPT).
OLE_STREAMS = {"doc": ("WordDocument",), "xls": ("Workbook", "Book"), "ppt": ("PowerPoint Document",)}

# The content type of the main part of each OOXML format; templates and macro-enabled variants are not it.
OOXML_MAIN = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml",
}
# Content types (lower case) that carry code: VBA projects and their data, every macro-enabled variant,
# Excel 4 macro sheets, ActiveX controls, Word key bindings to macros.
_CODE_CONTENT_TYPES = (
    "vbaproject",
    "vbadata",
    "macroenabled",
    "macrosheet",
    "activex",
    "keymapcustomizations",
)
ODF_MIMETYPES = {
    "odt": "application/vnd.oasis.opendocument.text",
    "ods": "application/vnd.oasis.opendocument.spreadsheet",
    "odp": "application/vnd.oasis.opendocument.presentation",
}
# Calls to macros (the document's or the installation's) from links and events, and embedded scripts; an
# empty <office:scripts/>, which LibreOffice writes into every document, is harmless.
_ODF_CODE = re.compile(
    rb"""=\s*["'](?:vnd\.sun\.star\.script|macro):|<office:script[\s>]|<script:event-listener""",
    re.IGNORECASE,
)
# Keys and names in a PDF that run code, start programs or carry other files.
_PDF_ACTIVE = frozenset(
    {"/JS", "/JavaScript", "/Launch", "/EmbeddedFile", "/EmbeddedFiles", "/RichMedia", "/XFA"}
)

CONTENT_TYPES_NS = "{http://schemas.openxmlformats.org/package/2006/content-types}"


def max_unpacked_bytes() -> int:
    return getattr(settings, "UPLOAD_MAX_UNPACKED_BYTES", 50 * 1024 * 1024)


def macros_error(what: str) -> ValidationError:
    return ValidationError(
        _(
            "Filen innehåller makron eller annan körbar kod (%(what)s). Portalen tar inte emot sådana filer. "
            "Spara dokumentet utan makron, eller som PDF, och försök igen."
        )
        % {"what": what},
        code="macros",
    )


def archive_error(limit: int) -> ValidationError:
    return ValidationError(
        _(
            "Filen packas upp till mer än %(limit)s och kan vara en så kallad zip-bomb. Spara den som PDF "
            "och försök igen."
        )
        % {"limit": filesizeformat(limit)},
        code="archive",
    )


def nesting_error() -> ValidationError:
    return ValidationError(
        _(
            "Filen har arkiv inuti arkiv i fler än %(levels)d led och kan vara en så kallad zip-bomb. Spara "
            "den som PDF och försök igen."
        )
        % {"levels": MAX_NESTING},
        code="archive",
    )


def encrypted_error() -> ValidationError:
    return ValidationError(
        _(
            "Dokumentet är lösenordsskyddat, så dess innehåll kan inte kontrolleras. Spara en kopia utan "
            "lösenord och försök igen."
        ),
        code="encrypted",
    )


def parse_xml(data: bytes) -> ElementTree.Element:
    """Parse an XML part of a document; a document type declaration (which office formats never use and
    entity expansion attacks need) makes it unreadable."""
    if b"<!DOCTYPE" in data or b"<!ENTITY" in data:
        raise ValueError("document type declarations are not allowed")
    return ElementTree.fromstring(data)  # noqa: S314 - no DTD, so no entity expansion


def iterparse_xml(
    data: bytes, events: tuple[str, ...] = ("end",)
) -> Iterator[tuple[str, ElementTree.Element]]:
    if b"<!DOCTYPE" in data or b"<!ENTITY" in data:
        raise ValueError("document type declarations are not allowed")
    return ElementTree.iterparse(io.BytesIO(data), events=events)  # noqa: S314 - as parse_xml


# --- Archives ----------------------------------------------------------------------------------------


@dataclass
class Budget:
    """How many more bytes may be unpacked; spending beyond it refuses the file."""

    limit: int
    spent: int = 0

    def spend(self, size: int) -> None:
        self.spent += size
        if self.spent > self.limit:
            raise archive_error(self.limit)


@dataclass
class Package:
    """The parts of a zip-based document, unpacked within the budget."""

    parts: dict[str, bytes] = field(default_factory=dict)

    def get(self, name: str) -> bytes | None:
        return self.parts.get(name.lstrip("/"))


def budget_for(data: bytes) -> Budget:
    return Budget(limit=min(max_unpacked_bytes(), max(len(data), 1) * MAX_UNPACKED_RATIO))


def unpack(data: bytes, budget: Budget, *, depth: int = 0) -> Package:
    """Unpack a zip archive within ``budget``, inspecting archives and OLE files inside it for code; raises
    ValidationError when the limits are passed, zipfile.BadZipFile when it is no readable archive."""
    if depth > MAX_NESTING:
        raise nesting_error()
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
        if len(infos) > MAX_MEMBERS or sum(info.file_size for info in infos) > budget.limit - budget.spent:
            raise archive_error(budget.limit)  # the headers already say too much; the read checks the rest
        package = Package()
        for info in infos:
            if not info.is_dir():
                package.parts[info.filename] = _read_member(archive, info, budget)
    except (ValueError, EOFError, NotImplementedError, RuntimeError, zlib.error, OSError) as broken:
        raise zipfile.BadZipFile(str(broken)) from broken
    for name, content in package.parts.items():
        if content.startswith(ZIP_MAGIC):
            _check_inner_archive(content, budget, depth=depth + 1)
        elif content.startswith(OLE2_MAGIC) and _has_macros(content, name):
            raise macros_error(_("VBA-makron i %(part)s") % {"part": name})
    return package


def _read_member(archive: zipfile.ZipFile, info: zipfile.ZipInfo, budget: Budget) -> bytes:
    """The member's real content, read in chunks so that no more than the budget is ever unpacked."""
    content = bytearray()
    with archive.open(info) as stream:
        while chunk := stream.read(_CHUNK):
            budget.spend(len(chunk))
            content += chunk
    return bytes(content)


def _check_inner_archive(data: bytes, budget: Budget, *, depth: int) -> None:
    """An archive inside a document: its parts count against the budget, and if it is itself an office
    document, it must carry no code either."""
    package = unpack(data, budget, depth=depth)
    if "[Content_Types].xml" in package.parts:
        _refuse_code_content_types(package)
    if "mimetype" in package.parts:
        _refuse_odf_code(package)


# --- Old binary office formats (OLE2) ----------------------------------------------------------------


def _has_macros(data: bytes, name: str) -> bool:
    """Whether oletools finds VBA or Excel 4 macros; a file it cannot read counts as having them."""
    try:
        parser = VBA_Parser(name or "fil", data=data)
        try:
            return bool(parser.detect_vba_macros() or parser.detect_xlm_macros())
        finally:
            parser.close()
    except Exception:  # olevba raises many kinds of errors on broken files; unreadable means refused
        return True


def check_ole(data: bytes, kind: str) -> bool:
    if not data.startswith(OLE2_MAGIC):
        return False
    try:
        with olefile.OleFileIO(io.BytesIO(data)) as ole:
            if not any(ole.exists(stream) for stream in OLE_STREAMS[kind]):
                return False
            if ole.exists("macros") or ole.exists("_vba_project_cur"):
                raise macros_error(_("VBA-makron"))
            if crypto.is_encrypted(ole):
                raise encrypted_error()
    except ValidationError:
        raise
    except Exception:  # olefile raises OSError, struct errors and more on broken files
        return False
    if _has_macros(data, f"fil.{kind}"):
        raise macros_error(_("VBA- eller Excel 4-makron"))
    return True


# --- Office Open XML (docx, xlsx, pptx) --------------------------------------------------------------


def content_types(package: Package) -> tuple[dict[str, str], dict[str, str]]:
    """The package's content types: by extension (Default) and by part name (Override), in lower case."""
    root = parse_xml(package.parts["[Content_Types].xml"])
    defaults = {
        element.get("Extension", "").lower(): element.get("ContentType", "").lower()
        for element in root.iter(f"{CONTENT_TYPES_NS}Default")
    }
    overrides = {
        element.get("PartName", "").lstrip("/"): element.get("ContentType", "").lower()
        for element in root.iter(f"{CONTENT_TYPES_NS}Override")
    }
    return defaults, overrides


def part_content_type(name: str, defaults: dict[str, str], overrides: dict[str, str]) -> str:
    extension = posixpath.splitext(name)[1].lstrip(".").lower()
    return overrides.get(name, defaults.get(extension, ""))


def _refuse_code_content_types(package: Package) -> None:
    defaults, overrides = content_types(package)
    for content_type in [*defaults.values(), *overrides.values()]:
        if any(marker in content_type for marker in _CODE_CONTENT_TYPES):
            raise macros_error(content_type)
    for name in package.parts:
        if name.lower().endswith("vbaproject.bin"):
            raise macros_error(name)
        if name.endswith(".rels") and b"/relationships/vbaproject" in package.parts[name].lower():
            raise macros_error(_("VBA-projekt"))


def check_ooxml(data: bytes, kind: str) -> bool:
    if data.startswith(OLE2_MAGIC):  # a password-protected package is an OLE file holding it encrypted
        try:
            with olefile.OleFileIO(io.BytesIO(data)) as ole:
                encrypted = crypto.is_encrypted(ole)
        except Exception:  # olefile raises many kinds of errors on broken files
            return False
        if encrypted:
            raise encrypted_error()
        return False
    try:
        package = unpack(data, budget_for(data))
        if "[Content_Types].xml" not in package.parts:
            return False
        _refuse_code_content_types(package)
        _, overrides = content_types(package)
    except (zipfile.BadZipFile, ElementTree.ParseError, ValueError):
        return False
    return any(
        content_type == OOXML_MAIN[kind] and name in package.parts for name, content_type in overrides.items()
    )


# --- OpenDocument (odt, ods, odp) --------------------------------------------------------------------


def _refuse_odf_code(package: Package) -> None:
    for name in package.parts:
        if name.startswith(("Basic/", "Scripts/")):
            raise macros_error(name)
    manifest = package.parts.get("META-INF/manifest.xml", b"")
    if b'full-path="Basic/' in manifest or b'full-path="Scripts/' in manifest:
        raise macros_error("Basic")
    for name in ("content.xml", "styles.xml", "settings.xml"):
        if _ODF_CODE.search(package.parts.get(name, b"")):
            raise macros_error(_("makro- eller skriptanrop i %(part)s") % {"part": name})


def check_odf(data: bytes, kind: str) -> bool:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        if archive.namelist()[:1] != ["mimetype"]:
            return False
        package = unpack(data, budget_for(data))
    except (zipfile.BadZipFile, ValueError):
        return False
    if package.parts["mimetype"].strip() != ODF_MIMETYPES[kind].encode():
        return False
    _refuse_odf_code(package)
    return "META-INF/manifest.xml" in package.parts and "content.xml" in package.parts


# --- PDF ---------------------------------------------------------------------------------------------


@contextmanager
def opened_pdf(data: bytes) -> Iterator[pypdf.PdfReader | None]:
    """The PDF opened by pypdf with its pages counted, or None when pypdf cannot read it."""
    try:
        reader = pypdf.PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            raise ValidationError(
                _(
                    "PDF-filen är lösenordsskyddad, så dess innehåll kan inte kontrolleras. Spara en kopia "
                    "utan lösenord och försök igen."
                ),
                code="encrypted",
            )
        reader.pages[0]
    except ValidationError:
        raise
    except Exception:  # pypdf raises many kinds of errors on broken files
        yield None
        return
    yield reader


def check_pdf(data: bytes) -> bool:
    if not data[:1024].lstrip().startswith(b"%PDF-"):
        return False
    with opened_pdf(data) as reader:
        if reader is None:
            return False
        try:
            active = _pdf_active_content(reader)
        except Exception:  # a broken object somewhere in the file
            return False
    if active:
        raise ValidationError(
            _(
                "PDF-filen innehåller JavaScript, kommandon som startar program eller inbäddade filer "
                "(%(what)s). Skriv ut den till en ny PDF och försök igen."
            )
            % {"what": active},
            code="active_content",
        )
    return True


def _pdf_active_content(reader: pypdf.PdfReader) -> str:
    """The first key or action name in the PDF's objects that runs code or carries files, or ""."""
    stack: list[object] = [reader.trailer]
    seen: set[int] = set()
    visited = 0
    while stack:
        item = stack.pop()
        if isinstance(item, pypdf.generic.IndirectObject):
            key = (item.idnum << 16) | item.generation
            if key in seen:
                continue
            seen.add(key)
            item = item.get_object()
        visited += 1
        if visited > MAX_PDF_OBJECTS:
            raise ValueError("too many objects")
        if isinstance(item, dict):
            for key, value in item.items():
                if key in _PDF_ACTIVE:
                    return str(key).lstrip("/")
                if isinstance(value, pypdf.generic.NameObject) and value in _PDF_ACTIVE:
                    return str(value).lstrip("/")
                stack.append(value)
        elif isinstance(item, list):
            stack.extend(item)
    return ""
