"""Plans to and from spreadsheets (.xlsx or .csv), one row per task.

Import is all-or-nothing: every cell is checked first and every problem is reported with its
row and column; only a clean file is written, in bulk (a handful of statements whatever its
size), with one audit event for the import. Export writes the same columns, so a plan
exported and imported again comes back the same. The columns are described in
``docs/plan-template.md``.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from graphlib import CycleError, TopologicalSorter
from typing import Any

from openpyxl import Workbook, load_workbook
from sqlalchemy import func, insert, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from core.audit import chain
from core.errors import DomainError, InvalidInput
from core.infra.values import day, non_negative, percent, string_list, text
from core.infra.values import weight as weight_value
from core.models import (
    Activity,
    Objective,
    Person,
    Plan,
    Task,
    TaskDependency,
    TaskResponsible,
    TaskStatus,
)
from core.plans import plans, scope
from core.plans.dependencies import plan_edges
from i18n import N_

MAX_BYTES = 10 * 1024 * 1024
MAX_ROWS = 20_000
MAX_COLUMNS = 60
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

STATUS_LABELS = {
    TaskStatus.PENDING: "pendiente",
    TaskStatus.IN_PROGRESS: "en curso",
    TaskStatus.BLOCKED: "bloqueada",
    TaskStatus.DONE: "terminada",
    TaskStatus.CANCELLED: "cancelada",
}


def _normalise(label: str) -> str:
    """Lowercase, no accents, single spaces: how headers and labels are compared."""
    decomposed = unicodedata.normalize("NFKD", str(label))
    plain = "".join(char for char in decomposed if not unicodedata.combining(char))
    return re.sub(r"[\s_]+", " ", plain).strip().lower()


COLUMN_BY_NAME = {
    name: column.key
    for column in COLUMNS
    for name in (_normalise(column.header), _normalise(column.key))
}
STATUS_BY_NAME = {
    **{_normalise(status.value): status for status in TaskStatus},
    **{_normalise(label): status for status, label in STATUS_LABELS.items()},
    "en proceso": TaskStatus.IN_PROGRESS,
    "hecha": TaskStatus.DONE,
    "concluida": TaskStatus.DONE,
}


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


def _cell_text(value: Any) -> str:
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
        if any(_cell_text(value) for value in record.values()):
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


def _header(values) -> list[str | None]:
    keys = [COLUMN_BY_NAME.get(_normalise(_cell_text(value))) for value in values]
    problems = [
        CellError(
            1,
            HEADERS[column.key],
            InvalidInput(N_("The column {column} is missing."), column=column.header),
        )
        for column in COLUMNS
        if column.required and column.key not in keys
    ]
    seen: set[str] = set()
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


@dataclass
class TaskDraft:
    row: int
    code: str
    values: dict[str, Any]
    responsibles: list[str]
    depends_on: list[tuple[str, int]]


@dataclass
class ActivityDraft:
    code: str | None
    title: str
    tasks: list[TaskDraft] = field(default_factory=list)


@dataclass
class ObjectiveDraft:
    code: str | None
    title: str
    activities: dict[str, ActivityDraft] = field(default_factory=dict)


DEPENDENCY = re.compile(r"^(?P<code>.+?)(?:\s*(?P<lag>[+-]\s*\d+)\s*d)?$")


def _split(value: Any, separators: str = ";") -> list[str]:
    """Items of a multi-value cell: one per line when it has lines, else split on ``;``."""
    raw = "" if value is None else str(value)
    content = _cell_text(value)
    if not content:
        return []
    parts = raw.splitlines() if "\n" in raw else re.split(f"[{separators}]", content)
    return [part.strip() for part in parts if part.strip()]


def _date(value: Any, key: str) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    content = _cell_text(value)
    if not content:
        return None
    match = re.fullmatch(r"(\d{1,2})/(\d{1,2})/(\d{4})", content)
    if match:
        day_of_month, month, year = (int(part) for part in match.groups())
        try:
            return date(year, month, day_of_month)
        except ValueError:
            pass
    return day(content[:10] if re.match(r"\d{4}-\d\d-\d\d[ T]", content) else content, key)


def _code(value: Any, key: str) -> str | None:
    content = _cell_text(value)
    if not content:
        return None
    if len(content) > CODE_LIMIT:
        raise InvalidInput(
            N_("The {field} is longer than {limit} characters."), field=key, limit=CODE_LIMIT
        )
    return content


def _status(value: Any) -> TaskStatus:
    content = _normalise(_cell_text(value))
    if not content:
        return TaskStatus.PENDING
    if content not in STATUS_BY_NAME:
        raise InvalidInput(
            N_("Unknown status {value}; use one of: {choices}."),
            field="status",
            value=_cell_text(value),
            choices=", ".join(STATUS_LABELS.values()),
        )
    return STATUS_BY_NAME[content]


def _dependencies(value: Any) -> list[tuple[str, int]]:
    result = []
    for item in _split(value, ";,"):
        match = DEPENDENCY.match(item)
        lag = int(match["lag"].replace(" ", "")) if match and match["lag"] else 0
        if not match or not -365 <= lag <= 365:
            raise InvalidInput(
                N_("Write each dependency as a task code, optionally with a lag: 1.2.3+2d."),
                field="depends_on",
            )
        result.append((match["code"].strip(), lag))
    return result


TASK_CELLS = {
    "description": lambda value: _cell_text(value) or None,
    "estimated_hours": lambda value: non_negative(_cell_text(value) or 0, "estimated_hours"),
    "logged_hours": lambda value: non_negative(_cell_text(value) or 0, "logged_hours"),
    "inputs": lambda value: string_list(_split(value), "inputs"),
    "outputs": lambda value: string_list(_split(value), "outputs"),
    "start_date": lambda value: _date(value, "start_date"),
    "due_date": lambda value: _date(value, "due_date"),
    "status": _status,
    "percent": lambda value: percent(_cell_text(value) or 0),
    "weight": lambda value: weight_value(_cell_text(value) or None),
}
CELL_OF_FIELD = {"start_date": "start", "due_date": "due"}


class _Collector:
    def __init__(self) -> None:
        self.problems: list[CellError] = []

    def check(self, row: int, key: str, convert, value):
        try:
            return convert(value)
        except DomainError as error:
            self.problems.append(CellError(row, HEADERS[key], error))
            return None

    def add(self, row: int, key: str | None, error: DomainError) -> None:
        self.problems.append(CellError(row, HEADERS[key] if key else None, error))


def parse_plan(table: list[tuple[int, dict[str, Any]]]) -> list[ObjectiveDraft]:
    """The plan the rows describe; raises ``SpreadsheetRejected`` with every problem found."""
    problems = _Collector()
    objectives: dict[str, ObjectiveDraft] = {}
    tasks_by_code: dict[str, TaskDraft] = {}
    for row, cells in table:
        objective_code = problems.check(
            row, "objective_code", lambda v: _code(v, "code"), cells.get("objective_code")
        )
        objective_title = problems.check(
            row, "objective", lambda v: text(_cell_text(v)), cells.get("objective")
        )
        activity_code = problems.check(
            row, "activity_code", lambda v: _code(v, "code"), cells.get("activity_code")
        )
        activity_title = problems.check(
            row, "activity", lambda v: text(_cell_text(v)), cells.get("activity")
        )
        if objective_title is None or activity_title is None:
            continue
        objective_key = objective_code or f"title:{objective_title}"
        objective = objectives.setdefault(
            objective_key, ObjectiveDraft(objective_code, objective_title)
        )
        activity_key = activity_code or f"title:{activity_title}"
        activity = objective.activities.setdefault(
            activity_key, ActivityDraft(activity_code, activity_title)
        )
        if not _cell_text(cells.get("task")) and not _cell_text(cells.get("task_code")):
            continue
        values = {
            "title": problems.check(row, "task", lambda v: text(_cell_text(v)), cells.get("task"))
        }
        for name, convert in TASK_CELLS.items():
            key = CELL_OF_FIELD.get(name, name)
            if key in cells:
                values[name] = problems.check(row, key, convert, cells[key])
        start, due = values.get("start_date"), values.get("due_date")
        if start and due and due < start:
            problems.add(
                row,
                "due",
                InvalidInput(
                    N_("The due date {due} is before the start date {start}."),
                    field="due_date",
                    due=due.isoformat(),
                    start=start.isoformat(),
                ),
            )
        if values.get("status") == TaskStatus.DONE:
            values["percent"] = 100
        code = problems.check(row, "task_code", lambda v: _code(v, "code"), cells.get("task_code"))
        draft = TaskDraft(
            row=row,
            code=code or "",
            values=values,
            responsibles=_split(cells.get("responsibles"), ";,"),
            depends_on=problems.check(row, "depends_on", _dependencies, cells.get("depends_on"))
            or [],
        )
        activity.tasks.append(draft)
        if code:
            if code in tasks_by_code:
                problems.add(
                    row,
                    "task_code",
                    InvalidInput(
                        N_("The task code {code} is already used in row {row}."),
                        field="code",
                        code=code,
                        row=tasks_by_code[code].row,
                    ),
                )
            else:
                tasks_by_code[code] = draft
    _number(objectives)
    _check_graph(objectives, problems)
    if problems.problems:
        raise SpreadsheetRejected(problems.problems)
    return list(objectives.values())


def _number(objectives: dict[str, ObjectiveDraft]) -> None:
    """Codes for what the file left unnamed, the way the plan services number them."""
    taken = {objective.code for objective in objectives.values() if objective.code}
    counter = 0
    for objective in objectives.values():
        while objective.code is None:
            counter += 1
            if str(counter) not in taken:
                objective.code = str(counter)
        for index, activity in enumerate(objective.activities.values(), start=1):
            activity.code = activity.code or f"{objective.code}.{index}"
            for number, task in enumerate(activity.tasks, start=1):
                task.code = task.code or f"{activity.code}.{number}"


def _check_graph(objectives: dict[str, ObjectiveDraft], problems: _Collector) -> None:
    tasks = [
        task
        for objective in objectives.values()
        for activity in objective.activities.values()
        for task in activity.tasks
    ]
    by_code: dict[str, TaskDraft] = {}
    for task in tasks:
        by_code.setdefault(task.code, task)
    graph: dict[str, set[str]] = defaultdict(set)
    for task in tasks:
        for code, _lag in task.depends_on:
            if code not in by_code:
                problems.add(
                    task.row,
                    "depends_on",
                    InvalidInput(N_("No task has the code {code}."), field="depends_on", code=code),
                )
            elif code == task.code:
                problems.add(
                    task.row,
                    "depends_on",
                    InvalidInput(
                        N_("Task {task} cannot depend on itself."),
                        field="depends_on",
                        task=task.code,
                    ),
                )
            else:
                graph[task.code].add(code)
    try:
        TopologicalSorter(graph).prepare()
    except CycleError as cycle:
        codes = list(reversed(cycle.args[1]))
        problems.add(
            by_code[codes[0]].row,
            "depends_on",
            InvalidInput(
                N_("That dependency would close a cycle: {cycle}."),
                field="depends_on",
                cycle=" → ".join(codes),
            ),
        )


async def _people_by_reference(
    session: AsyncSession, secretariat_id: int, references: set[str]
) -> dict[str, int]:
    """Person ids by how the file names them: email, @handle or #id, in one statement."""
    emails = {ref.lower() for ref in references if "@" in ref and not ref.startswith("@")}
    handles = {ref.lstrip("@").lower() for ref in references if ref.startswith("@")}
    ids = {int(ref[1:]) for ref in references if re.fullmatch(r"#\d{1,9}", ref)}
    if not (emails or handles or ids):
        return {}
    rows = await session.execute(
        select(Person.id, Person.email, Person.telegram_username).where(
            Person.secretariat_id == secretariat_id,
            Person.erased_at.is_(None),
            or_(
                Person.email.in_(emails),
                func.lower(Person.telegram_username).in_(handles),
                Person.id.in_(ids),
            ),
        )
    )
    found: dict[str, int] = {}
    for person_id, email, username in rows:
        found[f"#{person_id}"] = person_id
        if email:
            found[email.lower()] = person_id
        if username:
            found[f"@{username.lower()}"] = person_id
    return found


