"""Reading an uploaded .xlsx or .csv into rows keyed by column, within the size limits."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from openpyxl import load_workbook

from core.errors import DomainError, InvalidInput
from core.plans.spreadsheets.columns import (
    COLUMN_BY_NAME,
    COLUMNS,
    HEADERS,
    MAX_BYTES,
    MAX_COLUMNS,
    MAX_ROWS,
    SHEET_TITLE,
    normalise,
)
from i18n import N_


@dataclass(frozen=True)
class CellError:
    row: int | None
    column: str | None
    error: DomainError


class SpreadsheetRejected(InvalidInput):
    """The file has problems; ``problems`` lists each one with its row and column."""

    def __init__(self, problems: list[CellError]) -> None:
        super().__init__(
            N_("Nothing was imported: the spreadsheet has problems ({count})."), count=len(problems)
        )
        self.problems = problems


class FileTooLarge(InvalidInput):
    """The upload exceeds ``MAX_BYTES``."""


def _unreadable(kind: str) -> SpreadsheetRejected:
    error = InvalidInput(N_("The file is not a readable {kind} spreadsheet."), kind=kind)
    return SpreadsheetRejected([CellError(None, None, error)])


def cell_text(value: Any) -> str:
    """A cell as the text a person typed: numbers without a trailing .0, dates as ISO."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _xlsx_rows(data: bytes) -> Iterator[tuple[Any, ...]]:
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # a corrupt package raises anything from zipfile, lxml or openpyxl
        raise _unreadable("xlsx") from exc
    try:
        sheet = workbook[SHEET_TITLE] if SHEET_TITLE in workbook.sheetnames else workbook.active
        if sheet is None:
            raise _unreadable("xlsx")
        yield from sheet.iter_rows(values_only=True, max_col=MAX_COLUMNS)
    except Exception as exc:
        raise _unreadable("xlsx") from exc
    finally:
        workbook.close()


def _csv_rows(data: bytes) -> Iterator[list[str]]:
    try:
        content = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        # Excel on Windows saves CSV in the system code page.
        content = data.decode("cp1252", errors="replace")
    if "\x00" in content:
        raise _unreadable("CSV")
    first_line = content.split("\n", 1)[0]
    delimiter = max(",;\t", key=first_line.count)
    try:
        yield from csv.reader(io.StringIO(content), delimiter=delimiter)
    except csv.Error as exc:
        raise _unreadable("CSV") from exc


def read_table(data: bytes, filename: str | None = None) -> list[tuple[int, dict[str, Any]]]:
    """(row number, {column key: raw value}) for every non-empty row under the header."""
    if len(data) > MAX_BYTES:
        raise FileTooLarge(
            N_("The file is larger than {limit} MB."), field="file", limit=MAX_BYTES // 2**20
        )
    is_xlsx = data[:4] == b"PK\x03\x04" or (filename or "").lower().endswith(".xlsx")
    rows = _xlsx_rows(data) if is_xlsx else _csv_rows(data)
    header: list[str | None] | None = None
    table = []
    for number, values in enumerate(rows, start=1):
        if number > MAX_ROWS + 1:
            raise SpreadsheetRejected(
                [
                    CellError(
                        number,
                        None,
                        InvalidInput(N_("A plan has at most {limit} rows."), limit=MAX_ROWS),
                    )
                ]
            )
        if header is None:
            header = _header(values)
            continue
        record = {key: value for key, value in zip(header, values, strict=False) if key is not None}
        if any(cell_text(value) for value in record.values()):
            table.append((number, record))
    if header is None:
        raise SpreadsheetRejected(
            [
                CellError(
                    1,
                    None,
                    InvalidInput(
                        N_("The file is empty; the first row must hold the column headers.")
                    ),
                )
            ]
        )
    return table


def _header(values: Iterable[Any]) -> list[str | None]:
    keys = [COLUMN_BY_NAME.get(normalise(cell_text(value))) for value in values]
    problems = [
        CellError(
            1,
            HEADERS[column.key],
            InvalidInput(N_("The column {column} is missing."), column=column.header),
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
                    HEADERS[key],
                    InvalidInput(N_("The column {column} appears twice."), column=HEADERS[key]),
                )
            )
        seen.add(key)
    if problems:
        raise SpreadsheetRejected(problems)
    return keys
