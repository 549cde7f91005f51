"""A plan brought to what an edited copy of its spreadsheet says: tasks matched by their code
are created, changed or removed, and the objectives and activities around them follow; a dry
run only says what would change. All or nothing, like an import."""

from __future__ import annotations

import hashlib
from dataclasses import asdict, dataclass
from typing import Any

from sqlalchemy import delete, func, insert, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm.attributes import flag_modified

from core.audit import chain
from core.audit.actor import Actor
from core.errors import InvalidInput
from core.models import (
    Activity,
    Objective,
    Person,
    Plan,
    ProgressReport,
    Task,
    TaskDependency,
    TaskResponsible,
)
from core.plans import assignments
from core.plans.plans import get_plan
from core.plans.spreadsheets.columns import PLAN
from core.plans.spreadsheets.current import CurrentPlan, Place, current_plan
from core.plans.spreadsheets.indicator_load import IndicatorChanges, write_indicators
from core.plans.spreadsheets.load import (
    TASK_DEFAULTS,
    CheckedFile,
    checked_file,
    person_ids,
    refuse_problems,
)
from core.plans.spreadsheets.parse import CELL_OF_FIELD, TaskDraft
from core.plans.spreadsheets.problems import CellError, SpreadsheetRejected
from i18n import N_


@dataclass(frozen=True)
class TaskChange:
    """A task the file creates, changes or removes; for a change, the template's columns whose
    cells differ, named in the reader's language."""

    code: str
    title: str
    columns: list[str]


@dataclass(frozen=True)
class UpdateSummary:
    """What the file changes in the plan: done, or only foreseen when ``dry_run``."""

    plan: Plan
    dry_run: bool
    created: list[TaskChange]
    changed: list[TaskChange]
    removed: list[TaskChange]
    indicators: IndicatorChanges


@dataclass(frozen=True)
class _Changes:
    """Tasks by code: those the file adds, those it changes (with the keys of the columns that
    differ) and those it leaves out."""

    created: list[TaskDraft]
    changed: dict[str, list[str]]
    removed: list[Task]


async def update_plan(
    session: AsyncSession,
    secretariat_id: int,
    actor: Actor,
    plan_id: int,
    *,
    data: bytes,
    language: str,
    filename: str = "",
    dry_run: bool = False,
) -> UpdateSummary:
    """Make the plan what the file (uploaded as ``filename``) says, in the caller's transaction
    (nothing when ``dry_run``)."""
    plan = await get_plan(session, secretariat_id, plan_id)
    checked = await checked_file(session, secretariat_id, data, filename)
    current = await current_plan(session, plan.id)
    changes = _compare(checked, current)
    problems = _shared_codes(checked, current) + await _kept(session, changes.removed)
    if problems:
        raise SpreadsheetRejected(problems)
    if dry_run:
        indicators = await _foreseen(session, secretariat_id, actor, plan, checked, current)
    else:
        await _apply(session, plan, checked, current, changes)
        indicators, problems = await write_indicators(
            session,
            secretariat_id,
            actor,
            plan,
            checked.indicators,
            checked.people,
            await _objective_ids(session, plan.id),
        )
        refuse_problems(problems)
        record: dict[str, Any] = {
            "file_sha256": hashlib.sha256(data).hexdigest(),
            "created": [task.code for task in changes.created],
            "changed": changes.changed,
            "removed": [task.code for task in changes.removed],
        }
        if checked.indicators.present:
            record["indicators"] = asdict(indicators)
        await chain.about(
            session, plan, "plan.update_import", actor, secretariat_id, plan.id, record
        )
    titles = {task.code: task.values["title"] for task in checked.drafts}
    return UpdateSummary(
        plan=plan,
        dry_run=dry_run,
        created=[TaskChange(task.code, task.values["title"], []) for task in changes.created],
        changed=[
            TaskChange(code, titles[code], [_header(key, language) for key in keys])
            for code, keys in changes.changed.items()
        ],
        removed=[TaskChange(task.code, task.title, []) for task in changes.removed],
        indicators=indicators,
    )


async def _foreseen(
    session: AsyncSession,
    secretariat_id: int,
    actor: Actor,
    plan: Plan,
    checked: CheckedFile,
    current: CurrentPlan,
) -> IndicatorChanges:
    """What the indicator sheets would change: written through the services, so that every
    rule of theirs is met, then undone. Objectives the file adds are not there yet: an
    indicator's link to one of them is left out."""
    objective_ids = {code: objective.id for code, objective in current.objectives.items()}
    async with session.begin_nested() as savepoint:
        indicators, problems = await write_indicators(
            session, secretariat_id, actor, plan, checked.indicators, checked.people, objective_ids
        )
        await savepoint.rollback()
    refuse_problems(problems)
    return indicators


async def _objective_ids(session: AsyncSession, plan_id: int) -> dict[str, int]:
    """The plan's objectives' ids by code."""
    rows = await session.execute(
        select(Objective.code, Objective.id).where(Objective.plan_id == plan_id)
    )
    return {code: objective_id for code, objective_id in rows}


def _header(key: str, language: str) -> str:
    column = PLAN.column(key)
    return column.name(language) if column else key


