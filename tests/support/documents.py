"""Documents as offices write them, with a person's name in their properties, comments and
revisions: the input of the tests that published copies carry no names."""

from __future__ import annotations

import io
import zipfile

import pikepdf
from openpyxl import Workbook
from openpyxl.comments import Comment

AUTHOR = "Rosa Martínez"
BODY = "Acta de instalación del comité"
PDF_TEXT = b"BT /F1 12 Tf 72 720 Td (Acta de instalacion) Tj ET"
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def blank_pdf(**encryption: str) -> bytes:
    """A PDF of one blank page; encrypted with ``owner`` and ``user`` passwords when given."""
    pdf = pikepdf.new()
    pdf.add_blank_page()
    output = io.BytesIO()
    pdf.save(output, encryption=pikepdf.Encryption(**encryption) if encryption else False)
    return output.getvalue()


def pdf_with_author() -> bytes:
    """A one-page PDF naming its author in the Info dictionary, the XMP and a sticky note."""
    pdf = pikepdf.new()
    font = pdf.make_indirect(
        pikepdf.Dictionary(Type=pikepdf.Name.Font, Subtype=pikepdf.Name.Type1, BaseFont="/Helv")
    )
    page = pdf.add_blank_page()
    page.Resources = pikepdf.Dictionary(Font=pikepdf.Dictionary(F1=font))
    page.Contents = pdf.make_stream(PDF_TEXT)
    note = pikepdf.Dictionary(
        Type=pikepdf.Name.Annot,
        Subtype=pikepdf.Name.Text,
        Rect=[72, 600, 92, 620],
        Contents=pikepdf.String("Revisar la fecha"),
        T=pikepdf.String(AUTHOR),
    )
    page.Annots = pdf.make_indirect(pikepdf.Array([pdf.make_indirect(note)]))
    pdf.docinfo["/Author"] = AUTHOR
    pdf.docinfo["/Title"] = "Acta"
    with pdf.open_metadata(set_pikepdf_as_editor=False) as xmp:
        xmp["dc:creator"] = [AUTHOR]
        xmp["xmp:CreatorTool"] = f"Procesador de {AUTHOR}"
    output = io.BytesIO()
    pdf.save(output)
    return output.getvalue()


def pdf_texts(data: bytes) -> str:
    """Every string and every stream of the PDF (decoded), to search for a name however it is
    encoded or compressed."""
    found: list[str] = []

    def walk(item: object) -> None:
        if isinstance(item, pikepdf.String):
            found.append(str(item))
        elif isinstance(item, pikepdf.Stream):
            found.append(item.read_bytes().decode("utf-8", errors="replace"))
        if isinstance(item, pikepdf.Dictionary | pikepdf.Stream | pikepdf.Array):
            values = item.values() if not isinstance(item, pikepdf.Array) else item
            for value in values:
                if not getattr(value, "is_indirect", False):  # those are walked on their own
                    walk(value)

    with pikepdf.open(io.BytesIO(data)) as pdf:
        walk(pdf.trailer)
        for item in pdf.objects:
            walk(item)
    return "\n".join(found)


def _package(parts: dict[str, str]) -> bytes:
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as package:
        for name, text in parts.items():
            package.writestr(name, text.encode("utf-8"))
    return output.getvalue()


def _core(creator: str) -> str:
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n'
        '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/'
        'core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://'
        'purl.org/dc/terms/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
        f"<dc:title>Acta</dc:title><dc:creator>{creator}</dc:creator>"
        f"<cp:lastModifiedBy>{creator}</cp:lastModifiedBy>"
        '<dcterms:created xsi:type="dcterms:W3CDTF">2026-03-02T10:00:00Z</dcterms:created>'
        "</cp:coreProperties>"
    )


