"""Reading an uploaded .xlsx or .csv into rows keyed by column, within the size limits."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from core.errors import InvalidInput
from core.plans.spreadsheets.bounds import CellCount
from core.plans.spreadsheets.columns import (
    COLUMN_BY_NAME,
    COLUMNS,
    HEADERS,
    MAX_BYTES,
    MAX_CELL_CHARACTERS,
    MAX_ROWS,
    MULTILINE,
    normalise,
)
from core.plans.spreadsheets.delimited import csv_records
from core.plans.spreadsheets.problems import (
    CellError,
    FileTooLarge,
    NotASpreadsheet,
    SpreadsheetRejected,
    not_a_spreadsheet,
    rejected,
)
from core.plans.spreadsheets.xlsx import xlsx_rows
from i18n import N_


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


@dataclass(frozen=True)
class Table:
    """The rows under the header, (row number, {column key: raw value}), and the problems of
    the cells that could not be taken as they are."""

    rows: list[tuple[int, dict[str, Any]]]
    problems: list[CellError]
    # The keys of the columns the file has: a column it lacks leaves what it holds unchanged.
    columns: frozenset[str] = frozenset()


def _rows(data: bytes) -> Iterator[Row]:
    """The file's rows, read as what its content is, whatever its name says."""
    if data.startswith(ZIP):
        for number, values in enumerate(xlsx_rows(data), start=1):
            yield number, values, None
        return
    if data.startswith(OLD_EXCEL):
        raise NotASpreadsheet(
            N_("The file is an Excel 97-2003 workbook (.xls); save it as .xlsx or .csv first."),
            field="file",
        )
    if data.startswith(PDF):
        raise not_a_spreadsheet()
    count = CellCount()
    for number, record in enumerate(csv_records(data), start=1):
        count.add(number, len(record.fields), len(record.fields))
        line = record.first_line if record.last_line > record.first_line else None
        yield number, record.fields, line


def read_table(data: bytes) -> Table:
    """Every non-empty row under the header, with what is wrong in its cells; refused as a
    whole when the file cannot be read as a plan at all."""
    if len(data) > MAX_BYTES:
        raise FileTooLarge(
            N_("The file is larger than {limit} MB."), field="file", limit=MAX_BYTES // 2**20
        )
    header: list[str | None] | None = None
    table = []
    problems: list[CellError] = []
    for number, values, line in _rows(data):
        if number > MAX_ROWS + 1:
            raise rejected(number, None, N_("A plan has at most {limit} rows."), limit=MAX_ROWS)
        if header is None:
            header = _header(values)
            continue
        record = {key: value for key, value in zip(header, values, strict=False) if key is not None}
        problems += _oversized(number, record) + _broken_lines(number, record, line)
        if any(cell_text(value) for value in record.values()):
            table.append((number, record))
    if header is None:
        raise rejected(
            1, None, N_("The file is empty; the first row must hold the column headers.")
        )
    return Table(table, problems, frozenset(key for key in header if key is not None))


def _oversized(number: int, record: dict[str, Any]) -> list[CellError]:
    return [
        CellError(
            number,
            key,
            InvalidInput(
                N_("The cell holds {length} characters; a cell holds at most {limit}."),
                length=len(value),
                limit=MAX_CELL_CHARACTERS,
            ),
        )
        for key, value in record.items()
        if isinstance(value, str) and len(value) > MAX_CELL_CHARACTERS
    ]


def _broken_lines(number: int, record: dict[str, Any], line: int | None) -> list[CellError]:
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
        )
        for key, value in record.items()
        if key not in MULTILINE and ("\n" in value or "\r" in value)
    ]


def _header(values: Iterable[Any]) -> list[str | None]:
    keys = [COLUMN_BY_NAME.get(normalise(cell_text(value))) for value in values]
    if not any(keys):
        raise rejected(
            1,
            None,
            N_(
                "The first row must hold the template's column headers (Objective, Activity,"
                " Task…); it holds none of them."
            ),
        )
    problems = [
        CellError(
            1, column.key, InvalidInput(N_("The column {column} is missing."), column=column.header)
        )
        for column in COLUMNS
        if column.required and column.key not in keys
    ]
    seen: set[str | None] = set()
    for key in keys:
        if key is not None and key in seen:
            problems.append(
                CellError(
                    1,
                    key,
                    InvalidInput(N_("The column {column} appears twice."), column=HEADERS[key]),
                )
            )
        seen.add(key)
    if problems:
        raise SpreadsheetRejected(problems)
    return keys
