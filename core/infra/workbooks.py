"""Cells written safely: a text is always read back as text, never run as a formula."""

from __future__ import annotations

from typing import Any

from openpyxl.cell import WriteOnlyCell

from core.infra.values import UNSTORABLE

# What a spreadsheet opening a CSV reads as the start of a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def text_cell(sheet: Any, value: Any) -> Any:
    """A text as a text cell of a write-only sheet: one beginning with ``=`` is no formula."""
    if not isinstance(value, str):
        return value
    # Values stored before such characters were refused would otherwise make the file unwritable.
    cell = WriteOnlyCell(sheet, UNSTORABLE.sub("\ufffd", value))
    cell.data_type = "s"
    return cell


def csv_text(value: Any) -> Any:
    """A text for a CSV field, with a leading apostrophe where a spreadsheet would see a formula."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value
