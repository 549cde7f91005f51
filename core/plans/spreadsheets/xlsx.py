"""An .xlsx read within bounds: the zip is measured before anything is inflated, and its sheets
are scanned for oversized rows before openpyxl builds a single one."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from typing import Any
from xml.parsers import expat

from openpyxl import load_workbook

from core.plans.spreadsheets.bounds import CellCount
from core.plans.spreadsheets.columns import (
    MAX_COLUMNS,
    MAX_PARTS,
    MAX_RATIO,
    MAX_ROWS,
    MAX_UNPACKED,
    SHEET_TITLE,
)
from core.plans.spreadsheets.problems import (
    FileTooLarge,
    SpreadsheetRejected,
    not_a_spreadsheet,
    unreadable,
)
from i18n import N_

MB = 2**20
CHUNK = 64 * 1024


def _measured(data: bytes) -> zipfile.ZipFile:
    """The package, once its central directory promises nothing past the limits."""
    try:
        package = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError, OSError) as exc:
        raise unreadable("xlsx") from exc
    parts = package.infolist()
    if len(parts) > MAX_PARTS:
        raise FileTooLarge(
            N_("The .xlsx file holds {count} parts; a spreadsheet has at most {limit}."),
            field="file",
            count=len(parts),
            limit=MAX_PARTS,
        )
    for part in parts:
        # Small parts (styles, relationships) compress very well and harmlessly.
        inflation = part.file_size / max(part.compress_size, 1)
        if part.compress_size > len(data):
            raise FileTooLarge(
                N_("The .xlsx part {part} declares an impossible size."),
                field="file",
                part=part.filename,
            )
        if part.file_size > MB and inflation > MAX_RATIO:
            raise FileTooLarge(
                N_(
                    "The .xlsx part {part} inflates {ratio} times; a spreadsheet inflates at"
                    " most {limit} times."
                ),
                field="file",
                part=part.filename,
                ratio=int(inflation),
                limit=MAX_RATIO,
            )
    unpacked = sum(part.file_size for part in parts)
    if unpacked > MAX_UNPACKED:
        raise FileTooLarge(
            N_("Unpacked, the .xlsx file takes {size} MB; at most {limit} MB are read."),
            field="file",
            size=-(-unpacked // MB),
            limit=MAX_UNPACKED // MB,
        )
    return package


def _scan(package: zipfile.ZipFile) -> None:
    """Counts every sheet's cells as they stream by, stopping at the first bound passed."""
    count = CellCount()
    for part in package.infolist():
        if not (part.filename.startswith("xl/worksheets/") and part.filename.endswith(".xml")):
            continue
        row, in_row = 0, 0

        def start(name: str, attributes: dict[str, str]) -> None:
            nonlocal row, in_row
            tag = name.rpartition(" ")[2]
            if tag == "row":
                row, in_row = int(attributes.get("r") or row + 1), 0
            elif tag == "c":
                in_row += 1
                count.add(row, in_row)

        parser = expat.ParserCreate(namespace_separator=" ")
        parser.StartElementHandler = start
        with package.open(part) as stream:
            while chunk := stream.read(CHUNK):
                parser.Parse(chunk, False)
        parser.Parse(b"", True)


def check_bounds(data: bytes) -> zipfile.ZipFile:
    """Refuse an .xlsx whose package or sheets pass the limits, before openpyxl reads it; the
    package when it is within them."""
    package = _measured(data)
    try:
        _scan(package)
    except (SpreadsheetRejected, FileTooLarge):
        raise
    except Exception as exc:  # a corrupt package raises anything from zipfile or expat
        raise unreadable("xlsx") from exc
    return package


def xlsx_rows(data: bytes) -> Iterator[tuple[Any, ...]]:
    """The values of the ``Plan`` sheet (else the first), row by row, up to ``MAX_COLUMNS``."""
    package = check_bounds(data)
    if not any(name.startswith("xl/") for name in package.namelist()):
        raise not_a_spreadsheet()  # another kind of zip: a .docx, a .pptx, an archive
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # a corrupt package raises anything from zipfile or openpyxl
        raise unreadable("xlsx") from exc
    try:
        sheet = workbook[SHEET_TITLE] if SHEET_TITLE in workbook.sheetnames else workbook.active
        if sheet is None:
            raise unreadable("xlsx")
        # One row past the limit is read, so that a longer sheet is refused rather than cut.
        yield from sheet.iter_rows(values_only=True, max_col=MAX_COLUMNS, max_row=MAX_ROWS + 2)
    except SpreadsheetRejected:
        raise
    except Exception as exc:
        raise unreadable("xlsx") from exc
    finally:
        workbook.close()
