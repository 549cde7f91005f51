"""How a spreadsheet is refused: every problem with its row and column, or the file as a whole."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from core.errors import DomainError, InvalidInput
from core.plans.spreadsheets.columns import PLAN, Sheet
from i18n import N_, gettext

# The parameters of a refusal that name what it is about: in a spreadsheet, the column.
NAMING = ("field", "column")


@dataclass(frozen=True)
class CellError:
    """One problem of a file: its row, the key of its column, the refusal, and its sheet."""

    row: int | None
    column: str | None
    error: DomainError
    sheet: Sheet = PLAN

    def column_name(self, language: str) -> str | None:
        """The column's header in the language, as the template names it."""
        column = self.sheet.column(self.column)
        return column.name(language) if column else self.column

    def sheet_name(self, language: str) -> str | None:
        """The sheet's title in the language; none for the plan's own sheet, which is the
        whole of a CSV."""
        return None if self.sheet is PLAN else self.sheet.name(language)

    def render(self, language: str) -> str:
        """The problem in the language, naming the column by its header, never by a field."""
        name = self.column_name(language)
        if name is None or not any(param in self.error.params for param in NAMING):
            return self.error.render(language)
        quoted = gettext(language, "“{column}”", column=name)
        params = {
            key: quoted if key in NAMING else value for key, value in self.error.params.items()
        }
        return gettext(language, self.error.message, **params)


class SpreadsheetRejected(InvalidInput):
    """The file has problems; ``problems`` lists each one with its row and column."""

    def __init__(self, problems: list[CellError]) -> None:
        super().__init__(
            N_("Nothing was imported: the spreadsheet has problems ({count})."), count=len(problems)
        )
        self.problems = problems


class FileTooLarge(InvalidInput):
    """The upload, or what it unpacks to, exceeds the limits."""


class NotASpreadsheet(InvalidInput):
    """The upload is no .xlsx or .csv at all (a PDF, an image, a document), whatever its name."""


def not_a_spreadsheet() -> NotASpreadsheet:
    return NotASpreadsheet(N_("The file is not a spreadsheet (.xlsx or .csv)."), field="file")


def rejected(
    row: int | None, column: str | None, message: str, /, sheet: Sheet = PLAN, **params: Any
) -> SpreadsheetRejected:
    """The refusal of a file for one problem, at ``row`` and ``column`` of ``sheet`` when it
    has them."""
    return SpreadsheetRejected([CellError(row, column, InvalidInput(message, **params), sheet)])


def unreadable(kind: str) -> SpreadsheetRejected:
    return rejected(None, None, N_("The file is not a readable {kind} spreadsheet."), kind=kind)
