"""The documents the core renders for the apps: PDF with WeasyPrint, Word with python-docx."""

import io
from unittest import mock

import docx
import pytest

from samverkan.documents import pdf, word


def test_the_pdf_fetcher_reads_the_static_files_and_nothing_else():
    fetcher = pdf.static_only_fetcher()
    font = pdf.static_dir() / "vendor/noto-sans/noto-sans-latin-400-normal.woff"
    response = fetcher.fetch(font.as_uri())
    assert response.read()[:4] == b"wOFF"
    response.close()
    for url in [
        "file:///etc/passwd",
        (pdf.static_dir() / "../pyproject.toml").as_uri(),
        "https://example.org/x",
    ]:
        with pytest.raises(ValueError, match="refused"):
            fetcher.fetch(url)


def test_a_document_that_points_outside_the_static_files_is_rendered_without_it(caplog):
    data = pdf.html_to_pdf('<p>Hej</p><img src="file:///etc/passwd" alt="">', subject="test")
    assert data.startswith(b"%PDF")
    assert "refused to fetch file:///etc/passwd" in caplog.text


def test_a_failed_rendering_raises_and_logs_what_it_was_for(caplog):
    with (
        mock.patch("weasyprint.HTML.write_pdf", side_effect=RuntimeError("boom")),
        pytest.raises(pdf.PdfRenderError, match="boom"),
    ):
        pdf.render_pdf("documents/pdf/print.css", {}, subject="protokollet 2026-03-05")
    assert "PDF rendering failed for protokollet 2026-03-05" in caplog.text


def test_a_word_document_is_swedish_with_its_title_and_a_table_whose_header_repeats():
    document = word.start(heading="Protokoll", kicker="LSVO · Blekinge län", title="Protokoll – LSVO")
    word.section(document, "Bakgrund", hint="Varför ärendet tas upp.")
    word.table(document, ["Nr", "Ärende"], [(1, "Årsrapport")], blank_rows=2)
    file = word.saved(document, "protokoll", "LSVO", "2026-03-05")
    assert file.filename == "protokoll-LSVO-2026-03-05.docx" and file.content_type == word.DOCX
    read = docx.Document(io.BytesIO(file.content))
    assert read.core_properties.title == "Protokoll – LSVO" and read.core_properties.language == "sv-SE"
    assert [p.text for p in read.paragraphs[:3]] == ["LSVO · Blekinge län", "Protokoll", "Bakgrund"]
    assert read.paragraphs[3].runs[0].text == "Varför ärendet tas upp." and read.paragraphs[3].runs[0].italic
    [table] = read.tables
    assert len(table.rows) == 4 and table.rows[1].cells[1].text == "Årsrapport"
    assert table.rows[0]._tr.xpath("w:trPr/w:tblHeader")


def test_a_file_name_is_slugified_but_keeps_an_abbreviations_case():
    assert word.slug("LSVO") == "LSVO" and word.slug("Länsstyrgrupp Blekinge") == "lansstyrgrupp-blekinge"
