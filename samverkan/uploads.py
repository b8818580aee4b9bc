"""Checks for uploaded files: PDF and office documents only, recognised by their content, within a size limit.

The portal does not scan for viruses. It accepts only formats that it can recognise from their bytes, refuses
macro-enabled office formats and archives that are not office documents, and serves every file as a download
(`Content-Disposition: attachment`, `X-Content-Type-Options: nosniff`). Files are assumed to be virus-free
because each party's own mail and file gateways scan documents before they are shared; an installation that
needs scanning adds it in front of the file storage (see README, "Bilagor").
"""

import hashlib
import io
import zipfile
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

from samverkan.personal_data import validate_file_name

OLE2_MAGIC = bytes.fromhex("d0cf11e0a1b11ae1")

# extension -> (content type, how the content is recognised)
FORMATS: dict[str, tuple[str, str]] = {
    "pdf": ("application/pdf", "pdf"),
    "docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", "ooxml:word/"),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "ooxml:xl/"),
    "pptx": ("application/vnd.openxmlformats-officedocument.presentationml.presentation", "ooxml:ppt/"),
    "odt": ("application/vnd.oasis.opendocument.text", "odf"),
    "ods": ("application/vnd.oasis.opendocument.spreadsheet", "odf"),
    "odp": ("application/vnd.oasis.opendocument.presentation", "odf"),
    "doc": ("application/msword", "ole2"),
    "xls": ("application/vnd.ms-excel", "ole2"),
    "ppt": ("application/vnd.ms-powerpoint", "ole2"),
}
MAX_UNPACKED_RATIO = 100  # an office document that unpacks to more than this is treated as a zip bomb


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
    return CheckedFile(
        name=name, content_type=content_type, size=len(data), sha256=hashlib.sha256(data).hexdigest()
    )


def _content_matches(data: bytes, rule: str) -> bool:
    if rule == "pdf":
        return data[:1024].lstrip().startswith(b"%PDF-")
    if rule == "ole2":
        return data.startswith(OLE2_MAGIC)
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        names = archive.namelist()
        unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, ValueError):
        return False
    if unpacked > max(len(data), 1) * MAX_UNPACKED_RATIO:
        return False
    if any(n.lower().endswith("vbaproject.bin") or n.startswith(("Basic/", "Scripts/")) for n in names):
        return False  # macros: inside a renamed .docm/.xlsm, or OpenDocument Basic or scripts
    if rule == "odf":
        return names[:1] == ["mimetype"] and archive.read("mimetype").startswith(
            b"application/vnd.oasis.opendocument."
        )
    prefix = rule.split(":", 1)[1]
    return "[Content_Types].xml" in names and any(n.startswith(prefix) for n in names)


def download_response(stored: FieldFile, *, name: str, content_type: str) -> FileResponse:
    """Serve a stored upload as a private download, never displayed inline (404 if the file is gone)."""
    try:
        handle = stored.open("rb")
    except FileNotFoundError as missing:
        raise Http404 from missing
    response = FileResponse(handle, as_attachment=True, filename=name, content_type=content_type)
    response["Cache-Control"] = "private, no-store"
    return response
