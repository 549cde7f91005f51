"""The sheets of a plan spreadsheet, their columns and headers, and the status labels, in both
languages."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cached_property

from core.models import (
    TaskStatus,
)
from i18n import N_

# Limits of an uploaded file; docs/plan-template.md states them. An .xlsx is a zip, so what it
# unpacks to is bounded too: a megabyte can inflate to a gigabyte.
MAX_BYTES = 10 * 1024 * 1024
MAX_UNPACKED = 100 * 1024 * 1024
MAX_RATIO = 200  # a plan's sheet compresses about 16 times; a zip bomb about 1000
MAX_PARTS = 500
MAX_ROWS = 20_000
MAX_COLUMNS = 60  # columns read; cells further right are ignored
MAX_ROW_CELLS = 1_000
MAX_CELLS = 500_000  # 25 full columns on every one of the 20,000 rows
MAX_CELL_CHARACTERS = 32_767  # as in Excel
CODE_LIMIT = 32
XLSX_MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass(frozen=True)
class Column:
    """A column of the template: its key, its header (Spanish, as the template writes it) and
    its header in English. Headers are part of the file's format, so they live here rather
    than in the catalogs, where a new translation would change which files can be read."""

    key: str
    header: str
    english: str
    required: bool = False

    def name(self, language: str) -> str:
        """The column's header in the language (Spanish unless English)."""
        return self.english if language == "en" else self.header


COLUMNS = (
    Column("objective_code", "Clave objetivo", "Objective code"),
    Column("objective", "Objetivo", "Objective", required=True),
    Column("activity_code", "Clave actividad", "Activity code"),
    Column("activity", "Actividad", "Activity", required=True),
    Column("task_code", "Clave tarea", "Task code"),
    Column("task", "Tarea", "Task"),
    Column("description", "Descripción", "Description"),
    Column("responsibles", "Responsables", "Responsibles"),
    Column("estimated_hours", "Horas estimadas", "Estimated hours"),
    Column("logged_hours", "Horas registradas", "Logged hours"),
    Column("inputs", "Insumos", "Inputs"),
    Column("outputs", "Productos", "Outputs"),
    Column("start", "Inicio", "Start"),
    Column("due", "Término", "Due"),
    Column("status", "Estado", "Status"),
    Column("percent", "Avance", "Percent done"),
    Column("weight", "Peso", "Weight"),
    Column("depends_on", "Depende de", "Depends on"),
)
HEADERS = {column.key: column.header for column in COLUMNS}

STATUS_LABELS = {
    TaskStatus.PENDING: "pendiente",
    TaskStatus.IN_PROGRESS: "en curso",
    TaskStatus.BLOCKED: "bloqueada",
    TaskStatus.DONE: "terminada",
    TaskStatus.CANCELLED: "cancelada",
}


def normalise(label: str) -> str:
    """Lowercase, no accents, single spaces: how headers and labels are compared."""
    decomposed = unicodedata.normalize("NFKD", str(label))
    plain = "".join(char for char in decomposed if not unicodedata.combining(char))
    return re.sub(r"[\s_]+", " ", plain).strip().lower()


@dataclass(frozen=True)
class Sheet:
    """A sheet of the workbook: its title (Spanish, as the template writes it) and in English,
    its columns, those that take one item per line (in any other a line break is a quote left
    open, in a CSV), the rows it may have, and how it refuses more and a first row without its
    headers."""

    title: str
    english: str
    columns: tuple[Column, ...]
    multiline: frozenset[str]
    max_rows: int
    too_long: str
    headless: str

    def name(self, language: str) -> str:
        """The sheet's title in the language (Spanish unless English)."""
        return self.english if language == "en" else self.title

    def names(self, title: str) -> bool:
        """Whether a workbook's sheet titled ``title`` is this one, in either language."""
        return normalise(title) in {normalise(self.title), normalise(self.english)}

    def column(self, key: str | None) -> Column | None:
        """The column of ``key``, or None."""
        return self._by_key.get(key or "")

    def key_of(self, header: str) -> str | None:
        """The key of the column a header names, by its Spanish or English header or its key."""
        return self._by_name.get(normalise(header))

    def order(self, key: str | None) -> int:
        """Where a column stands in the sheet (-1 for none: what concerns the whole row)."""
        return self._position.get(key or "", -1)

    @cached_property
    def _by_key(self) -> dict[str, Column]:
        return {column.key: column for column in self.columns}

    @cached_property
    def _by_name(self) -> dict[str, str]:
        return {
            name: column.key
            for column in self.columns
            for name in (normalise(column.header), normalise(column.english), normalise(column.key))
        }

    @cached_property
    def _position(self) -> dict[str, int]:
        return {column.key: index for index, column in enumerate(self.columns)}


PLAN = Sheet(
    "Plan",
    "Plan",
    COLUMNS,
    frozenset({"description", "responsibles", "inputs", "outputs", "depends_on"}),
    MAX_ROWS,
    N_("A plan has at most {limit} rows."),
    N_(
        "The first row must hold the template's column headers (Objective, Activity,"
        " Task…); it holds none of them."
    ),
)
STATUS_BY_NAME = {
    **{normalise(status.value): status for status in TaskStatus},
    **{normalise(label): status for status, label in STATUS_LABELS.items()},
    "en proceso": TaskStatus.IN_PROGRESS,
    "hecha": TaskStatus.DONE,
    "concluida": TaskStatus.DONE,
}
