"""Rows into objective, activity and task drafts; every bad cell is found, by row and column."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from graphlib import CycleError, TopologicalSorter
from typing import Any, TypeVar

from core.errors import DomainError, InvalidInput
from core.infra.values import (
    at_most,
    day,
    non_negative,
    percent,
    storable,
    string_list,
    task_hours,
    text,
)
from core.infra.values import weight as weight_value
from core.models import (
    TaskStatus,
)
from core.plans.spreadsheets.columns import (
    CODE_LIMIT,
    PLAN,
    STATUS_BY_NAME,
    STATUS_LABELS,
    Sheet,
    normalise,
)
from core.plans.spreadsheets.problems import CellError
from core.plans.spreadsheets.read import Table, cell_text
from i18n import N_


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


T = TypeVar("T")
DEPENDENCY = re.compile(r"^(?P<code>.+?)(?:\s*(?P<lag>[+-]\s*\d+)\s*d)?$")


def split_items(value: Any, separators: str = ";") -> list[str]:
    """Items of a multi-value cell: one per line when it has lines, else split on ``;``."""
    raw = "" if value is None else str(value)
    content = cell_text(value)
    if not content:
        return []
    parts = raw.splitlines() if "\n" in raw else re.split(f"[{separators}]", content)
    return [part.strip() for part in parts if part.strip()]


def cell_date(value: Any, key: str) -> date | None:
    """The date of a cell: a date cell, ``DD/MM/YYYY`` or ``YYYY-MM-DD``; None when empty."""
    if isinstance(value, datetime):
        return day(value.date(), key)
    if isinstance(value, date):
        return day(value, key)
    content = cell_text(value)
    if not content:
        return None
    written = _written_date(content)
    if written is None:
        raise InvalidInput(
            N_("The {field} must be a date written DD/MM/YYYY or YYYY-MM-DD."), field=key
        )
    return day(written, key)


def _written_date(content: str) -> date | None:
    """The date a cell writes as ``DD/MM/YYYY`` or ``YYYY-MM-DD`` (with a time after it or not)."""
    if match := re.fullmatch(r"(\d{1,2})/(\d{1,2})/(\d{4})", content):
        day_of_month, month, year = (int(part) for part in match.groups())
    elif match := re.fullmatch(r"(\d{4})-(\d\d)-(\d\d)(?:[ T].*)?", content):
        year, month, day_of_month = (int(part) for part in match.groups())
    else:
        return None
    try:
        return date(year, month, day_of_month)
    except ValueError:
        return None


def cell_code(value: Any, key: str) -> str | None:
    """The code of a cell, of at most ``CODE_LIMIT`` characters; None when empty."""
    content = cell_text(value)
    if not content:
        return None
    return storable(at_most(content, key, CODE_LIMIT), key)


def _status(value: Any) -> TaskStatus:
    content = normalise(cell_text(value))
    if not content:
        return TaskStatus.PENDING
    if content not in STATUS_BY_NAME:
        raise InvalidInput(
            N_("Unknown status {value}; use one of: {choices}."),
            field="status",
            value=cell_text(value),
            choices=", ".join(STATUS_LABELS.values()),
        )
    return STATUS_BY_NAME[content]


def _dependencies(value: Any) -> list[tuple[str, int]]:
    result = []
    for item in split_items(value, ";,"):
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
    "description": lambda value: storable(cell_text(value), "description") or None,
    "estimated_hours": lambda value: task_hours(cell_text(value) or 0, "estimated_hours"),
    "logged_hours": lambda value: non_negative(cell_text(value) or 0, "logged_hours"),
    "inputs": lambda value: string_list(split_items(value), "inputs"),
    "outputs": lambda value: string_list(split_items(value), "outputs"),
    "start_date": lambda value: cell_date(value, "start_date"),
    "due_date": lambda value: cell_date(value, "due_date"),
    "status": _status,
    "percent": lambda value: percent(cell_text(value) or 0),
    "weight": lambda value: weight_value(cell_text(value) or None),
}
CELL_OF_FIELD = {"title": "task", "start_date": "start", "due_date": "due"}


class Collector:
    """Every problem of a sheet; a cell that could not be read is not also refused for what
    was left of it."""

    def __init__(self, unread: list[CellError], sheet: Sheet = PLAN) -> None:
        self.problems = list(unread)
        self.sheet = sheet
        self._unread = {(problem.row, problem.column) for problem in unread}

    def check(self, row: int, key: str, convert: Callable[[Any], T], value: Any) -> T | None:
        """``value`` converted, or None when ``convert`` refuses it (a problem of the cell)."""
        try:
            return convert(value)
        except DomainError as error:
            if (row, key) not in self._unread:
                self.add(row, key, error)
            return None

    def add(self, row: int | None, key: str | None, error: DomainError) -> None:
        """A problem of the sheet at ``row`` and the column ``key``."""
        self.problems.append(CellError(row, key, error, self.sheet))


@dataclass
class ParsedPlan:
    """What the file describes: its objectives (each task row under its activity), every task
    row (those whose objective or activity could not be read included), and every problem."""

    objectives: list[ObjectiveDraft]
    tasks: list[TaskDraft]
    problems: list[CellError]
    columns: frozenset[str]


def parse_plan(table: Table) -> ParsedPlan:
    """The plan the rows describe, with every problem of every row found in one pass."""
    problems = Collector(table.problems)
    objectives: dict[str, ObjectiveDraft] = {}
    tasks: list[TaskDraft] = []
    tasks_by_code: dict[str, TaskDraft] = {}
    # Codes written in the file, on rows with problems too: depending on one is not an error.
    written: set[str] = set()
    for row, cells in table.rows:
        activity = _activity(row, cells, objectives, problems)
        if not cell_text(cells.get("task")) and not cell_text(cells.get("task_code")):
            continue
        written.add(cell_text(cells.get("task_code")))
        draft = _task(row, cells, problems)
        tasks.append(draft)
        if activity is not None:
            activity.tasks.append(draft)
        if draft.code in tasks_by_code:
            problems.add(
                row,
                "task_code",
                InvalidInput(
                    N_("The task code {code} is already used in row {row}."),
                    field="code",
                    code=draft.code,
                    row=tasks_by_code[draft.code].row,
                ),
            )
        elif draft.code:
            tasks_by_code[draft.code] = draft
    _number(objectives)
    _check_graph(tasks, written, problems)
    if not tasks:
        problems.add(
            None,
            None,
            InvalidInput(
                N_("The file holds no task: each row under the header with a task's title is one.")
            ),
        )
    return ParsedPlan(list(objectives.values()), tasks, problems.problems, table.columns)


def _activity(
    row: int, cells: dict[str, Any], objectives: dict[str, ObjectiveDraft], problems: Collector
) -> ActivityDraft | None:
    """The row's activity under its objective, made when first met; None when either is wrong."""
    objective_code = problems.check(
        row, "objective_code", lambda v: cell_code(v, "code"), cells.get("objective_code")
    )
    objective_title = problems.check(
        row, "objective", lambda v: text(cell_text(v)), cells.get("objective")
    )
    activity_code = problems.check(
        row, "activity_code", lambda v: cell_code(v, "code"), cells.get("activity_code")
    )
    activity_title = problems.check(
        row, "activity", lambda v: text(cell_text(v)), cells.get("activity")
    )
    if objective_title is None or activity_title is None:
        return None
    objective = objectives.setdefault(
        objective_code or f"title:{objective_title}",
        ObjectiveDraft(objective_code, objective_title),
    )
    return objective.activities.setdefault(
        activity_code or f"title:{activity_title}", ActivityDraft(activity_code, activity_title)
    )


