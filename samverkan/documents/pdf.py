"""PDF from an HTML template with WeasyPrint, in the shared print style (templates/documents/pdf/print.css).

WeasyPrint reads our own static files (the fonts) and nothing else, so a document can never fetch from the
network or read a file elsewhere on the server, whatever its text holds.
"""

import logging
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation

logger = logging.getLogger(__name__)

ARCHIVE_VARIANT = "pdf/a-3a"  # archivable and tagged


class PdfRenderError(Exception):
    """The PDF could not be produced; nothing was stored."""


def static_dir() -> Path:
    """The only directory WeasyPrint may read from; documents' relative URLs resolve against it."""
    return Path(settings.BASE_DIR) / "static"


def static_only_fetcher():
    """A WeasyPrint URL fetcher that serves files under static_dir() and refuses everything else."""
    from weasyprint import URLFetcher

    root = static_dir().resolve()

    class StaticOnly(URLFetcher):
        def fetch(self, url, headers=None):
            path = Path(unquote(urlsplit(url).path)).resolve() if url.startswith("file:") else None
            if path is None or not path.is_relative_to(root):
                raise ValueError(f"refused to fetch {url}")
            return super().fetch(url, headers)

    return StaticOnly(allowed_protocols=["file"])


def html_to_pdf(html: str, *, subject: object, variant: str | None = None) -> bytes:
    """The PDF of the HTML, tagged (and archivable with variant=ARCHIVE_VARIANT). Raises PdfRenderError
    and logs, naming the subject, when WeasyPrint fails."""
    from weasyprint import HTML

    try:
        document = HTML(string=html, base_url=static_dir().as_uri() + "/", url_fetcher=static_only_fetcher())
        return document.write_pdf(pdf_variant=variant, pdf_tags=True)
    except Exception as error:
        logger.exception("PDF rendering failed for %s", subject)
        raise PdfRenderError(str(error)) from error


def render_pdf(template_name: str, context: dict, *, subject: object, variant: str | None = None) -> bytes:
    """The template rendered in Swedish and made a PDF (see html_to_pdf)."""
    with translation.override("sv"):
        html = render_to_string(template_name, context)
    return html_to_pdf(html, subject=subject, variant=variant)
