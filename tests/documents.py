"""Builders for the documents the upload tests send: real files of each accepted format and the bad files the
checks must refuse, made here so that no binary file is committed."""

import io
import struct
import zipfile

import docx
import pypdf
from pypdf.generic import ArrayObject, DecodedStreamObject, DictionaryObject, NameObject, TextStringObject

# --- Zip archives ------------------------------------------------------------------------------------


def packed(members: list[tuple[str, bytes]], *, stored: tuple[str, ...] = ()) -> bytes:
    """A zip archive with the members in the given order; those named in ``stored`` are not compressed."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in members:
            method = zipfile.ZIP_STORED if name in stored else zipfile.ZIP_DEFLATED
            archive.writestr(name, data, compress_type=method)
    return buffer.getvalue()


def zip_of_zeros(size: int) -> bytes:
    return packed([("noll.bin", bytes(size))])


def nested_zip(depth: int, inner: bytes = b"innehall") -> bytes:
    """``depth`` zip archives, each inside the next."""
    content = packed([("fil.txt", inner)])
    for level in range(depth - 1):
        content = packed([(f"niva{level}.zip", content)], stored=(f"niva{level}.zip",))
    return content


# --- Office Open XML ---------------------------------------------------------------------------------

OOXML = "application/vnd.openxmlformats-officedocument"
RELATIONSHIPS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
MAIN_TYPES = {
    "word/document.xml": f"{OOXML}.wordprocessingml.document.main+xml",
    "xl/workbook.xml": f"{OOXML}.spreadsheetml.sheet.main+xml",
    "ppt/presentation.xml": f"{OOXML}.presentationml.presentation.main+xml",
}


def content_types(overrides: dict[str, str], defaults: dict[str, str] | None = None) -> bytes:
    defaults = {
        "rels": "application/vnd.openxmlformats-package.relationships+xml",
        "xml": "application/xml",
    } | (defaults or {})
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        + "".join(f'<Default Extension="{ext}" ContentType="{kind}"/>' for ext, kind in defaults.items())
        + "".join(f'<Override PartName="/{name}" ContentType="{kind}"/>' for name, kind in overrides.items())
        + "</Types>"
    ).encode()


def relationships(targets: dict[str, tuple[str, str]]) -> bytes:
    """Relationships by id: (type, target)."""
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        + "".join(
            f'<Relationship Id="{rid}" Type="{RELATIONSHIPS}/{kind}" Target="{target}"/>'
            for rid, (kind, target) in targets.items()
        )
        + "</Relationships>"
    ).encode()


def ooxml(
    main: str,
    main_xml: bytes = b"<?xml version='1.0'?><x/>",
    *extra: tuple[str, bytes],
    types: dict[str, str] | None = None,
    defaults: dict[str, str] | None = None,
    stored: tuple[str, ...] = (),
) -> bytes:
    """An OOXML package with ``main`` as its main part (declared with the content type of its format)."""
    overrides = {main: MAIN_TYPES.get(main, "application/xml")} | (types or {})
    return packed(
        [
            ("[Content_Types].xml", content_types(overrides, defaults)),
            ("_rels/.rels", relationships({"rId1": ("officeDocument", main)})),
            (main, main_xml),
            *extra,
        ],
        stored=stored,
    )


def docx_bytes(*paragraphs: str) -> bytes:
    """A Word document written by python-docx."""
    document = docx.Document()
    for text in paragraphs:
        document.add_paragraph(text)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def docx_with(*extra: tuple[str, bytes], types: dict[str, str] | None = None, stored: tuple[str, ...] = ()):
    """A python-docx document with extra parts (and their content types) added to its package."""
    with zipfile.ZipFile(io.BytesIO(docx_bytes("Underlag"))) as original:
        members = [(info.filename, original.read(info)) for info in original.infolist()]
    if types:
        members = [
            (
                name,
                data.replace(
                    b"</Types>",
                    b"".join(
                        f'<Override PartName="/{part}" ContentType="{kind}"/>'.encode()
                        for part, kind in types.items()
                    )
                    + b"</Types>",
                )
                if name == "[Content_Types].xml"
                else data,
            )
            for name, data in members
        ]
    return packed([*members, *extra], stored=stored)


def xlsx_bytes(cells: dict[str, str], *, sheet: str = "Budget") -> bytes:
    """A minimal workbook with one sheet; the values are stored as shared strings."""
    strings = list(cells.values())
    row_cells = "".join(f'<c r="{ref}" t="s"><v>{index}</v></c>' for index, ref in enumerate(cells))
    ns = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
    return ooxml(
        "xl/workbook.xml",
        (f'<workbook {ns} xmlns:r="{RELATIONSHIPS}"><sheets>'
         f'<sheet name="{sheet}" sheetId="1" r:id="rId1"/></sheets></workbook>').encode(),
        ("xl/_rels/workbook.xml.rels", relationships({
            "rId1": ("worksheet", "worksheets/sheet1.xml"),
            "rId2": ("sharedStrings", "sharedStrings.xml"),
        })),
        ("xl/worksheets/sheet1.xml", f'<worksheet {ns}><sheetData><row r="1">{row_cells}</row></sheetData>'
         "</worksheet>".encode()),
        ("xl/sharedStrings.xml", (f'<sst {ns}>' + "".join(f"<si><t>{s}</t></si>" for s in strings)
         + "</sst>").encode()),
        types={
            "xl/worksheets/sheet1.xml": f"{OOXML}.spreadsheetml.worksheet+xml",
            "xl/sharedStrings.xml": f"{OOXML}.spreadsheetml.sharedStrings+xml",
        },
    )  # fmt: skip


def pptx_bytes(*slides: str, notes: dict[int, str] | None = None) -> bytes:
    """A minimal presentation with one text paragraph per slide, and speaker notes by slide number."""
    p = 'xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main"'
    a = 'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"'
    ids = "".join(f'<p:sldId id="{256 + n}" r:id="rId{n}"/>' for n in range(1, len(slides) + 1))
    parts = [
        (
            f"ppt/slides/slide{n}.xml",
            f"<p:sld {p} {a}><p:cSld><p:spTree><p:sp><p:txBody><a:p><a:r><a:t>{text}</a:t></a:r></a:p>"
            "</p:txBody></p:sp></p:spTree></p:cSld></p:sld>".encode(),
        )
        for n, text in enumerate(slides, start=1)
    ]
    for n, text in (notes or {}).items():
        parts += [
            (
                f"ppt/slides/_rels/slide{n}.xml.rels",
                relationships({"rId1": ("notesSlide", f"../notesSlides/notesSlide{n}.xml")}),
            ),
            (
                f"ppt/notesSlides/notesSlide{n}.xml",
                f"<p:notes {p} {a}><p:cSld><p:spTree><p:sp><p:txBody><a:p><a:r><a:t>{text}</a:t></a:r>"
                "</a:p></p:txBody></p:sp></p:spTree></p:cSld></p:notes>".encode(),
            ),
        ]
    return ooxml(
        "ppt/presentation.xml",
        (
            f'<p:presentation {p} xmlns:r="{RELATIONSHIPS}"><p:sldIdLst>{ids}</p:sldIdLst></p:presentation>'
        ).encode(),
        (
            "ppt/_rels/presentation.xml.rels",
            relationships({f"rId{n}": ("slide", f"slides/slide{n}.xml") for n in range(1, len(slides) + 1)}),
        ),
        *parts,
        types={
            name: f"{OOXML}.presentationml.slide+xml" for name, _ in parts if name.startswith("ppt/slides/s")
        },
    )


# --- OpenDocument ------------------------------------------------------------------------------------

ODF_NS = (
    'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
    'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
    'xmlns:draw="urn:oasis:names:tc:opendocument:xmlns:drawing:1.0" '
    'xmlns:script="urn:oasis:names:tc:opendocument:xmlns:script:1.0"'
)
MANIFEST = (
    b'<?xml version="1.0" encoding="UTF-8"?>'
    b'<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0">'
    b'<manifest:file-entry manifest:full-path="/" '
    b'manifest:media-type="application/vnd.oasis.opendocument.text"/>'
    b'<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
    b"</manifest:manifest>"
)


def odf(
    kind: str, body: str = "", *extra: tuple[str, bytes], manifest: bytes = MANIFEST, scripts: str = ""
) -> bytes:
    """An OpenDocument package of ``kind`` (text, spreadsheet, presentation) with ``body`` as its content."""
    element = {"text": "text", "spreadsheet": "spreadsheet", "presentation": "presentation"}[kind]
    content = (
        f'<?xml version="1.0" encoding="UTF-8"?><office:document-content {ODF_NS}>{scripts}<office:body>'
        f"<office:{element}>{body}</office:{element}></office:body></office:document-content>"
    ).encode()
    return packed(
        [
            ("mimetype", f"application/vnd.oasis.opendocument.{kind}".encode()),
            ("content.xml", content),
            ("META-INF/manifest.xml", manifest),
            *extra,
        ],
        stored=("mimetype",),
    )


def odt_bytes(*paragraphs: str) -> bytes:
    return odf("text", "".join(f"<text:p>{text}</text:p>" for text in paragraphs))


def ods_bytes(rows: list[list[str]], *, sheet: str = "Blad1") -> bytes:
    body = "".join(
        "<table:table-row>"
        + "".join(f"<table:table-cell><text:p>{value}</text:p></table:table-cell>" for value in row)
        + "</table:table-row>"
        for row in rows
    )
    return odf("spreadsheet", f'<table:table table:name="{sheet}">{body}</table:table>')


def odp_bytes(*slides: str) -> bytes:
    pages = "".join(
        f'<draw:page draw:name="s{n}"><text:p>{text}</text:p></draw:page>' for n, text in enumerate(slides)
    )
    return odf("presentation", pages)


# --- PDF ---------------------------------------------------------------------------------------------


def pdf_bytes(*pages: str) -> bytes:
    """A PDF written by pypdf with one line of text (Helvetica) per page."""
    writer = pypdf.PdfWriter()
    for text in pages or ("",):
        page = writer.add_blank_page(595, 842)
        font = DictionaryObject(
            {
                NameObject("/Type"): NameObject("/Font"),
                NameObject("/Subtype"): NameObject("/Type1"),
                NameObject("/BaseFont"): NameObject("/Helvetica"),
                NameObject("/Encoding"): NameObject("/WinAnsiEncoding"),
            }
        )
        page[NameObject("/Resources")] = DictionaryObject(
            {NameObject("/Font"): DictionaryObject({NameObject("/F1"): writer._add_object(font)})}
        )
        stream = DecodedStreamObject()
        escaped = text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
        stream.set_data(b"BT /F1 12 Tf 72 720 Td (" + escaped.encode("cp1252") + b") Tj ET")
        page[NameObject("/Contents")] = writer._add_object(stream)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def pdf_with(change, original: bytes | None = None) -> bytes:
    """A PDF (by default one page) changed by ``change(writer)`` before it is written."""
    writer = pypdf.PdfWriter(clone_from=pypdf.PdfReader(io.BytesIO(original or pdf_bytes("Rutin"))))
    change(writer)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def launch_action(writer: pypdf.PdfWriter) -> None:
    action = DictionaryObject(
        {
            NameObject("/S"): NameObject("/Launch"),
            NameObject("/F"): TextStringObject("cmd.exe"),
        }
    )
    writer._root_object[NameObject("/OpenAction")] = writer._add_object(action)


def javascript_link(writer: pypdf.PdfWriter) -> None:
    """A link annotation whose action runs JavaScript (hex-escaped names are decoded by pypdf)."""
    annotation = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Annot"),
            NameObject("/Subtype"): NameObject("/Link"),
            NameObject("/Rect"): ArrayObject([]),
            NameObject("/A"): DictionaryObject(
                {
                    NameObject("/S"): NameObject("/JavaScript"),
                    NameObject("/JS"): TextStringObject("app.alert(1)"),
                }
            ),
        }
    )
    writer.pages[0][NameObject("/Annots")] = ArrayObject([writer._add_object(annotation)])


# --- OLE2 compound files (the old doc, xls, ppt) ----------------------------------------------------

OLE2_MAGIC = bytes.fromhex("d0cf11e0a1b11ae1")
SECTOR = 512
FREE, END, FAT_SECTOR, NONE = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD, 0xFFFFFFFF


def ole_file(streams: dict[str, bytes]) -> bytes:
    """A compound file (MS-CFB version 3) holding ``streams`` by path ("Macros/VBA/dir"); storages are made
    for the folders. Streams are padded to 4096 bytes so that all live in ordinary sectors."""
    # directory: index 0 is the root; every storage keeps its children as a chain of right siblings
    entries: list[dict] = [{"name": "Root Entry", "type": 5, "children": [], "data": b""}]
    index_of = {"": 0}
    for path, data in streams.items():
        parts = path.split("/")
        for depth in range(1, len(parts) + 1):
            key = "/".join(parts[:depth])
            if key in index_of:
                continue
            is_stream = depth == len(parts)
            padded = data + bytes(max(0, 4096 - len(data))) if is_stream else b""
            entries.append(
                {"name": parts[depth - 1], "type": 2 if is_stream else 1, "children": [], "data": padded}
            )
            index_of[key] = len(entries) - 1
            entries[index_of["/".join(parts[: depth - 1])]]["children"].append(index_of[key])

    directory_sectors = -(-len(entries) * 128 // SECTOR)
    data_sectors = sum(-(-len(entry["data"]) // SECTOR) for entry in entries)
    fat_sectors = 1
    while fat_sectors * SECTOR // 4 < fat_sectors + directory_sectors + data_sectors:
        fat_sectors += 1
    fat = [FAT_SECTOR] * fat_sectors
    first_directory = len(fat)
    fat += [*range(first_directory + 1, first_directory + directory_sectors), END]
    body = b""
    for entry in entries:
        count = -(-len(entry["data"]) // SECTOR)
        entry["start"] = len(fat) if count else END
        if count:
            fat += [*range(len(fat) + 1, len(fat) + count), END]
            body += entry["data"].ljust(count * SECTOR, b"\0")
    fat += [FREE] * (fat_sectors * SECTOR // 4 - len(fat))

    sibling: dict[int, int] = {}
    for entry in entries:
        for left, right in zip(entry["children"], entry["children"][1:], strict=False):
            sibling[left] = right
    directory = b""
    for index, entry in enumerate(entries):
        name = entry["name"].encode("utf-16-le") + b"\0\0"
        directory += struct.pack(
            "<64sHBBIII16sIQQIQ",
            name,
            len(name),
            entry["type"],
            1,
            NONE,
            sibling.get(index, NONE),
            entry["children"][0] if entry["children"] else NONE,
            bytes(16),
            0,
            0,
            0,
            entry["start"],
            len(entry["data"]),
        )
    directory = directory.ljust(directory_sectors * SECTOR, b"\0")

    difat = [*range(fat_sectors), *[FREE] * (109 - fat_sectors)]
    header = struct.pack(
        "<8s16sHHHHH6sIIIIIIIII109I",
        OLE2_MAGIC,
        bytes(16),
        0x3E,
        3,
        0xFFFE,
        9,
        6,
        bytes(6),
        0,
        fat_sectors,
        first_directory,
        0,
        4096,
        END,
        0,
        END,
        0,
        *difat,
    )
    return header + b"".join(struct.pack("<I", value) for value in fat) + directory + body


VBA_PROJECT = {
    "PROJECT": b'ID="{00000000-0000-0000-0000-000000000000}"\r\nDocument=ThisDocument/&H00000000\r\n',
    "VBA/_VBA_PROJECT": b"\xcc\x61\xff\xff\x00\x00\x00",
    "VBA/dir": b"\x01" + bytes(64),
    "VBA/ThisDocument": b'\x00Attribut\x00e VB_Name = "ThisDocument"\r\nSub AutoOpen()\r\nEnd Sub\r\n',
}


def word97(text: str = "Underlag", *, macros: bool = False, encrypted: bool = False) -> bytes:
    """An old Word document: a WordDocument stream with the text as 8-bit characters, and a VBA project in
    the Macros storage when ``macros``; ``encrypted`` sets the FIB's fEncrypted flag."""
    flags = b"\x00\x01" if encrypted else b"\x00\x00"
    fib = b"\xec\xa5" + bytes(8) + flags + bytes(20)
    streams = {"WordDocument": fib + text.encode("cp1252"), "1Table": bytes(64)}
    if macros:
        streams |= {f"Macros/{path}": data for path, data in VBA_PROJECT.items()}
    return ole_file(streams)


def excel97(text: str = "Budget", *, macros: bool = False) -> bytes:
    streams = {"Workbook": b"\x09\x08" + bytes(14) + text.encode("utf-16-le")}
    if macros:
        streams |= {f"_VBA_PROJECT_CUR/{path}": data for path, data in VBA_PROJECT.items()}
    return ole_file(streams)


def powerpoint97(text: str = "Bild") -> bytes:
    return ole_file({"PowerPoint Document": bytes(16) + text.encode("utf-16-le"), "Current User": bytes(32)})


def vba_project_bin() -> bytes:
    """The OLE file an OOXML package keeps its macros in (vbaProject.bin in a .docm)."""
    return ole_file(VBA_PROJECT)
