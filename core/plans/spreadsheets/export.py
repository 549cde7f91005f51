"""A plan, or the empty template, written as a workbook with the import's sheets and columns:
the plan's tasks, its indicators, and the current value of each period measured."""

from __future__ import annotations

import asyncio
import io
from collections import defaultdict
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from openpyxl import Workbook
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from core.infra.workbooks import text_cell
from core.models import (
    Activity,
    Indicator,
    Objective,
    Person,
    Task,
    TaskResponsible,
)
from core.plans.dependencies import plan_edges
from core.plans.measurements import plan_measurements
from core.plans.plans import get_plan
from core.plans.spreadsheets.columns import COLUMNS, PLAN, STATUS_LABELS, Sheet
from core.plans.spreadsheets.indicator_columns import (
    FREQUENCY_LABELS,
    INDICATORS,
    MEASUREMENTS,
    SCALE_LABELS,
    SHEETS,
)
from core.plans.spreadsheets.references import person_reference
from core.plans.structure import objectives_and_activities

Rows = Sequence[list[Any]]


def _workbook(rows: dict[Sheet, Rows]) -> bytes:
    """Every sheet of the template: its header row, then its ``rows``."""
    workbook = Workbook(write_only=True)
    for kind in SHEETS:
        sheet = workbook.create_sheet(kind.title)
        for row in [[column.header for column in kind.columns], *rows.get(kind, [])]:
            sheet.append([text_cell(sheet, value) for value in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def template_workbook() -> bytes:
    """The empty template: the header row of each sheet."""
    return _workbook({})


def _items_cell(items: list[str]) -> str | None:
    """One item per line; a lone item holding ``;`` keeps a line break so it is not split."""
    if not items:
        return None
    cell = "\n".join(items)
    return cell + "\n" if len(items) == 1 and ";" in cell else cell


async def export_rows(session: AsyncSession, secretariat_id: int, plan_id: int) -> list[list[Any]]:
    """The plan as template rows (header excluded), in a fixed number of statements."""
    plan = await get_plan(session, secretariat_id, plan_id)
    structure = await objectives_and_activities(session, plan.id)
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
        responsibles[task_id].append(person_reference(person_id, email, username))
    code_by_id = {task.id: task.code for task in tasks}
    depends: dict[int, list[str]] = defaultdict(list)
    for predecessor, successor, lag in await plan_edges(session, plan.id):
        suffix = f"{lag:+d}d" if lag else ""
        depends[successor].append(f"{code_by_id[predecessor]}{suffix}")
    tasks_by_activity = defaultdict(list)
    for task in tasks:
        tasks_by_activity[task.activity_id].append(task)
    rows = []
    for objective, activities in structure:
        for activity in activities:
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


def _number(value: Decimal | None) -> int | float | None:
    """An amount as a number cell holds it: whole when it is."""
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)


async def indicator_rows(session: AsyncSession, plan_id: int) -> tuple[Rows, Rows]:
    """The plan's indicators, and the current value of each period measured, as rows of their
    sheets (headers excluded), in a fixed number of statements."""
    indicators = (
        await session.scalars(
            select(Indicator).where(Indicator.plan_id == plan_id).order_by(Indicator.id)
        )
    ).all()
    objectives = await session.execute(
        select(Objective.id, Objective.code).where(Objective.plan_id == plan_id)
    )
    codes = {objective_id: code for objective_id, code in objectives}
    rows = [
        [
            indicator.name,
            codes.get(indicator.objective_id or 0),
            indicator.method,
            indicator.unit,
            SCALE_LABELS[indicator.scale],
            _number(indicator.baseline),
            _number(indicator.goal),
            FREQUENCY_LABELS[indicator.frequency],
            indicator.starts_on,
            indicator.ends_on,
            "; ".join(indicator.due_dates or ()) or None,
            indicator.means_of_verification,
            # Loaded with the indicators, in one more statement.
            "; ".join(
                person_reference(person.id, person.email, person.telegram_username)
                for person in indicator.responsibles
            )
            or None,
        ]
        for indicator in indicators
    ]
    measured = await plan_measurements(session, plan_id)
    values = [
        [indicator.name, value.measured_on, _number(value.value), value.note, value.revision]
        for indicator in indicators
        for value in measured.get(indicator.id, [])
    ]
    return rows, values


async def export_plan(session: AsyncSession, secretariat_id: int, plan_id: int) -> bytes:
    """The plan as an .xlsx workbook, written off the event loop (a large plan takes seconds)."""
    tasks = await export_rows(session, secretariat_id, plan_id)
    indicators, measurements = await indicator_rows(session, plan_id)
    rows = {PLAN: tasks, INDICATORS: indicators, MEASUREMENTS: measurements}
    return await asyncio.to_thread(_workbook, rows)