def _places(checked: CheckedFile) -> dict[str, Place]:
    """Where the file puts each task: its objective's code and its activity's."""
    return {
        task.code: (str(objective.code), str(activity.code))
        for objective in checked.objectives
        for activity in objective.activities.values()
        for task in activity.tasks
    }


def _compare(checked: CheckedFile, current: CurrentPlan) -> _Changes:
    places = _places(checked)
    titles = {
        (str(objective.code), str(activity.code)): (objective.title, activity.title)
        for objective in checked.objectives
        for activity in objective.activities.values()
    }
    created, changed = [], {}
    for task in checked.drafts:
        existing = current.tasks.get(task.code)
        if existing is None:
            created.append(task)
            continue
        keys = _cells_changed(task, existing, places[task.code], titles, checked, current)
        if keys:
            changed[task.code] = keys
    removed = [task for code, task in current.tasks.items() if code not in places]
    return _Changes(created, changed, removed)


def _cells_changed(
    task: TaskDraft,
    existing: Task,
    place: Place,
    titles: dict[Place, tuple[str, str]],
    checked: CheckedFile,
    current: CurrentPlan,
) -> list[str]:
    """The keys of the columns whose cells differ from the task's row in the plan's export."""
    before = current.place_of[existing.id]
    was = (current.objectives[before[0]].title, current.activities[before].title)
    keys = [
        key
        for key, now, then in zip(
            PLACE_KEYS, (*place, *titles[place]), (*before, *was), strict=True
        )
        if now != then
    ]
    keys += [
        CELL_OF_FIELD.get(name, name)
        for name, value in task.values.items()
        if getattr(existing, name) != value
    ]
    people = person_ids(task, checked.people)
    if "responsibles" in checked.columns and people != current.responsibles[existing.id]:
        keys.append("responsibles")
    depends_on = frozenset(dict(task.depends_on).items())
    if "depends_on" in checked.columns and depends_on != current.depends_on[existing.id]:
        keys.append("depends_on")
    return sorted(keys, key=PLAN.order)


# The cells of a row that place its task: its objective's and its activity's code and title.
PLACE_KEYS = ("objective_code", "activity_code", "objective", "activity")


def _shared_codes(checked: CheckedFile, current: CurrentPlan) -> list[CellError]:
    """A task code the plan gives to several tasks matches none of them for certain."""
    return [
        CellError(
            task.row,
            "task_code",
            InvalidInput(
                N_(
                    "More than one task of the plan has the code {code}; give them different"
                    " codes in the plan first."
                ),
                code=task.code,
            ),
        )
        for task in checked.drafts
        if task.code in current.shared_codes
    ]


async def _kept(session: AsyncSession, removed: list[Task]) -> list[CellError]:
    """A task left out of the file that people reported progress on stays, as a record."""
    if not removed:
        return []
    counts = await session.execute(
        select(ProgressReport.task_id, func.count())
        .where(ProgressReport.task_id.in_([task.id for task in removed]))
        .group_by(ProgressReport.task_id)
    )
    reports: dict[int, int] = {task_id: count for task_id, count in counts}
    return [
        CellError(
            None,
            None,
            InvalidInput(
                N_(
                    "Task {code} «{title}» is not in the file but has progress reports"
                    " ({reports}), kept as a record: keep its row, with the status cancelled"
                    " if it will not be done."
                ),
                code=task.code,
                title=task.title,
                reports=reports[task.id],
            ),
        )
        for task in removed
        if task.id in reports
    ]


async def _apply(
    session: AsyncSession,
    plan: Plan,
    checked: CheckedFile,
    current: CurrentPlan,
    changes: _Changes,
) -> None:
    """Write the changes: tasks left out first (so that their codes are free), then the
    objectives, activities and tasks of the file, their links, and what the file left out."""
    removed_ids = [task.id for task in changes.removed]
    for task in changes.removed:
        session.expunge(task)
    if removed_ids:
        await session.execute(delete(Task).where(Task.id.in_(removed_ids)))
    activities = await _structure(session, plan, checked, current)
    tasks = await _tasks(session, checked, current, activities)
    relinked = {code for code, keys in changes.changed.items() if "responsibles" in keys}
    if "responsibles" in checked.columns:
        created = {task.code for task in changes.created}
        await _responsibles(session, plan, checked, current, tasks, created, relinked)
    rewired = {task.code for task in changes.created} | {
        code for code, keys in changes.changed.items() if "depends_on" in keys
    }
    if "depends_on" in checked.columns:
        await _dependencies(session, checked, tasks, rewired)
    await _left_out(session, checked, current)


