"""A plan, or the empty template, written as a workbook with the import's columns."""

from __future__ import annotations

import asyncio
import io
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from openpyxl import Workbook
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from core.infra.workbooks import text_cell
from core.models import (
    Activity,
    Objective,
    Person,
    Task,
    TaskResponsible,
)
from core.plans.dependencies import plan_edges
from core.plans.plans import get_plan
from core.plans.spreadsheets.columns import COLUMNS, SHEET_TITLE, STATUS_LABELS
from core.plans.structure import objectives_and_activities


def _workbook(rows: Iterable[list[Any]]) -> bytes:
    """The ``Plan`` sheet: the header row, then ``rows``."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(SHEET_TITLE)
    for row in [[column.header for column in COLUMNS], *rows]:
        sheet.append([text_cell(sheet, value) for value in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def template_workbook() -> bytes:
    """The empty template: the header row of the ``Plan`` sheet."""
    return _workbook([])


def _items_cell(items: list[str]) -> str | None:
    """One item per line; a lone item holding ``;`` keeps a line break so it is not split."""
    if not items:
        return None
    cell = "\n".join(items)
    return cell + "\n" if len(items) == 1 and ";" in cell else cell


def _person_reference(person_id: int, email: str | None, username: str | None) -> str:
    return email or (f"@{username}" if username else f"#{person_id}")


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
        responsibles[task_id].append(_person_reference(person_id, email, username))
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


async def export_plan(session: AsyncSession, secretariat_id: int, plan_id: int) -> bytes:
    """The plan as an .xlsx workbook, written off the event loop (a large plan takes seconds)."""
    rows = await export_rows(session, secretariat_id, plan_id)
    return await asyncio.to_thread(_workbook, rows)
