"""Reading an uploaded .xlsx or .csv into rows keyed by column, sheet by sheet, within the size
limits."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from core.errors import InvalidInput
from core.plans.spreadsheets.bounds import CellCount
from core.plans.spreadsheets.columns import MAX_BYTES, MAX_CELL_CHARACTERS, PLAN, Sheet
from core.plans.spreadsheets.delimited import csv_records
from core.plans.spreadsheets.indicator_columns import SHEETS
from core.plans.spreadsheets.problems import (
    CellError,
    FileTooLarge,
    NotASpreadsheet,
    SpreadsheetRejected,
    not_a_spreadsheet,
    rejected,
    unreadable,
)
from core.plans.spreadsheets.xlsx import xlsx_sheets
from i18n import N_, Titled


def cell_text(value: Any) -> str:
    """A cell as the text a person typed: numbers without a trailing .0, dates as ISO."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


ZIP = b"PK\x03\x04"  # an .xlsx is a zip package
OLD_EXCEL = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # the compound file of an .xls (or a .doc)
PDF = b"%PDF-"
Row = tuple[int, Iterable[Any], int | None]  # row number, its values, the CSV line it begins on
XLSX_NAME = ".xlsx"


@dataclass(frozen=True)
class Table:
    """The rows under the header, (row number, {column key: raw value}), and the problems of
    the cells that could not be taken as they are."""

    rows: list[tuple[int, dict[str, Any]]]
    problems: list[CellError]
    # The keys of the columns the file has: a column it lacks leaves what it holds unchanged.
    columns: frozenset[str] = frozenset()


def _sheets(data: bytes, filename: str) -> Iterator[tuple[Sheet, Iterator[Row], Exception]]:
    """The file's sheets, their rows and the refusal of a first row without the sheet's
    headers, read as what its content is, whatever its name says: a CSV is the plan's sheet
    alone. The name only words the refusal: text named .xlsx is no readable workbook, and a
    workbook's first sheet read in place of a missing one is refused as missing."""
    if data.startswith(ZIP):
        for sheet, rows, stand_in in xlsx_sheets(data, SHEETS):
            numbered = ((number, values, None) for number, values in enumerate(rows, start=1))
            missing = rejected(
                None,
                None,
                N_(
                    "The workbook has no sheet named {name}, and its first sheet, {first}, does "
                    "not start with the template's column headers."
                ),
                sheet,
                name=Titled(sheet.title),
                first=Titled(stand_in or ""),
            )
            yield sheet, numbered, missing if stand_in else rejected(1, None, sheet.headless, sheet)
        return
    if data.startswith(OLD_EXCEL):
        raise NotASpreadsheet(
            N_("The file is an Excel 97-2003 workbook (.xls); save it as .xlsx or .csv first."),
            field="file",
        )
    if data.startswith(PDF):
        raise not_a_spreadsheet()
    named = filename.lower().endswith(XLSX_NAME)
    yield PLAN, _csv_rows(data), unreadable("xlsx") if named else rejected(1, None, PLAN.headless)


def _csv_rows(data: bytes) -> Iterator[Row]:
    count = CellCount()
    for number, record in enumerate(csv_records(data), start=1):
        count.add(number, len(record.fields), len(record.fields))
        line = record.first_line if record.last_line > record.first_line else None
        yield number, record.fields, line


def read_tables(data: bytes, filename: str = "") -> dict[Sheet, Table]:
    """Every sheet the file has with a header row: its non-empty rows under the header, with
    what is wrong in its cells; refused as a whole when the file cannot be read as a plan.
    ``filename`` is the name it was uploaded with, which only words a refusal."""
    if len(data) > MAX_BYTES:
        raise FileTooLarge(
            N_("The file is larger than {limit} MB."), field="file", limit=MAX_BYTES // 2**20
        )
    tables = {}
    for sheet, rows, headless in _sheets(data, filename):
        table = _table(sheet, rows, headless)
        if table is not None:
            tables[sheet] = table
    if PLAN not in tables:
        raise rejected(
            1, None, N_("The file is empty; the first row must hold the column headers.")
        )
    return tables


def _table(sheet: Sheet, rows: Iterator[Row], headless: Exception) -> Table | None:
    """The sheet's rows under its header, ``headless`` raised when its first row holds none;
    None for a sheet with no row at all."""
    header: list[str | None] | None = None
    table = []
    problems: list[CellError] = []
    for number, values, line in rows:
        if number > sheet.max_rows + 1:
            raise rejected(number, None, sheet.too_long, sheet=sheet, limit=sheet.max_rows)
        if header is None:
            header = _header(sheet, values, headless)
            continue
        record = {key: value for key, value in zip(header, values, strict=False) if key is not None}
        problems += _oversized(sheet, number, record) + _broken_lines(sheet, number, record, line)
        if any(cell_text(value) for value in record.values()):
            table.append((number, record))
    if header is None:
        return None
    return Table(table, problems, frozenset(key for key in header if key is not None))


def _oversized(sheet: Sheet, number: int, record: dict[str, Any]) -> list[CellError]:
    return [
        CellError(
            number,
            key,
            InvalidInput(
                N_("The cell holds {length} characters; a cell holds at most {limit}."),
                length=len(value),
                limit=MAX_CELL_CHARACTERS,
            ),
            sheet,
        )
        for key, value in record.items()
        if isinstance(value, str) and len(value) > MAX_CELL_CHARACTERS
    ]


def _broken_lines(
    sheet: Sheet, number: int, record: dict[str, Any], line: int | None
) -> list[CellError]:
    """A CSV row spanning lines: a line break where no column takes one is a quote left open."""
    if line is None:
        return []
    return [
        CellError(
            number,
            key,
            InvalidInput(
                N_(
                    "The cell holds a line break, which this column does not take; is the quote"
                    " opened on line {line} closed where it should be?"
                ),
                line=line,
            ),
            sheet,
        )
        for key, value in record.items()
        if key not in sheet.multiline and ("\n" in value or "\r" in value)
    ]


def _header(sheet: Sheet, values: Iterable[Any], headless: Exception) -> list[str | None]:
    keys = [sheet.key_of(cell_text(value)) for value in values]
    if not any(keys):
        raise headless
    problems = [
        CellError(
            1,
            column.key,
            InvalidInput(N_("The column {column} is missing."), column=column.header),
            sheet,
        )
        for column in sheet.columns
        if column.required and column.key not in keys
    ]
    problems += [
        CellError(
            1,
            column.key,
            InvalidInput(N_("The column {column} appears twice."), column=column.header),
            sheet,
        )
        for column in sheet.columns
        if keys.count(column.key) > 1
    ]
    if problems:
        raise SpreadsheetRejected(problems)
    return keys