async def _structure(
    session: AsyncSession, plan: Plan, checked: CheckedFile, current: CurrentPlan
) -> dict[Place, Activity]:
    """The file's objectives and activities, created or retitled; every activity by place."""
    objectives = dict(current.objectives)
    activities = dict(current.activities)
    for objective_draft in checked.objectives:
        code = str(objective_draft.code)
        objective = objectives.get(code)
        if objective is None:
            objective = Objective(plan_id=plan.id, code=code, position=len(objectives))
            objectives[code] = objective
            session.add(objective)
        if objective.title != objective_draft.title:
            objective.title = objective_draft.title
    await session.flush()  # new objectives get their ids
    for objective_draft in checked.objectives:
        objective = objectives[str(objective_draft.code)]
        for activity_draft in objective_draft.activities.values():
            place = (objective.code, str(activity_draft.code))
            activity = activities.get(place)
            if activity is None:
                siblings = sum(1 for other in activities if other[0] == objective.code)
                activity = Activity(objective_id=objective.id, code=place[1], position=siblings)
                activities[place] = activity
                session.add(activity)
            if activity.title != activity_draft.title:
                activity.title = activity_draft.title
    await session.flush()
    return activities


async def _tasks(
    session: AsyncSession,
    checked: CheckedFile,
    current: CurrentPlan,
    activities: dict[Place, Activity],
) -> dict[str, Task]:
    """Every task of the file, created or changed in place (moved to the end of another
    activity when the file moves it)."""
    places = _places(checked)
    positions: dict[int, int] = {}
    for task in current.tasks.values():
        positions[task.activity_id] = max(positions.get(task.activity_id, 0), task.position + 1)
    tasks: dict[str, Task] = {}
    for draft in checked.drafts:
        activity = activities[places[draft.code]]
        existing = current.tasks.get(draft.code)
        if existing is None or existing.activity_id != activity.id:
            position = positions.get(activity.id, 0)
            positions[activity.id] = position + 1
        if existing is None:
            task = Task(code=draft.code, **{**TASK_DEFAULTS, **draft.values})
            task.activity_id, task.position = activity.id, position
            session.add(task)
        else:
            task = existing
            if task.activity_id != activity.id:
                task.activity_id, task.position = activity.id, position
            for name, value in draft.values.items():
                if getattr(task, name) != value:
                    setattr(task, name, value)
        tasks[draft.code] = task
    await session.flush()
    return tasks


async def _responsibles(
    session: AsyncSession,
    plan: Plan,
    checked: CheckedFile,
    current: CurrentPlan,
    tasks: dict[str, Task],
    created: set[str],
    changed: set[str],
) -> None:
    """The file's responsibles for the tasks it creates and those whose responsibles it
    changes; whoever is new to a task hears of it."""
    drafts = [draft for draft in checked.drafts if draft.code in created | changed]
    if not drafts:
        return
    ids = [tasks[draft.code].id for draft in drafts]
    await session.execute(delete(TaskResponsible).where(TaskResponsible.task_id.in_(ids)))
    links = [
        {"task_id": tasks[draft.code].id, "person_id": person_id}
        for draft in drafts
        for person_id in person_ids(draft, checked.people)
    ]
    if links:
        await session.execute(insert(TaskResponsible), links)
    for code in changed:
        # The links are a table of their own; the task's row is written anyway so that its
        # version moves, as when the API changes its responsibles.
        flag_modified(tasks[code], "title")
    await session.flush()
    # A created task may take the id of one left out (SQLite reuses it): it had nobody before.
    newcomers = {
        tasks[draft.code]: person_ids(draft, checked.people)
        - (frozenset() if draft.code in created else current.responsibles[tasks[draft.code].id])
        for draft in drafts
    }
    people = await session.scalars(
        select(Person).where(Person.id.in_(set().union(*newcomers.values())))
    )
    by_id = {person.id: person for person in people}
    for task, named in newcomers.items():
        newly = [by_id[person_id] for person_id in sorted(named)]
        await assignments.tell_assigned(session, task, plan.title, newly)


async def _dependencies(
    session: AsyncSession, checked: CheckedFile, tasks: dict[str, Task], codes: set[str]
) -> None:
    """The file's dependencies of the tasks whose dependencies it changes."""
    drafts = [draft for draft in checked.drafts if draft.code in codes]
    if not drafts:
        return
    ids = [tasks[draft.code].id for draft in drafts]
    await session.execute(delete(TaskDependency).where(TaskDependency.successor_id.in_(ids)))
    edges: list[dict[str, Any]] = [
        {
            "predecessor_id": tasks[code].id,
            "successor_id": tasks[draft.code].id,
            "lag_days": lag,
        }
        for draft in drafts
        for code, lag in dict(draft.depends_on).items()
    ]
    if edges:
        await session.execute(insert(TaskDependency), edges)


async def _left_out(session: AsyncSession, checked: CheckedFile, current: CurrentPlan) -> None:
    """Remove the activities and objectives the file leaves out (their tasks moved or went)."""
    places = {
        (str(objective.code), str(activity.code))
        for objective in checked.objectives
        for activity in objective.activities.values()
    }
    codes = {str(objective.code) for objective in checked.objectives}
    activities = [item for place, item in current.activities.items() if place not in places]
    objectives = [item for code, item in current.objectives.items() if code not in codes]
    for item in [*activities, *objectives]:
        session.expunge(item)
    if activities:
        await session.execute(delete(Activity).where(Activity.id.in_([a.id for a in activities])))
    if objectives:
        await session.execute(delete(Objective).where(Objective.id.in_([o.id for o in objectives])))
