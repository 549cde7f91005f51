"""A document a coordinator marks public is served without the names in its properties,
comments and revisions, and still opens; one that cannot be cleaned is refused, over HTTP."""

from __future__ import annotations

import io
import zipfile
from xml.etree import ElementTree

import pikepdf
import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from core.models import AuditEvent, Evidence
from core.reporting import evidence, publication
from tests.support import documents, factories
from tests.support.documents import AUTHOR, BODY

TRACES = [AUTHOR, "Rosa", "Martínez"]


@pytest.fixture
def add_document(world, session_factory, settings):
    """Store a file as a report's evidence; its evidence and report ids."""

    async def add(data: bytes, filename: str) -> tuple[int, int]:
        stored = evidence.store(settings.evidence_dir, data, max_bytes=10**7, filename=filename)
        async with session_factory() as session, session.begin():
            ana = await factories.staff(session, world.own)
            report = await factories.reported(
                session, world.own, world.own_plan, ana, [factories.document(stored)], status="done"
            )
            return report.evidence[0].id, report.id

    return add


@pytest.fixture
def publish(http, world, add_document):
    """Publish a document as a coordinator does; the answer, and the public copy's bytes."""

    async def published(data: bytes, filename: str) -> bytes:
        evidence_id, report_id = await add_document(data, filename)
        marked = await http.put(
            f"/secretariats/{world.own}/evidence/{evidence_id}/public",
            json={"public": True},
            headers=world.auth("coordinator"),
        )
        assert marked.status_code == 200, marked.text
        served = await http.get(f"/avances/{report_id}/evidencias/{evidence_id}")
        assert served.status_code == 200
        return served.content

    return published


def assert_nameless(data: bytes | str) -> None:
    text = data if isinstance(data, str) else data.decode("utf-8", errors="replace")
    found = [trace for trace in TRACES if trace in text]
    assert not found, f"the published copy still holds {found}"


async def test_a_published_pdf_keeps_its_page_and_loses_its_author(publish):
    original = documents.pdf_with_author()
    assert AUTHOR in documents.pdf_texts(original)

    public = await publish(original, "acta.pdf")

    assert_nameless(documents.pdf_texts(public))
    with pikepdf.open(io.BytesIO(public)) as pdf:
        assert "/Info" not in pdf.trailer and "/Metadata" not in pdf.Root
        (page,) = pdf.pages
        assert documents.PDF_TEXT in page.Contents.read_bytes()
        (note,) = page.Annots
        assert str(note.Contents) == "Revisar la fecha"


async def test_a_published_docx_loses_the_names_of_its_author_commenter_and_reviser(publish):
    original = documents.docx_with_author()

    public = await publish(original, "acta.docx")

    parts = documents.unpacked(public)
    assert parts.keys() == documents.unpacked(original).keys()
    for part in parts.values():
        assert_nameless(part)
        ElementTree.fromstring(part)
    body = parts["word/document.xml"]
    # Word refuses a document whose ignorable prefix lost its declaration.
    assert b'xmlns:w14="http://schemas.microsoft.com/office/word/2010/wordml"' in body
    assert b'mc:Ignorable="w14"' in body
    assert BODY.encode() in body and b'<w:t xml:space="preserve"> &amp; anexos</w:t>' in body
    assert b"Revisar la fecha" in parts["word/comments.xml"]
    assert b"<dc:title>Acta</dc:title>" in parts["docProps/core.xml"]


async def test_a_published_xlsx_opens_with_its_cells_and_no_creator(publish):
    public = await publish(documents.xlsx_with_author(), "acta.xlsx")

    for part in documents.unpacked(public).values():
        assert_nameless(part)
    workbook = load_workbook(io.BytesIO(public))
    cell = workbook.active["A1"]
    assert cell.value == BODY and cell.comment.text == "Revisar la fecha"
    assert not workbook.properties.creator and not workbook.properties.lastModifiedBy


async def test_a_published_odt_keeps_its_mimetype_first_and_loses_its_author(publish):
    public = await publish(documents.odt_with_author(), "acta.odt")

    with zipfile.ZipFile(io.BytesIO(public)) as package:
        first = package.infolist()[0]
        assert (first.filename, first.compress_type) == ("mimetype", zipfile.ZIP_STORED)
        assert package.testzip() is None
    parts = documents.unpacked(public)
    for name, part in parts.items():
        assert_nameless(part)
        if name.endswith(".xml"):
            ElementTree.fromstring(part)
    assert BODY.encode() in parts["content.xml"] and b"Revisar la fecha" in parts["content.xml"]
    assert b"user-defined" not in parts["meta.xml"]


@pytest.mark.parametrize(
    ("data", "filename"),
    [
        (b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n", "acta.pdf"),
        (b"PK\x03\x04 a torn office file", "acta.docx"),
    ],
)
async def test_a_document_that_cannot_be_read_is_refused_and_stays_private(
    http, world, add_document, data, filename
):
    evidence_id, report_id = await add_document(data, filename)
    refused = await http.put(
        f"/secretariats/{world.own}/evidence/{evidence_id}/public",
        json={"public": True},
        headers={**world.auth("coordinator"), "Accept-Language": "en"},
    )
    assert refused.status_code == 422
    assert refused.json()["detail"] == (
        "That document could not be read, so the names in its properties cannot be removed to"
        " publish it."
    )
    assert (await http.get(f"/avances/{report_id}/evidencias/{evidence_id}")).status_code == 404


async def test_an_encrypted_pdf_is_refused_in_spanish(http, world, add_document):
    protected = documents.blank_pdf(owner="clave", user="")
    evidence_id, _report_id = await add_document(protected, "acta.pdf")
    refused = await http.put(
        f"/secretariats/{world.own}/evidence/{evidence_id}/public",
        json={"public": True},
        headers={**world.auth("coordinator"), "Accept-Language": "es-MX"},
    )
    assert refused.status_code == 422
    assert "contraseña" in refused.json()["detail"]


async def test_documents_published_before_cleaning_are_cleaned_or_withdrawn_on_upgrade(
    http, world, add_document, session_factory, settings
):
    """Published as they were sent, the way documents were published before they were cleaned:
    the upgrade cleans their copies once, and makes one it cannot clean private again."""
    cleanable, cleanable_report = await add_document(documents.pdf_with_author(), "acta.pdf")
    broken, _ = await add_document(b"%PDF-1.4 this is not a document", "roto.pdf")
    async with session_factory() as session, session.begin():
        for item in await session.scalars(
            select(Evidence).where(Evidence.id.in_([cleanable, broken]))
        ):
            item.public, item.public_name = True, item.stored_name
    folder = settings.evidence_dir
    async with session_factory() as session, session.begin():
        assert await publication.clean_earlier_copies(session, folder) == 2
    async with session_factory() as session, session.begin():
        assert await publication.clean_earlier_copies(session, folder) == 0  # once only
        cleaned = await session.get_one(Evidence, cleanable)
        withdrawn = await session.get_one(Evidence, broken)
        assert cleaned.public and cleaned.public_name != cleaned.stored_name
        assert not withdrawn.public and withdrawn.public_name is None
        unpublished = await session.scalar(
            select(AuditEvent.action).where(
                AuditEvent.entity_type == "evidence", AuditEvent.entity_id == broken
            )
        )
    assert unpublished == "evidence.unpublish"
    served = await http.get(f"/avances/{cleanable_report}/evidencias/{cleanable}")
    assert served.status_code == 200
    assert_nameless(documents.pdf_texts(served.content))
