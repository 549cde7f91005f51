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
    key: str
    header: str
    required: bool = False


COLUMNS = (
    Column("objective_code", "Clave objetivo"),
    Column("objective", "Objetivo", required=True),
    Column("activity_code", "Clave actividad"),
    Column("activity", "Actividad", required=True),
    Column("task_code", "Clave tarea"),
    Column("task", "Tarea"),
    Column("description", "Descripción"),
    Column("responsibles", "Responsables"),
    Column("estimated_hours", "Horas estimadas"),
    Column("logged_hours", "Horas registradas"),
    Column("inputs", "Insumos"),
    Column("outputs", "Productos"),
    Column("start", "Inicio"),
    Column("due", "Término"),
    Column("status", "Estado"),
    Column("percent", "Avance"),
    Column("weight", "Peso"),
    Column("depends_on", "Depende de"),
)
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
    for name in (normalise(column.header), normalise(column.key))
}
STATUS_BY_NAME = {
    **{normalise(status.value): status for status in TaskStatus},
    **{normalise(label): status for status, label in STATUS_LABELS.items()},
    "en proceso": TaskStatus.IN_PROGRESS,
    "hecha": TaskStatus.DONE,
    "concluida": TaskStatus.DONE,
}
