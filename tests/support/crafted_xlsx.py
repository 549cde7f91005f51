"""Hostile .xlsx packages built small: a member that inflates to gigabytes costs kilobytes here.

Deflate blocks cut by a full flush stand alone, so one compressed chunk repeated N times is a
valid stream of the chunk repeated N times; the zip around it is written by hand to carry it.
"""

from __future__ import annotations

import struct
import zlib
from dataclasses import dataclass

SHEET_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PACKAGE_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
PARTS = {
    "[Content_Types].xml": (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" '
        'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
        "</Types>"
    ),
    "_rels/.rels": (
        f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{PACKAGE_RELS}">'
        f'<Relationship Id="rId1" Type="{REL_NS}/officeDocument" Target="xl/workbook.xml"/>'
        "</Relationships>"
    ),
    "xl/workbook.xml": (
        f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{SHEET_NS}" '
        f'xmlns:r="{REL_NS}"><sheets><sheet name="Plan" sheetId="1" r:id="rId1"/></sheets>'
        "</workbook>"
    ),
    "xl/_rels/workbook.xml.rels": (
        f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{PACKAGE_RELS}">'
        f'<Relationship Id="rId1" Type="{REL_NS}/worksheet" Target="worksheets/sheet1.xml"/>'
        "</Relationships>"
    ),
}
SHEET_HEAD = f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{SHEET_NS}"><sheetData>'
SHEET_TAIL = "</sheetData></worksheet>"
HEADER = ("Objetivo", "Actividad")


@dataclass(frozen=True)
class Member:
    name: str
    deflated: bytes
    crc: int
    size: int


def repeated(name: str, prefix: str, chunk: str, times: int, suffix: str) -> Member:
    """A member holding ``prefix + chunk * times + suffix``, deflated in about ``len(chunk)``."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    head = compressor.compress(prefix.encode()) + compressor.flush(zlib.Z_FULL_FLUSH)
    block = compressor.compress(chunk.encode()) + compressor.flush(zlib.Z_FULL_FLUSH)
    deflated = head + block * times + compressor.compress(suffix.encode()) + compressor.flush()
    crc = zlib.crc32(prefix.encode())
    for _ in range(times):
        crc = zlib.crc32(chunk.encode(), crc)
    crc = zlib.crc32(suffix.encode(), crc)
    size = len(prefix.encode()) + len(chunk.encode()) * times + len(suffix.encode())
    return Member(name, deflated, crc, size)


def plain(name: str, content: str) -> Member:
    return repeated(name, content, "", 0, "")


def archive(members: list[Member]) -> bytes:
    """The zip holding ``members`` (deflated, no zip64: each under 4 GB)."""
    local, central = b"", b""
    for member in members:
        name = member.name.encode()
        sizes = (member.crc, len(member.deflated), member.size)
        central += (
            struct.pack(
                "<4s6H3L5H2L",
                b"PK\x01\x02",
                20,
                20,
                0,
                8,
                0,
                0x21,
                *sizes,
                len(name),
                0,
                0,
                0,
                0,
                0,
                len(local),
            )
            + name
        )
        local += struct.pack("<4s5H3L2H", b"PK\x03\x04", 20, 0, 8, 0, 0x21, *sizes, len(name), 0)
        local += name + member.deflated
    end = struct.pack(
        "<4s4H2LH", b"PK\x05\x06", 0, 0, len(members), len(members), len(central), len(local), 0
    )
    return local + central + end


def workbook(sheet: Member, extra: list[Member] | None = None) -> bytes:
    """An .xlsx whose only sheet, ``Plan``, is ``sheet`` (named xl/worksheets/sheet1.xml)."""
    return archive(
        [plain(name, content) for name, content in PARTS.items()] + [sheet, *(extra or [])]
    )


def sheet_rows(rows: str) -> Member:
    """A sheet holding the given ``<row>`` elements."""
    return plain("xl/worksheets/sheet1.xml", SHEET_HEAD + rows + SHEET_TAIL)


def header_row() -> str:
    cells = "".join(f'<c t="inlineStr"><is><t>{text}</t></is></c>' for text in HEADER)
    return f'<row r="1">{cells}</row>'


def second_row(opening: str, chunk: str, times: int, closing: str) -> bytes:
    """A workbook whose row 2, under the header, is ``opening + chunk * times + closing``."""
    return workbook(
        repeated(
            "xl/worksheets/sheet1.xml",
            SHEET_HEAD + header_row() + '<row r="2">' + opening,
            chunk,
            times,
            closing + "</row>" + SHEET_TAIL,
        )
    )


def huge_cell(characters: int) -> bytes:
    """One cell of ``characters`` letters under the header (1 GB fits in about 1 MB)."""
    chunk = 2**20
    return second_row('<c t="inlineStr"><is><t>', "a" * chunk, characters // chunk, "</t></is></c>")


def wide_row(cells: int) -> bytes:
    """One row of ``cells`` numeric cells under the header (2 million fit in about 70 kB)."""
    return second_row("", "<c><v>1</v></c>" * 10_000, cells // 10_000, "")
