"""Rows into objective, activity and task drafts; every bad cell is reported by row and column."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from graphlib import CycleError, TopologicalSorter
from typing import Any, TypeVar

from core.errors import DomainError, InvalidInput
from core.infra.values import (
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
    HEADERS,
    STATUS_BY_NAME,
    STATUS_LABELS,
    normalise,
)
from core.plans.spreadsheets.problems import CellError, SpreadsheetRejected
from core.plans.spreadsheets.read import cell_text
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


def _split(value: Any, separators: str = ";") -> list[str]:
    """Items of a multi-value cell: one per line when it has lines, else split on ``;``."""
    raw = "" if value is None else str(value)
    content = cell_text(value)
    if not content:
        return []
    parts = raw.splitlines() if "\n" in raw else re.split(f"[{separators}]", content)
    return [part.strip() for part in parts if part.strip()]


def _date(value: Any, key: str) -> date | None:
    if isinstance(value, datetime):
        return day(value.date(), key)
    if isinstance(value, date):
        return day(value, key)
    content = cell_text(value)
    if not content:
        return None
    match = re.fullmatch(r"(\d{1,2})/(\d{1,2})/(\d{4})", content)
    if match:
        day_of_month, month, year = (int(part) for part in match.groups())
        try:
            written = date(year, month, day_of_month)
        except ValueError:
            pass
        else:
            return day(written, key)
    return day(content[:10] if re.match(r"\d{4}-\d\d-\d\d[ T]", content) else content, key)


def _code(value: Any, key: str) -> str | None:
    content = cell_text(value)
    if not content:
        return None
    if len(content) > CODE_LIMIT:
        raise InvalidInput(
            N_("The {field} is longer than {limit} characters."), field=key, limit=CODE_LIMIT
        )
    return storable(content, key)


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
    "description": lambda value: storable(cell_text(value), "description") or None,
    "estimated_hours": lambda value: task_hours(cell_text(value) or 0, "estimated_hours"),
    "logged_hours": lambda value: non_negative(cell_text(value) or 0, "logged_hours"),
    "inputs": lambda value: string_list(_split(value), "inputs"),
    "outputs": lambda value: string_list(_split(value), "outputs"),
    "start_date": lambda value: _date(value, "start_date"),
    "due_date": lambda value: _date(value, "due_date"),
    "status": _status,
    "percent": lambda value: percent(cell_text(value) or 0),
    "weight": lambda value: weight_value(cell_text(value) or None),
}
CELL_OF_FIELD = {"start_date": "start", "due_date": "due"}


class _Collector:
    def __init__(self) -> None:
        self.problems: list[CellError] = []

    def check(self, row: int, key: str, convert: Callable[[Any], T], value: Any) -> T | None:
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
            row, "objective", lambda v: text(cell_text(v)), cells.get("objective")
        )
        activity_code = problems.check(
            row, "activity_code", lambda v: _code(v, "code"), cells.get("activity_code")
        )
        activity_title = problems.check(
            row, "activity", lambda v: text(cell_text(v)), cells.get("activity")
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
        if not cell_text(cells.get("task")) and not cell_text(cells.get("task_code")):
            continue
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