def _task(row: int, cells: dict[str, Any], problems: Collector) -> TaskDraft:
    """The task of a row, with every cell that could be read; the others are problems."""
    values: dict[str, Any] = {
        "title": problems.check(row, "task", lambda v: text(cell_text(v)), cells.get("task"))
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
    code = problems.check(row, "task_code", lambda v: cell_code(v, "code"), cells.get("task_code"))
    return TaskDraft(
        row=row,
        code=code or "",
        values=values,
        responsibles=split_items(cells.get("responsibles"), ";,"),
        depends_on=problems.check(row, "depends_on", _dependencies, cells.get("depends_on")) or [],
    )


def _number(objectives: dict[str, ObjectiveDraft]) -> None:
    """Codes for what the file left unnamed, the way the plan services number them, skipping
    the codes the file gives (a task added without a code among numbered ones takes the next
    free number, not one of theirs)."""
    objective_codes = _Numbers(objective.code for objective in objectives.values())
    task_codes = _Numbers(
        task.code
        for objective in objectives.values()
        for activity in objective.activities.values()
        for task in activity.tasks
    )
    for position, objective in enumerate(objectives.values(), start=1):
        objective.code = objective.code or objective_codes.free("", position)
        activity_codes = _Numbers(activity.code for activity in objective.activities.values())
        for index, activity in enumerate(objective.activities.values(), start=1):
            activity.code = activity.code or activity_codes.free(f"{objective.code}.", index)
            for number, task in enumerate(activity.tasks, start=1):
                task.code = task.code or task_codes.free(f"{activity.code}.", number)


class _Numbers:
    """Codes ``<prefix><n>`` numbered by position, skipping those taken."""

    def __init__(self, taken: Iterable[str | None]) -> None:
        self.taken = {code for code in taken if code}

    def free(self, prefix: str, number: int) -> str:
        """``<prefix><number>``, or the first free number after it."""
        while f"{prefix}{number}" in self.taken:
            number += 1
        code = f"{prefix}{number}"
        self.taken.add(code)
        return code


def _check_graph(tasks: list[TaskDraft], written: set[str], problems: Collector) -> None:
    """Dependencies on no task of the file, on the task itself, and the first cycle."""
    by_code: dict[str, TaskDraft] = {}
    for task in tasks:
        if task.code:
            by_code.setdefault(task.code, task)
    graph: dict[str, set[str]] = defaultdict(set)
    for task in tasks:
        for code, _lag in task.depends_on:
            if code == task.code:
                problems.add(
                    task.row,
                    "depends_on",
                    InvalidInput(
                        N_("Task {task} cannot depend on itself."),
                        field="depends_on",
                        task=task.code,
                    ),
                )
            elif code in by_code:
                graph[task.code].add(code)
            elif code not in written:
                problems.add(
                    task.row,
                    "depends_on",
                    InvalidInput(N_("No task has the code {code}."), field="depends_on", code=code),
                )
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
