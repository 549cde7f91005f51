"""Cells counted as they are met, so a file past the bounds is refused before it is built."""

from __future__ import annotations

from core.plans.spreadsheets.columns import MAX_CELLS, MAX_ROW_CELLS
from core.plans.spreadsheets.problems import rejected
from i18n import N_


class CellCount:
    """Refuses a row of more than ``MAX_ROW_CELLS`` cells and a file of more than ``MAX_CELLS``."""

    def __init__(self) -> None:
        self.total = 0

    def add(self, row: int, in_row: int, cells: int = 1) -> None:
        """Counts ``cells`` more, ``in_row`` of them now in ``row``."""
        self.total += cells
        if in_row > MAX_ROW_CELLS:
            raise rejected(
                row,
                None,
                N_("Row {row} holds more than {limit} cells."),
                row=row,
                limit=MAX_ROW_CELLS,
            )
        if self.total > MAX_CELLS:
            raise rejected(
                row, None, N_("The file holds more than {limit} cells."), limit=MAX_CELLS
            )
