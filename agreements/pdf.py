"""The agreement as a PDF document (WeasyPrint), rendered from the same data as the web pages.

Drafts are rendered on every request and watermarked; an adopted version is rendered once, stored in the
default file storage with its SHA-256, and served from there afterwards.
"""

import hashlib
import logging
import time

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.utils import timezone, translation

from agreements import CACHE_SCOPE, selectors
from agreements.models import Agreement, AgreementVersion, VersionPdf
from samverkan import pagecache
from samverkan.documents.pdf import ARCHIVE_VARIANT, PdfRenderError, render_pdf

logger = logging.getLogger(__name__)


def _context(version: AgreementVersion) -> dict:
    agreement = version.agreement
    outline = selectors.version_outline(version)
    with_parties = (
        Agreement.objects.select_related("county")
        .prefetch_related("parties__organisation")
        .get(pk=agreement.pk)
    )
    groups = []
    for group in outline.target_groups:
        rows = selectors.responsibility_table(group)
        groups.append(
            {
                "group": group,
                "rows": rows,
                "has_shared": any(row.shared for row in rows),
                "headings": selectors.column_headings(with_parties, group),
                "development_areas": list(selectors.development_areas(group)),
            }
        )
    versions = [v for v in agreement.versions.order_by("-number") if v.number <= version.number]
    return {
        "agreement": agreement,
        "version": version,
        "outline": outline,
        "groups": groups,
        "parties": list(agreement.parties.select_related("organisation")),
        "signatories": list(agreement.signatories.select_related("organisation")),
        "history": selectors.change_history(versions),
        "draft": version.status == AgreementVersion.Status.DRAFT,
        "created": timezone.now(),
    }


def render_version_pdf(version: AgreementVersion) -> bytes:
    """Render a version to PDF bytes (archivable once adopted). Raises PdfRenderError (and logs) when
    WeasyPrint fails."""
    variant = None if version.status == AgreementVersion.Status.DRAFT else ARCHIVE_VARIANT
    with translation.override("sv"):
        context = _context(version)
    return render_pdf("agreements/pdf/version.html", context, subject=version, variant=variant)


def stored_pdf(version: AgreementVersion) -> VersionPdf:
    """The stored PDF of an adopted or superseded version, rendering and storing it the first time."""
    existing = VersionPdf.objects.filter(version=version).first()
    if existing:
        return existing
    started = time.perf_counter()
    data = render_version_pdf(version)
    seconds = time.perf_counter() - started
    digest = hashlib.sha256(data).hexdigest()
    name = f"agreements/pdf/{version.agreement_id}-v{version.number}-{digest[:16]}.pdf"
    saved = None
    try:
        saved = default_storage.save(name, ContentFile(data))
        with transaction.atomic():
            stored = VersionPdf.objects.create(
                version=version, file=saved, sha256=digest, size=len(data), render_seconds=seconds
            )
            pagecache.bump(CACHE_SCOPE)  # the agreement page shows the checksum
            return stored
    except IntegrityError:  # rendered at the same time by another request: keep theirs
        default_storage.delete(saved)
        return VersionPdf.objects.get(version=version)
    except Exception:
        if saved:
            default_storage.delete(saved)
        logger.exception("Storing the PDF of %s failed", version)
        raise PdfRenderError("the PDF could not be stored") from None


def file_name(version: AgreementVersion) -> str:
    slug = version.agreement.county.short_name.lower().replace(" ", "-")
    suffix = "-utkast" if version.status == AgreementVersion.Status.DRAFT else ""
    return f"overenskommelse-{slug}-{version.agreement_id}-version-{version.number}{suffix}.pdf"
