import io
import re
from unittest import mock

import pytest
from django.tasks import default_task_backend
from django.urls import reverse
from pypdf import PdfReader

from agreements import pdf, services
from agreements.models import AgreementVersion, Duty, TargetGroup, VersionPdf
from samverkan.demo.loader import demo_load
from tests.factories import agreement


def text_of(data: bytes) -> tuple[list[str], str]:
    pages = [page.extract_text() for page in PdfReader(io.BytesIO(data)).pages]
    return pages, re.sub(r"\s+", " ", " ".join(pages))


def flat(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def download(client, version: AgreementVersion, **headers):
    return client.get(reverse("agreements:pdf", args=[version.agreement_id, version.number]), headers=headers)


def test_blekinge_pdf_has_cover_contents_every_table_signatures_and_footer(db):
    demo_load()  # every registered loader, the agreements' too
    version = AgreementVersion.objects.get(
        agreement__county__code="10", status=AgreementVersion.Status.ADOPTED
    )
    pages, text = text_of(pdf.render_version_pdf(version))
    cover = flat(pages[0])
    assert "Överenskommelse om samarbete mellan Region Blekinge och kommunerna i Blekinge" in cover
    assert "blekinge län" in cover.lower() and "Version" in cover and "antagen 2024-03-08" in cover
    assert "Ronneby kommun" in cover and "Region Blekinge" in cover
    assert "Personer i psykiatrisk tvångsvård" in cover
    assert "2023-06-01 – 2026-12-31" in cover
    contents = flat(pages[1])
    assert contents.startswith("Innehåll")
    assert re.search(r"1\.1 Bakgrund[ .]+\d+", contents), "table of contents has page numbers"
    for group in TargetGroup.objects.filter(version=version):
        duty = min(Duty.objects.filter(area__target_group=group), key=lambda d: len(d.text))
        assert flat(duty.text) in text, f"a duty of {group.name}"
    assert "Underskrifter" in flat(pages[-1]) and "Ort och datum" in flat(pages[-1])
    assert "Syfte" in text and "Syftet med överenskommelsen är att identifiera, stärka" in text
    assert "Gemensamma mål" in text and "I all samverkan ska individen bemötas med respekt" in text
    total = len(pages)
    for number, page in enumerate(pages, start=1):
        assert f"Version 2 · antagen 2024-03-08 · sida {number} av {total}" in flat(page)


def test_pdf_metadata_says_what_the_document_is(db):
    version = agreement()
    reader = PdfReader(io.BytesIO(pdf.render_version_pdf(version)))
    assert reader.metadata.title == "Överenskommelse om samarbete"
    assert "version 1" in reader.metadata.subject
    assert reader.metadata.creation_date is not None
    assert "/Lang" in reader.trailer["/Root"]


def test_draft_pdf_is_watermarked_on_every_page_and_not_cached(client, blekinge_editor):
    version = agreement()
    draft = services.version_revision_create(agreement=version.agreement, by=None, reason="r")
    client.force_login(blekinge_editor)
    response = download(client, draft)
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    pages, _text = text_of(response.content)
    assert all("UTKAST" in page for page in pages)
    assert not VersionPdf.objects.exists()


def test_draft_pdf_is_invisible_to_the_public_and_to_officials(client, karlskrona_official):
    version = agreement()
    draft = services.version_revision_create(agreement=version.agreement, by=None, reason="r")
    assert download(client, draft).status_code == 404
    client.force_login(karlskrona_official)
    assert download(client, draft).status_code == 404


def test_adopted_pdf_is_rendered_once_and_then_served_from_storage(client, db):
    version = agreement()
    first = download(client, version)
    assert first.status_code == 200
    assert first["Content-Disposition"].startswith('attachment; filename="overenskommelse-blekinge-')
    body = b"".join(first.streaming_content)
    stored = VersionPdf.objects.get(version=version)
    assert stored.size == len(body)
    with mock.patch("agreements.pdf.render_version_pdf", side_effect=AssertionError("rendered again")):
        second = download(client, version)
        assert second.status_code == 200
        assert b"".join(second.streaming_content) == body
        not_modified = download(client, version, if_none_match=f'"{stored.sha256}"')
        assert not_modified.status_code == 304


def test_adopted_pdf_is_archival_and_its_checksum_is_on_the_agreement_page(client, db):
    version = agreement()
    stored = pdf.stored_pdf(version)
    reader = PdfReader(stored.file.open("rb"))
    xmp = reader.trailer["/Root"]["/Metadata"].get_object().get_data()
    assert b"pdfaid:part" in xmp  # PDF/A identification
    assert "/StructTreeRoot" in reader.trailer["/Root"]  # tagged
    html = client.get(version.agreement.get_absolute_url()).content.decode()
    assert stored.sha256 in html
    assert reverse("agreements:pdf", args=[version.agreement_id, 1]) in html


def test_failed_rendering_shows_an_error_page_and_stores_nothing(client, db, caplog):
    version = agreement()
    with mock.patch("weasyprint.HTML.write_pdf", side_effect=RuntimeError("boom")):
        response = download(client, version)
    assert response.status_code == 500
    assert "PDF:en kunde inte skapas" in response.content.decode()
    assert not VersionPdf.objects.exists()
    assert "PDF rendering failed" in caplog.text


def test_failed_storage_leaves_no_file_and_no_row(db, settings):
    version = agreement()
    with (
        mock.patch("agreements.pdf.VersionPdf.objects.create", side_effect=RuntimeError("db down")),
        pytest.raises(pdf.PdfRenderError),
    ):
        pdf.stored_pdf(version)
    assert not VersionPdf.objects.exists()
    assert not any((settings.MEDIA_ROOT / "agreements" / "pdf").glob("*.pdf"))


def test_adopting_a_version_queues_rendering_of_its_pdf(db, django_capture_on_commit_callbacks):
    version = agreement()
    draft = services.version_revision_create(agreement=version.agreement, by=None, reason="r")
    default_task_backend.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.version_adopt(
            version=draft,
            adopted_on=version.adopted_on,
            decision_reference="LSVO § 1",
            change="Ändrat",
            by=None,
        )
    queued = [result.args for result in default_task_backend.results]
    assert [draft.pk] in queued
