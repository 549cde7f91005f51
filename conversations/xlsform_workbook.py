"""An XLSForm workbook as pyxform reads it: opened only once it is known to be a bounded
.xlsx, with the spellings pyxform leaves as written normalised, and a warning for each column a
chat has no use for; problems and warnings each name the file, sheet, row and column."""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable
from dataclasses import replace
from typing import Any

from pyxform.errors import PyXFormError
from pyxform.xls2json_backends import DefinitionData, get_xlsform

from conversations.definition import DefinitionError

MAX_UNPACKED = 64 * 2**20

OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"

SURVEY_COLUMNS = {
    "type",
    "name",
    "label",
    "hint",
    "required",
    "required_message",
    "relevant",
    "constraint",
    "constraint_message",
    "calculation",
    "default",
    "choice_filter",
    "parameters",
    "repeat_count",
}

CHOICE_MEDIA = {"image", "audio", "video", "big-image", "media"}
SETTINGS_COLUMNS = {"form_id", "form_title", "version", "default_language", "instance_name"}
TEXT_COLUMNS = {"label", "hint", "constraint_message", "required_message", "guidance_hint"}

OLD_SELECT = re.compile(
    r"^(select one|select all that apply|select multiple) from list (\S+)"
    r"(?: or specify other| or_other)?$",
    re.IGNORECASE,
)
ROW = re.compile(r"\[row : (\d+)\]")
UNMATCHED = re.compile(r"^\[row : (\d+)\] (Unmatched .*)$")
ONE_COLON = re.compile(rf"^({'|'.join(sorted(TEXT_COLUMNS))}):(?!:)(.+)$", re.IGNORECASE)


class Report:
    """Problems and warnings, each naming the file, sheet, row and column."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.problems: list[str] = []
        self.warnings: list[str] = []

    def where(self, sheet: str | None, row: int | None, column: str | None) -> str:
        parts = [f"sheet '{sheet}'"] if sheet else []
        if row is not None:
            parts.append(f"row {row}")
        if column is not None:
            parts.append(f"column '{column}'")
        return f"{self.source}: {', '.join(parts)}" if parts else self.source

    def refuse(self, sheet: str | None, row: int | None, column: str | None, message: str) -> None:
        self.problems.append(f"{self.where(sheet, row, column)}: {message}")

    def warn(self, sheet: str, row: int | None, column: str | None, message: str) -> None:
        self.warnings.append(f"{self.where(sheet, row, column)}: {message}")


def pyxform_message(error: PyXFormError, report: Report) -> str:
    message = " ".join(str(error).split())
    unmatched = UNMATCHED.match(message)
    if unmatched:  # a group or repeat left open, or closed without being opened
        return f"{report.where('survey', int(unmatched[1]), 'type')}: {unmatched[2]}"
    return f"{report.source}: " + ROW.sub(r"row \1:", message)


def read_workbook(data: bytes, name: str) -> DefinitionData:
    """The workbook's sheets as pyxform reads them, once it is known to be a bounded .xlsx."""
    if data.startswith(OLE_SIGNATURE):
        raise DefinitionError(
            [f"{name}: the workbook is password-protected or an old .xls: save it as .xlsx"]
        )
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(entry.file_size for entry in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError) as error:
        raise DefinitionError([f"{name}: not an XLSForm workbook: {error}"]) from None
    if unpacked > MAX_UNPACKED:
        raise DefinitionError([f"{name}: the workbook unpacks to more than 64 MB"])
    try:
        workbook = get_xlsform(io.BytesIO(data), file_type=".xlsx")
    except (PyXFormError, zipfile.BadZipFile, OSError, KeyError, ValueError, TypeError) as error:
        raise DefinitionError([f"{name}: not an XLSForm workbook: {error}"]) from None
    if not workbook.survey:
        raise DefinitionError([f"{name}: the workbook has no 'survey' sheet"])
    return workbook


def normalised(workbook: DefinitionData) -> DefinitionData:
    """The spellings pyxform leaves as written, in the form it reads."""

    def header(column: str) -> str:
        match = ONE_COLON.match(column)
        return f"{match[1]}::{match[2]}" if match else column

    def rows(sheet: Any) -> list[dict[str, str]] | None:
        if sheet is None:
            return None
        return [{header(key): value for key, value in row.items()} for row in sheet]

    survey = rows(workbook.survey) or []
    for row in survey:
        kind = " ".join(str(row.get("type", "")).split())
        if match := OLD_SELECT.match(kind):
            base = "select_one" if match[1].lower() == "select one" else "select_multiple"
            other = " or_other" if kind.lower().endswith(("or specify other", "or_other")) else ""
            row["type"] = f"{base} {match[2]}{other}"
    return replace(
        workbook,
        survey=survey,
        survey_header=rows(workbook.survey_header),
        choices=rows(workbook.choices),
        choices_header=rows(workbook.choices_header),
    )


def _base(column: str) -> str:
    return column.partition("::")[0].strip().lower()


def warn_unused(workbook: DefinitionData, report: Report) -> None:
    """A warning for each filled column a chat has no use for, at its first filled row."""
    sheets: list[tuple[str, Any, Callable[[str], bool]]] = [
        ("survey", workbook.survey, lambda column: _base(column) in SURVEY_COLUMNS),
        ("choices", workbook.choices, lambda column: _base(column) not in CHOICE_MEDIA),
        ("settings", workbook.settings, lambda column: _base(column) in SETTINGS_COLUMNS),
    ]
    for sheet, rows, used in sheets:
        warned: set[str] = set()
        for number, row in enumerate(rows or (), start=2):
            for column, value in row.items():
                if value and column not in warned and not used(column):
                    warned.add(column)
                    report.warn(sheet, number, column, "not used in a chat; ignored")
