"""A checked plan written in bulk, with one audit event for the import."""

from __future__ import annotations

import asyncio
import hashlib
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from core.audit import chain
from core.audit.actor import Actor
from core.errors import InvalidInput
from core.models import (
    Activity,
    Objective,
    Plan,
    Task,
    TaskDependency,
    TaskResponsible,
    TaskStatus,
)
from core.plans import assignments, plans
from core.plans.spreadsheets.columns import PLAN
from core.plans.spreadsheets.indicator_columns import INDICATORS, SHEETS
from core.plans.spreadsheets.indicator_load import write_indicators
from core.plans.spreadsheets.indicator_parse import (
    IndicatorDraft,
    ParsedIndicators,
    parse_indicators,
)
from core.plans.spreadsheets.parse import ObjectiveDraft, ParsedPlan, TaskDraft, parse_plan
from core.plans.spreadsheets.problems import CellError, SpreadsheetRejected
from core.plans.spreadsheets.read import read_tables
from core.plans.spreadsheets.references import people_by_reference, referenced, unknown
from i18n import N_


@dataclass(frozen=True)
class CheckedFile:
    """A file with no problem: its objectives, its tasks, its people by reference, the keys of
    the columns of its plan's sheet, and its indicators and their values."""

    objectives: list[ObjectiveDraft]
    drafts: list[TaskDraft]
    people: dict[str, int]
    columns: frozenset[str]
    indicators: ParsedIndicators


def _parsed(data: bytes, filename: str) -> tuple[ParsedPlan, ParsedIndicators]:
    tables = read_tables(data, filename)
    return parse_plan(tables[PLAN]), parse_indicators(tables)


async def checked_file(
    session: AsyncSession, secretariat_id: int, data: bytes, filename: str = ""
) -> CheckedFile:
    """The plan a file (uploaded as ``filename``) describes; ``SpreadsheetRejected`` with every
    problem of the file, its cells, its dependencies and its responsibles all found in one
    pass, in the file's order."""
    # Reading a large file takes seconds: off the event loop, so the API and the bot go on.
    parsed, indicators = await asyncio.to_thread(_parsed, data, filename)
    drafts = indicators.indicators or []
    references = {ref for task in parsed.tasks for ref in task.responsibles}
    references |= {ref for draft in drafts for ref in draft.responsibles}
    people = await people_by_reference(session, secretariat_id, references)
    problems = parsed.problems + indicators.problems
    problems += unknown(((task.row, task.responsibles) for task in parsed.tasks), people, PLAN)
    problems += unknown(((draft.row, draft.responsibles) for draft in drafts), people, INDICATORS)
    problems += _unknown_objectives(drafts, parsed.objectives)
    if problems:
        raise SpreadsheetRejected(sorted(problems, key=_place))
    return CheckedFile(parsed.objectives, parsed.tasks, people, parsed.columns, indicators)


def _unknown_objectives(
    drafts: list[IndicatorDraft], objectives: list[ObjectiveDraft]
) -> list[CellError]:
    """An indicator's objective must be one the plan's sheet has: the plan's objectives are
    what that sheet says."""
    codes = {objective.code for objective in objectives}
    return [
        CellError(
            draft.row,
            "objective_code",
            InvalidInput(
                N_("The sheet Plan has no objective with the code {code}."),
                code=draft.objective_code,
            ),
            INDICATORS,
        )
        for draft in drafts
        if draft.objective_code and draft.objective_code not in codes
    ]


def _place(problem: CellError) -> tuple[int, int, int]:
    """Where a problem is in the file: by sheet, what concerns the whole sheet first, then by
    row and column."""
    return SHEETS.index(problem.sheet), problem.row or 0, problem.sheet.order(problem.column)


def person_ids(task: TaskDraft, people: dict[str, int]) -> frozenset[int]:
    """The ids of the people the task's row names as its responsibles."""
    return referenced(task.responsibles, people)


def refuse_problems(problems: list[CellError]) -> None:
    """Refuses the file for the problems met while writing it, in the file's order."""
    if problems:
        raise SpreadsheetRejected(sorted(problems, key=_place))


@dataclass(frozen=True)
class ImportSummary:
    plan: Plan
    objectives: int
    activities: int
    tasks: int
    dependencies: int
    indicators: int
    measurements: int


async def import_plan(
    session: AsyncSession,
    secretariat_id: int,
    actor: Actor,
    *,
    year: int,
    title: str,
    data: bytes,
    filename: str = "",
    description: str | None = None,
) -> ImportSummary:
    """Create a whole plan from a spreadsheet uploaded as ``filename``, in the caller's
    transaction."""
    checked = await checked_file(session, secretariat_id, data, filename)
    objectives, drafts, people = checked.objectives, checked.drafts, checked.people
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
        for person_id in person_ids(task, people)
    ]
    if links:
        await session.execute(insert(TaskResponsible), links)
        await assignments.tell_everyone_assigned(session, plan, {link["task_id"] for link in links})
    dependencies = [
        {"predecessor_id": id_by_code[code], "successor_id": id_by_code[task.code], "lag_days": lag}
        for task in drafts
        for code, lag in dict(task.depends_on).items()
    ]
    if dependencies:
        await session.execute(insert(TaskDependency), dependencies)
    codes = {str(code): objective_id for (_plan, code), objective_id in objective_ids.items()}
    indicators, problems = await write_indicators(
        session, secretariat_id, actor, plan, checked.indicators, people, codes
    )
    refuse_problems(problems)
    summary = ImportSummary(
        plan,
        len(objective_ids),
        len(activity_ids),
        len(task_ids),
        len(dependencies),
        len(indicators.created),
        indicators.recorded,
    )
    counts = {
        "file_sha256": hashlib.sha256(data).hexdigest(),
        "objectives": summary.objectives,
        "activities": summary.activities,
        "tasks": summary.tasks,
        "dependencies": summary.dependencies,
        "indicators": summary.indicators,
        "measurements": summary.measurements,
    }
    await chain.about(session, plan, "plan.import", actor, secretariat_id, plan.id, counts)
    return summary


# Every task row carries every column, so the rows go out as one multi-row INSERT.
TASK_DEFAULTS: dict[str, Any] = {
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


async def _insert(
    session: AsyncSession, model: type[Objective | Activity | Task], rows: list[dict[str, Any]]
) -> None:
    if rows:
        await session.execute(insert(model), rows)


async def _new_ids(
    session: AsyncSession, query: Select[int, str, int]
) -> dict[tuple[int, str | None], int]:
    """{(parent id, code): id}; codes are unique under their parent.

    Drafts are numbered before they are written, so every draft's code is set by then.
    """
    return {(parent, code): row_id for parent, code, row_id in await session.execute(query)}
