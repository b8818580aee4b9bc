"""The upload corpus: files made here (nothing binary is committed) that the upload checks must refuse, each
with a clear Swedish reason, and clean files of every accepted format that must still pass. Files whose text
holds a personal identity number are refused with the number masked and the place named."""

import io
import zipfile

import docx
import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from pypdf.actions import JavaScript
from weasyprint import HTML

from samverkan.uploads import FORMATS, check_upload
from tests import documents as make

NUMBER = "811218-9876"
MASKED = "811218-****"
LONG_NUMBER = "19640823-3234"

DOCM = "application/vnd.ms-word.document.macroEnabled.main+xml"
XLSM = "application/vnd.ms-excel.sheet.macroEnabled.main+xml"


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


def refusal(name: str, content: bytes) -> ValidationError:
    with pytest.raises(ValidationError) as caught:
        check_upload(upload(name, content))
    return caught.value


def zip_bomb(size: int) -> bytes:
    """A zip archive of ``size`` zero bytes, written in pieces so that the test needs little memory."""
    buffer = io.BytesIO()
    piece = bytes(1024 * 1024)
    with (
        zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive,
        archive.open("noll.bin", "w") as member,
    ):
        for _ in range(size // len(piece)):
            member.write(piece)
    return buffer.getvalue()


def understated(archive: bytes, size: int) -> bytes:
    """The archive with the unpacked size of its (only) member claimed to be ``size`` in both headers."""
    local = archive.index(b"PK\x03\x04") + 22
    central = archive.index(b"PK\x01\x02") + 24
    claimed = size.to_bytes(4, "little")
    return archive[:local] + claimed + archive[local + 4 : central] + claimed + archive[central + 4 :]


def docx_with_header(text: str) -> bytes:
    document = docx.Document()
    document.add_paragraph("Underlag")
    document.sections[0].header.paragraphs[0].text = text
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def word97_with_vba_elsewhere() -> bytes:
    """Old Word file whose VBA project sits in a storage with another name than Macros."""
    streams = {"WordDocument": b"\xec\xa5" + bytes(64), "1Table": bytes(64)}
    return make.ole_file(streams | {f"Projekt/{path}": data for path, data in make.VBA_PROJECT.items()})


def odt_calling_a_macro() -> bytes:
    link = '<text:p><text:a xlink:href="vnd.sun.star.script:Standard.Module1.Main?language=Basic">x</text:a>'
    return make.odf(
        "text", link.replace("<text:a", '<text:a xmlns:xlink="http://www.w3.org/1999/xlink"') + "</text:p>"
    )


MANIFEST_WITH_SCRIPTS = make.MANIFEST.replace(
    b"</manifest:manifest>",
    b'<manifest:file-entry manifest:full-path="Scripts/python/run.py" manifest:media-type=""/>'
    b"</manifest:manifest>",
)

# name -> (how to make it, the refusal code, words the message must contain)
REFUSED = {
    # old binary formats: really OLE, the right kind, no VBA
    "makro.doc": (lambda: make.word97(macros=True), "macros", "makron"),
    "makro.xls": (lambda: make.excel97(macros=True), "macros", "makron"),
    "vba-i-annan-lagring.doc": (word97_with_vba_elsewhere, "macros", "makron"),
    "losenordsskyddad.doc": (lambda: make.word97(encrypted=True), "encrypted", "lösenordsskyddat"),
    "losenordsskyddad.docx": (
        lambda: make.ole_file(
            {"EncryptionInfo": b"\x04\x00\x04\x00\x40\x00\x00\x00", "EncryptedPackage": bytes(64)}
        ),
        "encrypted",
        "lösenordsskyddat",
    ),
    "ole-och-html.doc": (
        lambda: make.OLE2_MAGIC + b"<html><script>alert(1)</script></html>" * 40,
        "content",
        "stämmer inte med filtypen .doc",
    ),
    "ole-utan-word.doc": (lambda: make.ole_file({"Data": b"x"}), "content", "stämmer inte med filtypen .doc"),
    "word-som-excel.xls": (lambda: make.word97(), "content", "stämmer inte med filtypen .xls"),
    # OOXML: judged by content types and by the OLE files inside, not by part names
    "makrodel-med-annat-namn.docx": (
        lambda: make.docx_with(
            ("word/kod.bin", make.vba_project_bin()),
            types={"word/kod.bin": "application/vnd.ms-office.vbaProject"},
        ),
        "macros",
        "word/kod.bin",
    ),
    "makroinnehallstyp.docx": (
        lambda: make.docx_with(
            ("word/kod.bin", bytes(600)), types={"word/kod.bin": "application/vnd.ms-office.vbaProject"}
        ),
        "macros",
        "vbaproject",
    ),
    "makro-forklatt-som-bild.docx": (
        lambda: make.docx_with(("word/media/image1.png", make.vba_project_bin())),
        "macros",
        "word/media/image1.png",
    ),
    "docm-omdopt.docx": (
        lambda: make.ooxml("word/document.xml", types={"word/document.xml": DOCM}),
        "macros",
        "macroenabled",
    ),
    "xlsm-omdopt.xlsx": (
        lambda: make.ooxml("xl/workbook.xml", types={"xl/workbook.xml": XLSM}),
        "macros",
        "macroenabled",
    ),
    "excel4-makroblad.xlsx": (
        lambda: make.ooxml(
            "xl/workbook.xml",
            b"<x/>",
            ("xl/macrosheets/sheet1.xml", b"<x/>"),
            types={"xl/macrosheets/sheet1.xml": "application/vnd.ms-excel.macrosheet+xml"},
        ),
        "macros",
        "macrosheet",
    ),
    "activex.docx": (
        lambda: make.docx_with(
            ("word/activeX/activeX1.xml", b"<ax/>"),
            types={"word/activeX/activeX1.xml": "application/vnd.ms-office.activeX+xml"},
        ),
        "macros",
        "activex",
    ),
    "inbaddad-xlsm.docx": (
        lambda: make.docx_with(
            ("word/embeddings/Kalkyl.xlsx", make.ooxml("xl/workbook.xml", types={"xl/workbook.xml": XLSM}))
        ),
        "macros",
        "macroenabled",
    ),
    "zip-som-docx.docx": (
        lambda: make.packed([("word.txt", b"inte ett dokument")]),
        "content",
        "stämmer inte med filtypen .docx",
    ),
    # archives inside documents count, measured by what they really unpack to
    "zipbomb-inuti.docx": (
        lambda: make.docx_with(
            ("word/embeddings/paket.zip", zip_bomb(200 * 1024 * 1024)), stored=("word/embeddings/paket.zip",)
        ),
        "archive",
        "zip-bomb",
    ),
    "lognande-storlek-inuti.docx": (
        lambda: make.docx_with(
            ("word/embeddings/paket.zip", understated(make.zip_of_zeros(30 * 1024 * 1024), 100)),
            stored=("word/embeddings/paket.zip",),
        ),
        "content",
        "stämmer inte med filtypen .docx",
    ),
    "djupt-nastlad.docx": (
        lambda: make.docx_with(
            ("word/embeddings/paket.zip", make.nested_zip(4)), stored=("word/embeddings/paket.zip",)
        ),
        "archive",
        "arkiv inuti arkiv",
    ),
    # OpenDocument: Basic, scripts and calls to macros
    "basic.odt": (
        lambda: make.odf("text", "<text:p>x</text:p>", ("Basic/Standard/Module1.xml", b"<module/>")),
        "macros",
        "Basic/",
    ),
    "skript-i-manifestet.odt": (
        lambda: make.odf("text", "<text:p>x</text:p>", manifest=MANIFEST_WITH_SCRIPTS),
        "macros",
        "Basic",
    ),
    "makroanrop.odt": (odt_calling_a_macro, "macros", "content.xml"),
    "kalkyl-som-text.odt": (
        lambda: make.ods_bytes([["x"]]),
        "content",
        "stämmer inte med filtypen .odt",
    ),
    # PDF: pypdf must open it, and it may not run code or carry files
    "pdf-huvud-och-html.pdf": (
        lambda: b"%PDF-1.4\n<html><body><script>alert(1)</script></body></html>\n",
        "content",
        "stämmer inte med filtypen .pdf",
    ),
    "avklippt.pdf": (lambda: make.pdf_bytes("Rutin")[:300], "content", "stämmer inte med filtypen .pdf"),
    "javascript.pdf": (
        lambda: make.pdf_with(lambda writer: writer.add_open_action(JavaScript("app.alert(1)"))),
        "active_content",
        "JavaScript",
    ),
    "javascript-i-lank.pdf": (lambda: make.pdf_with(make.javascript_link), "active_content", "JavaScript"),
    "javascript-hexkodat-namn.pdf": (
        lambda: (
            make.pdf_with(make.javascript_link)
            .replace(b"/JavaScript", b"/J#61vaScript")
            .replace(b"/JS ", b"/J#53 ")
        ),
        "active_content",
        "JavaScript",
    ),
    "losenordsskyddad.pdf": (
        lambda: make.pdf_with(lambda writer: writer.encrypt("hemligt")),
        "encrypted",
        "lösenordsskyddad",
    ),
    "startar-program.pdf": (lambda: make.pdf_with(make.launch_action), "active_content", "Launch"),
    "bifogad-fil.pdf": (
        lambda: make.pdf_with(lambda writer: writer.add_attachment("program.exe", b"MZ")),
        "active_content",
        "Embedded",
    ),
}

ACCEPTED = {
    "pypdf.pdf": lambda: make.pdf_bytes("Protokoll", "Bilaga 2"),
    "weasyprint.pdf": lambda: HTML(string="<h1>Kallelse</h1><p>Mötet hålls den 3 mars.</p>").write_pdf(),
    "krypterad-utan-losenord-for-att-lasa.pdf": lambda: make.pdf_with(
        lambda writer: writer.encrypt("", "agare", algorithm="AES-256")
    ),
    "python-docx.docx": lambda: make.docx_bytes("Föredragning", "Beslut 2026-03-03, dnr 2026/1234"),
    "med-sidhuvud.docx": lambda: docx_with_header("Region Blekinge"),
    "med-inbaddad-kalkyl.docx": lambda: make.docx_with(
        ("word/embeddings/Kalkyl.xlsx", make.xlsx_bytes({"A1": "Kostnad"}))
    ),
    "budget.xlsx": lambda: make.xlsx_bytes({"A1": "Kostnad", "B1": "120000"}),
    "bilder.pptx": lambda: make.pptx_bytes("Samverkan", "Åtgärder"),
    "text.odt": lambda: make.odt_bytes("Rutin", "Telefon 0455-73 50 00"),
    "tom-skriptlista.odt": lambda: make.odf("text", "<text:p>x</text:p>", scripts="<office:scripts/>"),
    "kalkyl.ods": lambda: make.ods_bytes([["Kostnad", "120000"]]),
    "bilder.odp": lambda: make.odp_bytes("Samverkan"),
    "gammal.doc": lambda: make.word97("Underlag"),
    "gammal.xls": lambda: make.excel97("Budget"),
    "gammal.ppt": lambda: make.powerpoint97("Bild"),
}

# name -> (how to make it with the number in it, where the message says it is)
WITH_NUMBER = {
    "protokoll.pdf": (lambda: make.pdf_bytes("Protokoll", f"Patient {NUMBER}"), "sidan 2"),
    "underlag.docx": (lambda: make.docx_bytes("Underlag", "Bakgrund", f"Gäller {NUMBER}."), "stycke 3"),
    "sidhuvud.docx": (lambda: docx_with_header(f"Ärende {NUMBER}"), "sidhuvudet, stycke 1"),
    "budget.xlsx": (lambda: make.xlsx_bytes({"A1": "Namn", "B2": NUMBER}), "bladet ”Budget”, cell B2"),
    "bilder.pptx": (lambda: make.pptx_bytes("Samverkan", f"Fallet {NUMBER}"), "bild 2"),
    "anteckningar.pptx": (
        lambda: make.pptx_bytes("Samverkan", "Fallet", notes={2: f"Gäller {NUMBER}"}),
        "anteckningarna till bild 2",
    ),
    "text.odt": (lambda: make.odt_bytes("Rutin", f"Gäller {NUMBER}"), "stycke 2"),
    "kalkyl.ods": (lambda: make.ods_bytes([["Namn"], ["x", NUMBER]]), "bladet ”Blad1”, cell B2"),
    "bilder.odp": (lambda: make.odp_bytes("Samverkan", f"Fallet {NUMBER}"), "bild 2"),
    "gammal.doc": (lambda: make.word97(f"Gäller {NUMBER}"), "dokumentets text"),
    "gammal.xls": (lambda: make.excel97(f"Gäller {NUMBER}"), "arbetsbokens text"),
    "gammal.ppt": (lambda: make.powerpoint97(f"Gäller {NUMBER}"), "presentationens text"),
    "inbaddad.docx": (
        lambda: make.docx_with(("word/embeddings/Kalkyl.xlsx", make.xlsx_bytes({"C3": NUMBER}))),
        "den inbäddade filen word/embeddings/Kalkyl.xlsx, bladet ”Budget”, cell C3",
    ),
}


@pytest.fixture(params=list(REFUSED))
def bad_file(request):
    make_file, code, words = REFUSED[request.param]
    return request.param, make_file(), code, words


@pytest.fixture(params=list(ACCEPTED))
def clean_file(request):
    return request.param, ACCEPTED[request.param]()


@pytest.fixture(params=list(WITH_NUMBER))
def file_with_number(request):
    make_file, where = WITH_NUMBER[request.param]
    return request.param, make_file(), where


def test_each_bad_file_is_refused_with_its_reason_in_swedish(bad_file):
    name, content, code, words = bad_file
    error = refusal(name, content)
    [message] = error.messages
    assert (error.code, words.lower() in message.lower()) == (code, True), message
    assert message.endswith("försök igen.")


def test_clean_files_of_each_accepted_format_pass(clean_file):
    name, content = clean_file
    checked = check_upload(upload(name, content))
    assert (checked.name, checked.content_type, checked.size) == (
        name,
        FORMATS[name.rsplit(".")[-1]][0],
        len(content),
    )


def test_a_personal_identity_number_in_the_text_is_refused_masked_with_the_place_named(file_with_number):
    name, content, where = file_with_number
    error = refusal(name, content)
    [message] = error.messages
    assert error.code == "personal_identity_number"
    assert f"{MASKED} ({where})" in message
    assert NUMBER not in message


def test_a_long_personal_identity_number_in_a_pdf_is_refused_too():
    [message] = refusal("protokoll.pdf", make.pdf_bytes(f"Född {LONG_NUMBER}")).messages
    assert "19640823-**** (sidan 1)" in message


def test_numbers_in_several_places_are_all_named():
    content = make.docx_bytes(f"A {NUMBER}", "Inget", f"B {LONG_NUMBER}")
    [message] = refusal("underlag.docx", content).messages
    assert f"{MASKED} (stycke 1); 19640823-**** (stycke 3)" in message


def test_the_zip_bomb_is_refused_without_unpacking_it_all(settings):
    settings.UPLOAD_MAX_UNPACKED_BYTES = 1024 * 1024
    content = make.docx_with(("word/embeddings/paket.zip", make.zip_of_zeros(3 * 1024 * 1024)))
    error = refusal("bomb.docx", content)
    assert error.code == "archive"
    assert "1,0\xa0MB" in error.messages[0]


def test_an_archive_nested_two_levels_deep_inside_a_document_is_accepted():
    content = make.docx_with(
        ("word/embeddings/paket.zip", make.nested_zip(2)), stored=("word/embeddings/paket.zip",)
    )
    assert check_upload(upload("underlag.docx", content)).content_type == FORMATS["docx"][0]


def test_a_number_in_an_encrypted_pdf_that_opens_without_a_password_is_found():
    def encrypt(writer):
        writer.encrypt("", "agare", algorithm="AES-128")

    content = make.pdf_with(encrypt, make.pdf_bytes("Rutin", f"Gäller {NUMBER}"))
    assert f"{MASKED} (sidan 2)" in refusal("protokoll.pdf", content).messages[0]


def test_a_file_whose_text_takes_too_long_to_read_is_refused_as_unchecked(monkeypatch):
    monkeypatch.setattr("samverkan.uploads.MAX_TEXT_SECONDS", -1)
    error = refusal("protokoll.pdf", make.pdf_bytes("Rutin"))
    assert error.code == "unreadable"
    assert error.messages[0].startswith("Texten i filen kunde inte läsas och kontrolleras för personnummer.")
