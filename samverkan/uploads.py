"""Checks for uploaded files: PDF and office documents only, recognised by their content, within a size limit,
without macros or scripts, and without personal identity numbers in their text.

The portal does not scan for viruses. It accepts only formats that it can open with a parser for that format
(``samverkan.document_checks``), refuses macros, scripts, embedded programs and zip bombs, refuses files whose
text (``samverkan.document_text``) contains a personal identity number, and serves every file as a download
(`Content-Disposition: attachment`, `X-Content-Type-Options: nosniff`). Files are assumed to be virus-free
because each party's own mail and file gateways scan documents before they are shared; an installation that
needs scanning adds it in front of the file storage (see README, "Bilagor").
"""

import hashlib
import time
from dataclasses import dataclass
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import SuspiciousFileOperation, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db.models.fields.files import FieldFile
from django.http import FileResponse, Http404
from django.template.defaultfilters import filesizeformat
from django.utils.text import get_valid_filename
from django.utils.translation import gettext as _

from samverkan import document_checks, document_text
from samverkan.document_checks import OLE2_MAGIC  # noqa: F401 - part of this module's interface
from samverkan.personal_data import find_identity_numbers, mask_identity_number, validate_file_name

# extension -> (content type, how the content is recognised)
FORMATS: dict[str, tuple[str, str]] = {
    "pdf": ("application/pdf", "pdf:pdf"),
    "docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", "ooxml:docx"),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "ooxml:xlsx"),
    "pptx": ("application/vnd.openxmlformats-officedocument.presentationml.presentation", "ooxml:pptx"),
    "odt": ("application/vnd.oasis.opendocument.text", "odf:odt"),
    "ods": ("application/vnd.oasis.opendocument.spreadsheet", "odf:ods"),
    "odp": ("application/vnd.oasis.opendocument.presentation", "odf:odp"),
    "doc": ("application/msword", "ole2:doc"),
    "xls": ("application/vnd.ms-excel", "ole2:xls"),
    "ppt": ("application/vnd.ms-powerpoint", "ole2:ppt"),
}
MAX_TEXT_SECONDS = 20  # reading the text of a file for personal identity numbers stops and refuses after this
MAX_TEXT_CHARACTERS = 50_000_000
MAX_LOCATIONS_SHOWN = 3


@dataclass(frozen=True)
class CheckedFile:
    name: str
    content_type: str
    size: int
    sha256: str


def max_upload_bytes() -> int:
    return getattr(settings, "UPLOAD_MAX_BYTES", 10 * 1024 * 1024)


def allowed_extensions() -> str:
    return ", ".join(sorted(FORMATS))


def check_upload(upload: UploadedFile, *, field: str | None = None) -> CheckedFile:
    """Return what the file is, or raise ValidationError with the reason it is refused (in Swedish); with
    ``field``, the error is about that form field."""
    try:
        return _checked(upload)
    except ValidationError as error:
        if field is None:
            raise
        raise ValidationError({field: error.messages}) from error


def _checked(upload: UploadedFile) -> CheckedFile:
    validate_file_name(upload.name or "")
    try:
        name = get_valid_filename(PurePath(upload.name or "").name)
    except SuspiciousFileOperation:  # nothing usable left of the name, e.g. only symbols
        name = ""
    if not name or name.startswith("."):  # "™.pdf" leaves ".pdf", which has no extension of its own
        name = f"fil{name}"
    name = name[-150:]
    limit = max_upload_bytes()
    if upload.size is None or upload.size == 0:
        raise ValidationError(_("Filen är tom."), code="empty")
    if upload.size > limit:
        raise ValidationError(
            _("Filen är %(size)s. Största tillåtna storlek är %(limit)s.")
            % {"size": filesizeformat(upload.size), "limit": filesizeformat(limit)},
            code="too_large",
        )
    extension = PurePath(name).suffix.lower().lstrip(".")
    if extension not in FORMATS:
        raise ValidationError(
            _("Filtypen .%(ext)s tas inte emot. Tillåtna är PDF och kontorsdokument: %(allowed)s.")
            % {"ext": extension or "?", "allowed": allowed_extensions()},
            code="type",
        )
    content_type, rule = FORMATS[extension]
    upload.seek(0)
    data = upload.read()
    upload.seek(0)
    if not _content_matches(data, rule):
        raise ValidationError(
            _(
                "Filens innehåll stämmer inte med filtypen .%(ext)s. Filen kan vara skadad, "
                "ha fel filändelse eller vara ett makroaktiverat dokument. Spara den som PDF och försök igen."
            )
            % {"ext": extension},
            code="content",
        )
    _refuse_identity_numbers(data, rule)
    return CheckedFile(
        name=name, content_type=content_type, size=len(data), sha256=hashlib.sha256(data).hexdigest()
    )


def _content_matches(data: bytes, rule: str) -> bool:
    """Whether ``data`` opens as the format of ``rule``; raises ValidationError for macros, scripts, active
    PDF content and zip bombs."""
    kind, extension = rule.split(":")
    if kind == "pdf":
        return document_checks.check_pdf(data)
    if kind == "ole2":
        return document_checks.check_ole(data, extension)
    if kind == "odf":
        return document_checks.check_odf(data, extension)
    return document_checks.check_ooxml(data, extension)


def _refuse_identity_numbers(data: bytes, rule: str) -> None:
    """Refuse a file whose text contains a personal identity number, naming where (masked); a file whose text
    cannot be read within the limits is refused too, since it cannot be checked."""
    found: dict[str, list[str]] = {}
    started, characters = time.monotonic(), 0
    try:
        for where, text in document_text.passages(data, rule):
            characters += len(text)
            if characters > MAX_TEXT_CHARACTERS or time.monotonic() - started > MAX_TEXT_SECONDS:
                raise TimeoutError
            for hit in find_identity_numbers(text):
                masked = found.setdefault(where, [])
                if mask_identity_number(hit) not in masked:
                    masked.append(mask_identity_number(hit))
    except ValidationError:
        raise
    except Exception as unreadable:  # the parsers raise many kinds of errors; an unchecked text is refused
        raise ValidationError(
            _(
                "Texten i filen kunde inte läsas och kontrolleras för personnummer. Spara den på nytt, till "
                "exempel som PDF, eller dela upp den i mindre filer och försök igen."
            ),
            code="unreadable",
        ) from unreadable
    if found:
        places = [f"{', '.join(hits)} ({where})" for where, hits in list(found.items())[:MAX_LOCATIONS_SHOWN]]
        if len(found) > MAX_LOCATIONS_SHOWN:
            places.append(_("och på fler ställen"))
        raise ValidationError(
            _(
                "Filen innehåller personnummer eller samordningsnummer: %(places)s. Portalen får inte "
                "innehålla uppgifter som identifierar en enskild person – ta bort dem ur filen och försök "
                "igen."
            )
            % {"places": "; ".join(places)},
            code="personal_identity_number",
        )


def download_response(stored: FieldFile, *, name: str, content_type: str) -> FileResponse:
    """Serve a stored upload as a private download, never displayed inline (404 if the file is gone)."""
    try:
        handle = stored.open("rb")
    except FileNotFoundError as missing:
        raise Http404 from missing
    response = FileResponse(handle, as_attachment=True, filename=name, content_type=content_type)
    response["Cache-Control"] = "private, no-store"
    return response
