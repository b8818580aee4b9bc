"""Uploaded files are recognised by their content: PDF and office documents within the size limit, nothing
else. Each refusal says why, in Swedish, with a code the caller can act on."""

import hashlib

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from samverkan.uploads import FORMATS, CheckedFile, check_upload
from tests.documents import (
    excel97,
    odp_bytes,
    ods_bytes,
    odt_bytes,
    ooxml,
    packed,
    pdf_bytes,
    powerpoint97,
    pptx_bytes,
    word97,
    xlsx_bytes,
)
from tests.factories import docx_upload, pdf_upload


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


def docx_package(*extra: tuple[str, bytes]) -> bytes:
    return ooxml("word/document.xml", WORD_BODY, *extra)


WORD_BODY = b'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"/>'


def refusal(file: SimpleUploadedFile) -> ValidationError:
    with pytest.raises(ValidationError) as caught:
        check_upload(file)
    return caught.value


# --- Accepted formats --------------------------------------------------------------------------------


def test_a_pdf_is_accepted_and_described_by_its_content():
    file = pdf_upload("Protokoll.pdf")
    content = file.read()
    checked = check_upload(file)
    assert checked == CheckedFile(
        name="Protokoll.pdf",
        content_type="application/pdf",
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
    )


def test_a_pdf_may_have_whitespace_before_its_header():
    assert (
        check_upload(upload("skannad.pdf", b"\r\n  " + pdf_bytes("Skannad"))).content_type
        == "application/pdf"
    )


def test_a_word_document_made_by_python_docx_is_accepted():
    checked = check_upload(docx_upload("Föredragning.docx"))
    assert checked.name == "Föredragning.docx"
    assert checked.content_type == FORMATS["docx"][0]


@pytest.mark.parametrize(
    ("name", "content", "content_type"),
    [
        ("budget.xlsx", xlsx_bytes({"A1": "Kostnad"}), FORMATS["xlsx"][0]),
        ("bilder.pptx", pptx_bytes("Samverkan"), FORMATS["pptx"][0]),
        ("text.odt", odt_bytes("Rutin"), "application/vnd.oasis.opendocument.text"),
        ("kalkyl.ods", ods_bytes([["Kostnad"]]), "application/vnd.oasis.opendocument.spreadsheet"),
        ("bilder.odp", odp_bytes("Samverkan"), "application/vnd.oasis.opendocument.presentation"),
        ("gammal.doc", word97(), "application/msword"),
        ("gammal.xls", excel97(), "application/vnd.ms-excel"),
        ("gammal.ppt", powerpoint97(), "application/vnd.ms-powerpoint"),
    ],
)
def test_office_documents_are_recognised_by_their_content(name, content, content_type):
    checked = check_upload(upload(name, content))
    assert (checked.name, checked.content_type, checked.size) == (name, content_type, len(content))


def test_the_extension_is_compared_without_regard_to_case():
    assert check_upload(pdf_upload("SKANNAD.PDF")).content_type == "application/pdf"


def test_the_file_can_be_read_again_after_the_check():
    file = pdf_upload()
    check_upload(file)
    assert file.read().startswith(b"%PDF-")


# --- Refusals ----------------------------------------------------------------------------------------


def test_an_empty_file_is_refused():
    error = refusal(upload("tom.pdf", b""))
    assert (error.code, error.messages) == ("empty", ["Filen är tom."])


def test_a_file_over_the_size_limit_is_refused_with_both_sizes(settings):
    settings.UPLOAD_MAX_BYTES = 2048
    error = refusal(upload("stor.pdf", b"%PDF-1.7\n" + b"0" * 3000))
    assert error.code == "too_large"
    assert "Filen är 2,9\xa0kB. Största tillåtna storlek är 2,0\xa0kB." in error.messages


def test_a_file_exactly_at_the_size_limit_is_accepted(settings):
    content = pdf_bytes("Lagom")
    settings.UPLOAD_MAX_BYTES = len(content)
    assert check_upload(upload("lagom.pdf", content)).size == len(content)