def _reference_key(reference: str) -> str:
    return reference if reference.startswith("#") else reference.lower()


@dataclass(frozen=True)
class ImportSummary:
    plan: Plan
    objectives: int
    activities: int
    tasks: int
    dependencies: int


async def import_plan(
    session: AsyncSession,
    secretariat_id: int,
    actor: str,
    *,
    year: int,
    title: str,
    data: bytes,
    filename: str | None = None,
    description: str | None = None,
) -> ImportSummary:
    """Create a whole plan from a spreadsheet, in the caller's transaction."""
    objectives = parse_plan(read_table(data, filename))
    drafts = [
        task
        for objective in objectives
        for activity in objective.activities.values()
        for task in activity.tasks
    ]
    references = {ref for task in drafts for ref in task.responsibles}
    people = await _people_by_reference(session, secretariat_id, references)
    unknown = [
        CellError(
            task.row,
            HEADERS["responsibles"],
            InvalidInput(
                N_("Nobody in this secretariat is {reference} (use an email, @handle or #id)."),
                field="responsibles",
                reference=reference,
            ),
        )
        for task in drafts
        for reference in task.responsibles
        if _reference_key(reference) not in people
    ]
    if unknown:
        raise SpreadsheetRejected(unknown)
    plan = await plans.create_plan(
        session, secretariat_id, actor, year=year, title=title, description=description
    )
    # Plain multi-row INSERTs, then one SELECT per level for the new ids: portable, and a
    # handful of statements whatever the size of the file.
    await _insert(
        session,
        Objective,
        [
            {
                "plan_id": plan.id,
                "code": objective.code,
                "title": objective.title,
                "position": position,
                "version": 1,
            }
            for position, objective in enumerate(objectives)
        ],
    )
    objective_ids = await _new_ids(
        session,
        select(Objective.plan_id, Objective.code, Objective.id).where(Objective.plan_id == plan.id),
    )
    activity_rows, activity_drafts = [], []
    for objective in objectives:
        objective_id = objective_ids[(plan.id, objective.code)]
        for position, activity in enumerate(objective.activities.values()):
            activity_rows.append(
                {
                    "objective_id": objective_id,
                    "code": activity.code,
                    "title": activity.title,
                    "position": position,
                    "version": 1,
                }
            )
            activity_drafts.append((objective_id, activity))
    await _insert(session, Activity, activity_rows)
    activity_ids = await _new_ids(
        session,
        select(Activity.objective_id, Activity.code, Activity.id)
        .join(Objective, Objective.id == Activity.objective_id)
        .where(Objective.plan_id == plan.id),
    )
    task_rows_to_insert = []
    for objective_id, activity in activity_drafts:
        activity_id = activity_ids[(objective_id, activity.code)]
        for position, task in enumerate(activity.tasks):
            values = {name: value for name, value in task.values.items() if value is not None}
            task_rows_to_insert.append(
                {
                    **TASK_DEFAULTS,
                    **values,
                    "activity_id": activity_id,
                    "code": task.code,
                    "position": position,
                    "version": 1,
                }
            )
    await _insert(session, Task, task_rows_to_insert)
    task_ids = await _new_ids(
        session,
        select(Task.activity_id, Task.code, Task.id)
        .join(Activity, Activity.id == Task.activity_id)
        .join(Objective, Objective.id == Activity.objective_id)
        .where(Objective.plan_id == plan.id),
    )
    id_by_code = {code: task_id for (_activity, code), task_id in task_ids.items()}
    links = [
        {"task_id": id_by_code[task.code], "person_id": person_id}
        for task in drafts
        for person_id in dict.fromkeys(people[_reference_key(ref)] for ref in task.responsibles)
    ]
    if links:
        await session.execute(insert(TaskResponsible), links)
    dependencies = [
        {"predecessor_id": id_by_code[code], "successor_id": id_by_code[task.code], "lag_days": lag}
        for task in drafts
        for code, lag in dict(task.depends_on).items()
    ]
    if dependencies:
        await session.execute(insert(TaskDependency), dependencies)
    summary = ImportSummary(
        plan, len(objective_ids), len(activity_ids), len(task_ids), len(dependencies)
    )
    await chain.record(
        session,
        actor=actor,
        action="plan.import",
        entity_type="plan",
        entity_id=plan.id,
        secretariat_id=secretariat_id,
        plan_id=plan.id,
        data={
            "file_sha256": hashlib.sha256(data).hexdigest(),
            "objectives": summary.objectives,
            "activities": summary.activities,
            "tasks": summary.tasks,
            "dependencies": summary.dependencies,
        },
    )
    return summary


