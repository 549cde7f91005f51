"""An .xlsx read within bounds: the zip is measured before anything is inflated, and its sheets
are scanned for oversized rows before openpyxl builds a single one."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator, Sequence
from typing import Any
from xml.parsers import expat

from openpyxl import load_workbook

from core.plans.spreadsheets.bounds import CellCount
from core.plans.spreadsheets.columns import (
    MAX_COLUMNS,
    MAX_PARTS,
    MAX_RATIO,
    MAX_UNPACKED,
    Sheet,
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


def xlsx_sheets(
    data: bytes, sheets: Sequence[Sheet]
) -> Iterator[tuple[Sheet, Iterator[tuple[Any, ...]], str | None]]:
    """Each of ``sheets`` the workbook has, with its values row by row up to ``MAX_COLUMNS``
    and the title of the sheet read in its place, if any: the first is found by its title or
    else is the active sheet, the others only by their title. Each sheet's rows are read
    before the next sheet is asked for."""
    package = check_bounds(data)
    if not any(name.startswith("xl/") for name in package.namelist()):
        raise not_a_spreadsheet()  # another kind of zip: a .docx, a .pptx, an archive
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # a corrupt package raises anything from zipfile or openpyxl
        raise unreadable("xlsx") from exc
    try:
        for index, sheet in enumerate(sheets):
            title = next((name for name in workbook.sheetnames if sheet.names(name)), None)
            found = workbook[title] if title else (workbook.active if index == 0 else None)
            if found is None and index == 0:
                raise unreadable("xlsx")
            if found is not None:
                yield sheet, _rows(found, sheet), None if title else found.title
    except SpreadsheetRejected:
        raise
    except Exception as exc:
        raise unreadable("xlsx") from exc
    finally:
        workbook.close()


def _rows(found: Any, sheet: Sheet) -> Iterator[tuple[Any, ...]]:
    try:
        # One row past the limit is read, so that a longer sheet is refused rather than cut.
        yield from found.iter_rows(
            values_only=True, max_col=MAX_COLUMNS, max_row=sheet.max_rows + 2
        )
    except SpreadsheetRejected:
        raise
    except Exception as exc:
        raise unreadable("xlsx") from exc