@pytest.mark.parametrize(
    ("name", "shown"), [("program.exe", ".exe"), ("sida.html", ".html"), ("README", ".?")]
)
def test_other_file_types_are_refused_with_the_list_of_allowed_ones(name, shown):
    error = refusal(upload(name, b"%PDF-1.7\n"))
    assert error.code == "type"
    [message] = error.messages
    assert message.startswith(f"Filtypen {shown} tas inte emot.")
    assert "doc, docx, odp, ods, odt, pdf, ppt, pptx, xls, xlsx" in message


@pytest.mark.parametrize(
    ("name", "content"),
    [
        pytest.param(
            "kallelse.pdf", b"<!DOCTYPE html><html><script>alert(1)</script></html>", id="html-as-pdf"
        ),
        pytest.param("underlag.docx", packed([("word.txt", b"inte ett dokument")]), id="plain-zip-as-docx"),
        pytest.param("underlag.docx", xlsx_bytes({"A1": "x"}), id="xlsx-as-docx"),
        pytest.param("budget.xlsx", b"PK\x03\x04 trasig", id="broken-zip"),
        pytest.param(
            "text.odt",
            packed([("content.xml", b"<x/>"), ("mimetype", b"application/vnd.oasis.opendocument.text")]),
            id="odf-mimetype-not-first",
        ),
        pytest.param(
            "text.odt",
            packed([("mimetype", b"application/zip"), ("content.xml", b"<x/>")]),
            id="odf-wrong-mime",
        ),
        pytest.param("gammal.doc", b"%PDF-1.7\n", id="pdf-as-doc"),
        pytest.param("gammal.xls", xlsx_bytes({"A1": "x"}), id="xlsx-as-xls"),
    ],
)
def test_content_that_does_not_match_the_extension_is_refused(name, content):
    error = refusal(upload(name, content))
    extension = name.rsplit(".", 1)[1]
    assert error.code == "content"
    [message] = error.messages
    assert message.startswith(f"Filens innehåll stämmer inte med filtypen .{extension}.")
    assert "Spara den som PDF och försök igen." in message


@pytest.mark.parametrize(
    ("name", "content", "part"),
    [
        pytest.param(
            "makro.docx", docx_package(("word/vbaProject.bin", bytes(64))), "vbaProject.bin", id="docm"
        ),
        pytest.param(
            "makro.xlsx",
            ooxml("xl/workbook.xml", b"<x/>", ("xl/VBAPROJECT.BIN", bytes(64))),
            "VBAPROJECT.BIN",
            id="xlsm-upper-case",
        ),
    ],
)
def test_a_macro_enabled_document_with_its_macros_named_as_usual_is_refused(name, content, part):
    error = refusal(upload(name, content))
    [message] = error.messages
    assert error.code == "macros"
    assert message.startswith("Filen innehåller makron eller annan körbar kod (")
    assert part in message


def test_a_zip_bomb_is_refused_although_it_looks_like_a_word_document():
    content = docx_package(("word/media/tom.bin", bytes(5 * 1024 * 1024)))
    assert len(content) * 100 < 5 * 1024 * 1024  # small when packed, huge when unpacked
    assert refusal(upload("bomb.docx", content)).code == "archive"


def test_a_well_compressed_document_is_not_mistaken_for_a_zip_bomb():
    content = docx_package(("word/styles.xml", b"<w:style/>" * 2000))
    assert check_upload(upload("text.docx", content)).content_type == FORMATS["docx"][0]


# --- File names --------------------------------------------------------------------------------------


def test_folders_in_the_name_are_dropped_and_the_rest_made_safe():
    file = pdf_upload()
    file._name = "../../etc/Plan för (2026).pdf"  # as a client that does not clean the name would send it
    assert check_upload(file).name == "Plan_för_2026.pdf"


def test_a_long_name_is_cut_from_the_front_so_the_extension_stays():
    checked = check_upload(pdf_upload("a" * 200 + ".pdf"))
    assert len(checked.name) == 150 and checked.name.endswith("aaa.pdf")


def test_a_pdf_named_only_with_symbols_is_kept_as_fil_pdf():
    checked = check_upload(pdf_upload("™.pdf"))
    assert (checked.name, checked.content_type) == ("fil.pdf", "application/pdf")


def test_a_name_with_nothing_usable_left_is_refused_for_its_type_not_with_an_error():
    error = refusal(pdf_upload("%%%"))
    assert error.code == "type"
    assert error.messages[0].startswith("Filtypen .? tas inte emot.")