def docx_with_author() -> bytes:
    """A Word document naming its author in its properties, a comment and a tracked change;
    its body declares a prefix only ``mc:Ignorable`` uses, as Word's do."""
    relationship = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    package = "http://schemas.openxmlformats.org/package/2006"
    return _package(
        {
            "[Content_Types].xml": (
                f'<Types xmlns="{package}/content-types">'
                '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
                'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
                '<Override PartName="/word/document.xml" ContentType="application/vnd.'
                'openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>'
            ),
            "_rels/.rels": (
                f'<Relationships xmlns="{package}/relationships"><Relationship Id="rId1" '
                f'Type="{relationship}/officeDocument" Target="word/document.xml"/>'
                "</Relationships>"
            ),
            "docProps/core.xml": _core(AUTHOR),
            "docProps/app.xml": (
                '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/'
                'extended-properties"><Application>Microsoft Office Word</Application>'
                f"<Company>Despacho de {AUTHOR}</Company><Manager>{AUTHOR}</Manager>"
                "</Properties>"
            ),
            "word/document.xml": (
                f'<w:document xmlns:w="{W}" xmlns:mc="http://schemas.openxmlformats.org/'
                'markup-compatibility/2006" xmlns:w14="http://schemas.microsoft.com/office/word/'
                '2010/wordml" mc:Ignorable="w14"><w:body><w:p><w:commentRangeStart w:id="0"/>'
                f'<w:r><w:t>{BODY}</w:t></w:r><w:commentRangeEnd w:id="0"/>'
                f'<w:ins w:id="1" w:author="{AUTHOR}" w:date="2026-03-02T10:00:00Z">'
                '<w:r><w:t xml:space="preserve"> &amp; anexos</w:t></w:r></w:ins>'
                '<w:r><w:commentReference w:id="0"/></w:r></w:p></w:body></w:document>'
            ),
            "word/comments.xml": (
                f'<w:comments xmlns:w="{W}"><w:comment w:id="0" w:author="{AUTHOR}" '
                'w:initials="RM"><w:p><w:r><w:t>Revisar la fecha</w:t></w:r></w:p></w:comment>'
                "</w:comments>"
            ),
        }
    )


def xlsx_with_author() -> bytes:
    """A workbook made by openpyxl, its creator and a comment's author a person."""
    workbook = Workbook()
    workbook.properties.creator = AUTHOR
    workbook.properties.lastModifiedBy = AUTHOR
    sheet = workbook.active
    assert sheet is not None
    sheet["A1"] = BODY
    sheet["A1"].comment = Comment("Revisar la fecha", AUTHOR)
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


def odt_with_author() -> bytes:
    """An OpenDocument text naming its author in meta.xml and in a comment in the body."""
    office = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
    meta = "urn:oasis:names:tc:opendocument:xmlns:meta:1.0"
    dc = "http://purl.org/dc/elements/1.1/"
    text = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as package:
        # The mimetype comes first and uncompressed, where readers look for it.
        package.writestr("mimetype", "application/vnd.oasis.opendocument.text", zipfile.ZIP_STORED)
        package.writestr(
            "content.xml",
            f'<office:document-content xmlns:office="{office}" xmlns:text="{text}" '
            f'xmlns:dc="{dc}" office:version="1.3"><office:body><office:text><text:p>{BODY}'
            f"<office:annotation><dc:creator>{AUTHOR}</dc:creator>"
            "<dc:date>2026-03-02T10:00:00</dc:date><text:p>Revisar la fecha</text:p>"
            "</office:annotation></text:p></office:text></office:body>"
            "</office:document-content>",
        )
        package.writestr(
            "meta.xml",
            f'<office:document-meta xmlns:office="{office}" xmlns:meta="{meta}" xmlns:dc="{dc}" '
            'office:version="1.3"><office:meta><dc:title>Acta</dc:title>'
            f"<meta:initial-creator>{AUTHOR}</meta:initial-creator><dc:creator>{AUTHOR}"
            f"</dc:creator><meta:printed-by>{AUTHOR}</meta:printed-by>"
            f'<meta:user-defined meta:name="Revisó">{AUTHOR}</meta:user-defined>'
            "</office:meta></office:document-meta>",
        )
        package.writestr(
            "META-INF/manifest.xml",
            '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:'
            '1.0" manifest:version="1.3"><manifest:file-entry manifest:full-path="/" '
            'manifest:media-type="application/vnd.oasis.opendocument.text"/>'
            '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
            '<manifest:file-entry manifest:full-path="meta.xml" manifest:media-type="text/xml"/>'
            "</manifest:manifest>",
        )
    return output.getvalue()


def unpacked(data: bytes) -> dict[str, bytes]:
    """Every part of a zip package, inflated."""
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        return {name: package.read(name) for name in package.namelist()}
