"""How a spreadsheet is refused: every problem with its row and column, or the file as a whole."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from core.errors import DomainError, InvalidInput
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
    """The upload, or what it unpacks to, exceeds the limits."""


def rejected(
    row: int | None, column: str | None, message: str, /, **params: Any
) -> SpreadsheetRejected:
    """The refusal of a file for one problem, at ``row`` and ``column`` when it has them."""
    return SpreadsheetRejected([CellError(row, column, InvalidInput(message, **params))])


def unreadable(kind: str) -> SpreadsheetRejected:
    return rejected(None, None, N_("The file is not a readable {kind} spreadsheet."), kind=kind)