# Every task row carries every column, so the rows go out as one multi-row INSERT.
TASK_DEFAULTS = {
    "description": None,
    "estimated_hours": 0,
    "logged_hours": 0,
    "inputs": [],
    "outputs": [],
    "start_date": None,
    "due_date": None,
    "status": TaskStatus.PENDING,
    "percent": 0,
    "weight": None,
}


async def _insert(session: AsyncSession, model, rows: list[dict]) -> None:
    if rows:
        await session.execute(insert(model), rows)


async def _new_ids(session: AsyncSession, query) -> dict[tuple[int, str], int]:
    """{(parent id, code): id}; codes are unique under their parent."""
    return {(parent, code): row_id for parent, code, row_id in await session.execute(query)}


def _new_workbook() -> tuple[Workbook, Any]:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(SHEET_TITLE)
    sheet.append([column.header for column in COLUMNS])
    return workbook, sheet


def _save(workbook: Workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def template_workbook() -> bytes:
    """The empty template: the header row of the ``Plan`` sheet."""
    workbook, _sheet = _new_workbook()
    return _save(workbook)


def _items_cell(items: list[str]) -> str | None:
    """One item per line; a lone item holding ``;`` keeps a line break so it is not split."""
    if not items:
        return None
    cell = "\n".join(items)
    return cell + "\n" if len(items) == 1 and ";" in cell else cell


def _person_reference(person_id: int, email: str | None, username: str | None) -> str:
    return email or (f"@{username}" if username else f"#{person_id}")


async def export_rows(session: AsyncSession, secretariat_id: int, plan_id: int) -> list[list]:
    """The plan as template rows (header excluded), in a fixed number of statements."""
    plan = await scope.get_plan(session, secretariat_id, plan_id)
    objectives = (
        await session.scalars(
            select(Objective).where(Objective.plan_id == plan.id).order_by(Objective.position)
        )
    ).all()
    activities = (
        await session.scalars(
            select(Activity)
            .join(Objective, Objective.id == Activity.objective_id)
            .where(Objective.plan_id == plan.id)
            .order_by(Activity.position)
        )
    ).all()
    tasks = (
        await session.execute(
            select(
                Task.id,
                Task.activity_id,
                Task.code,
                Task.title,
                Task.description,
                Task.estimated_hours,
                Task.logged_hours,
                Task.inputs,
                Task.outputs,
                Task.start_date,
                Task.due_date,
                Task.status,
                Task.percent,
                Task.weight,
            )
            .join(Activity, Activity.id == Task.activity_id)
            .join(Objective, Objective.id == Activity.objective_id)
            .where(Objective.plan_id == plan.id)
            .order_by(Task.position, Task.id)
        )
    ).all()
    people = await session.execute(
        select(TaskResponsible.task_id, Person.id, Person.email, Person.telegram_username)
        .join(Person, Person.id == TaskResponsible.person_id)
        .join(Task, Task.id == TaskResponsible.task_id)
        .join(Activity, Activity.id == Task.activity_id)
        .join(Objective, Objective.id == Activity.objective_id)
        .where(Objective.plan_id == plan.id)
        .order_by(Person.id)
    )
    responsibles: dict[int, list[str]] = defaultdict(list)
    for task_id, person_id, email, username in people:
        responsibles[task_id].append(_person_reference(person_id, email, username))
    code_by_id = {task.id: task.code for task in tasks}
    depends: dict[int, list[str]] = defaultdict(list)
    for predecessor, successor, lag in await plan_edges(session, plan.id):
        suffix = f"{lag:+d}d" if lag else ""
        depends[successor].append(f"{code_by_id[predecessor]}{suffix}")
    tasks_by_activity = defaultdict(list)
    for task in tasks:
        tasks_by_activity[task.activity_id].append(task)
    activities_by_objective = defaultdict(list)
    for activity in activities:
        activities_by_objective[activity.objective_id].append(activity)
    rows = []
    for objective in objectives:
        for activity in activities_by_objective[objective.id]:
            head = [objective.code, objective.title, activity.code, activity.title]
            if not tasks_by_activity[activity.id]:
                rows.append(head + [None] * (len(COLUMNS) - 4))
            for task in tasks_by_activity[activity.id]:
                rows.append(
                    [
                        *head,
                        task.code,
                        task.title,
                        task.description,
                        "; ".join(responsibles[task.id]) or None,
                        task.estimated_hours,
                        task.logged_hours,
                        _items_cell(task.inputs),
                        _items_cell(task.outputs),
                        task.start_date,
                        task.due_date,
                        STATUS_LABELS[task.status],
                        task.percent,
                        task.weight,
                        "; ".join(sorted(depends[task.id])) or None,
                    ]
                )
    return rows


async def export_plan(session: AsyncSession, secretariat_id: int, plan_id: int) -> bytes:
    rows = await export_rows(session, secretariat_id, plan_id)
    # A write-only workbook must be saved once opened: open it only when the rows are there.
    workbook, sheet = _new_workbook()
    for row in rows:
        sheet.append(row)
    return _save(workbook)
