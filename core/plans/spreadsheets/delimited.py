"""A CSV read strictly: its encoding told by its byte order mark, every quote closed."""

from __future__ import annotations

import codecs
import csv
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass

from core.plans.spreadsheets.problems import not_a_spreadsheet, rejected, unreadable
from i18n import N_

# What a text never holds but binary data does, often: control characters other than tab and
# line breaks, and bytes no encoding tried could read. A stray one is a cell's problem; many,
# a file that is no text (a PDF's streams, an image, random bytes).
BINARY = re.compile("[\x01-\x08\x0b\x0c\x0e-\x1f\x7f\ufffd]")
LATIN_END = 0x250  # past Latin Extended-B: scripts no plan written in Spanish or English uses
# Excel's "Unicode text" is UTF-16 with a byte order mark; its CSV, UTF-8 with one or the
# Windows code page without.
ENCODINGS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


@dataclass(frozen=True)
class Record:
    """The fields of one row, with the lines of the file it spans."""

    fields: list[str]
    first_line: int
    last_line: int


def decoded(data: bytes) -> str:
    """The file's text: UTF-8 or UTF-16 by their byte order mark, else UTF-8 or Windows-1252."""
    encoding = next((name for bom, name in ENCODINGS if data.startswith(bom)), None)
    try:
        content = data.decode(encoding or "utf-8")
    except UnicodeDecodeError:
        if encoding:
            raise unreadable("CSV") from None
        content = data.decode("cp1252", errors="replace")
    if "\x00" in content:
        if _utf16_without_bom(data):
            raise unreadable("CSV")
        raise not_a_spreadsheet()
    if not _text(content):
        raise not_a_spreadsheet()
    return content


def _text(content: str) -> bool:
    """Whether decoded content is a text: few characters that only binary data holds."""
    return len(BINARY.findall(content)) <= max(8, len(content) // 100)


def _utf16_without_bom(data: bytes) -> bool:
    """Whether bytes holding NULs are a Latin text in UTF-16 saved without its byte order mark
    (a text that cannot be read as it is), rather than no text at all."""
    for encoding in ("utf-16-le", "utf-16-be"):
        content = data.decode(encoding, errors="replace")
        latin = sum(1 for char in content if ord(char) < LATIN_END)
        if content and latin >= len(content) * 0.9 and _text(content):
            return True
    return False


def csv_records(data: bytes) -> Iterator[Record]:
    """Every row of the file; a quote left open or misplaced is refused naming its line."""
    content = decoded(data)
    first_line = content.split("\n", 1)[0]
    delimiter = max(",;\t", key=first_line.count)
    reader = csv.reader(io.StringIO(content, newline=""), delimiter=delimiter, strict=True)
    row = 0
    while True:
        line = reader.line_num + 1
        try:
            fields = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            if "unexpected end of data" in str(exc):
                raise rejected(
                    row + 1,
                    None,
                    N_("The quoted field that begins on line {line} is never closed."),
                    line=line,
                ) from None
            raise rejected(
                row + 1,
                None,
                N_("Line {line} is not valid CSV: a quote is misplaced or a field is too long."),
                line=reader.line_num,
            ) from None
        row += 1
        yield Record(fields, line, reader.line_num)
