"""The columns of a plan spreadsheet, their headers and the status labels, in both languages."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from core.models import (
    TaskStatus,
)

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
SHEET_TITLE = "Plan"


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
COLUMN_OF = {column.key: column for column in COLUMNS}
_POSITION = {column.key: index for index, column in enumerate(COLUMNS)}


def column_order(key: str | None) -> int:
    """Where a column stands in the template (-1 for none: what concerns the whole row)."""
    return _POSITION.get(key or "", -1)


HEADERS = {column.key: column.header for column in COLUMNS}
# Columns that take one item per line; in any other a line break is a quote left open (CSV).
MULTILINE = frozenset({"description", "responsibles", "inputs", "outputs", "depends_on"})

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


COLUMN_BY_NAME = {
    name: column.key
    for column in COLUMNS
    for name in (normalise(column.header), normalise(column.english), normalise(column.key))
}
STATUS_BY_NAME = {
    **{normalise(status.value): status for status in TaskStatus},
    **{normalise(label): status for status, label in STATUS_LABELS.items()},
    "en proceso": TaskStatus.IN_PROGRESS,
    "hecha": TaskStatus.DONE,
    "concluida": TaskStatus.DONE,
}
